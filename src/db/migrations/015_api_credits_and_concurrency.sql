-- What a CRM that meters calls in credits without reporting them (Zoho) has been charged, per
-- provider account, in one-minute buckets: the sum of the last 24 h is the rolling window's use, and
-- the oldest buckets say when credits free up (src/crm/credit-meter.ts).
-- Not tenant data: keys name a provider account, never a user's records.
CREATE TABLE api_credits (
  key text NOT NULL,
  minute timestamptz NOT NULL,
  credits integer NOT NULL,
  PRIMARY KEY (key, minute)
);

-- Requests in flight per provider account, shared by every worker process (src/crm/rate-limiter.ts
-- `hold`): a request holds one numbered slot below the account's cap while it runs. A slot whose
-- holder died frees itself when its lease runs out.
CREATE TABLE concurrency_slots (
  key text NOT NULL,
  slot integer NOT NULL,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (key, slot)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON api_credits, concurrency_slots TO pulse_app, pulse_system;
