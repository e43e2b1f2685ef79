-- A token refresh is claimed in a short committed transaction instead of being done while holding the
-- integration's row lock (src/crm/tokens.ts): the rotated refresh token a CRM answers with is then
-- stored in its own transaction the moment it arrives, not at the end of a long one that a crash
-- would roll back. The claim keeps other processes from spending the same refresh token meanwhile;
-- it expires on its own, so a process that died holding it stops nobody for long.
ALTER TABLE crm_integrations
  ADD COLUMN token_refresh_claim uuid,
  ADD COLUMN token_refresh_claimed_until timestamptz;

-- Webhooks a connection registered with its CRM through the CRM's API (after connect), removed on
-- disconnect. The delivery URL names the row; the secret (sealed like the tokens, never plaintext)
-- is what the CRM must send back with each delivery (HTTP Basic for CRMs that sign nothing).
CREATE TABLE crm_webhook_subscriptions (
  id uuid PRIMARY KEY,
  integration_id uuid NOT NULL UNIQUE REFERENCES crm_integrations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  platform text NOT NULL,
  remote_ids text[] NOT NULL,
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE crm_webhook_subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_webhook_subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY crm_webhook_subscriptions_own ON crm_webhook_subscriptions TO pulse_app
  USING (user_id = pulse_current_user_id()) WITH CHECK (user_id = pulse_current_user_id());
CREATE POLICY crm_webhook_subscriptions_system ON crm_webhook_subscriptions TO pulse_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON crm_webhook_subscriptions TO pulse_app, pulse_system;
