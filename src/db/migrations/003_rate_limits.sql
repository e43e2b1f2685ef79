-- Request slots per provider account, shared by every worker (see src/crm/rate-limiter.ts).
-- Not tenant data: keys name a provider account, never a user's records.
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  -- GCRA "theoretical arrival time": when the slot after the last reserved one begins.
  tat timestamptz NOT NULL,
  -- The spacing last learned from the provider (its rate-limit headers), so a process that has not
  -- seen a response yet still keeps to it.
  spacing_ms double precision
);
GRANT SELECT, INSERT, UPDATE ON rate_limits TO pulse_app, pulse_system;
