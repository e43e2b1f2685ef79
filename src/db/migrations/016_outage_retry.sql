-- A run cut short because the CRM could not be reached is tried again on its own schedule, sooner
-- than the next regular sync: `outage_retry_at` is when (NULL: nothing pending), `outage_retries`
-- how many runs in a row an outage has cut short, which sets how long the next wait is
-- (src/sync/outage-retry.ts). Both go back to NULL / 0 after a run that reaches the CRM.
ALTER TABLE crm_integrations
  ADD COLUMN outage_retry_at timestamptz,
  ADD COLUMN outage_retries integer NOT NULL DEFAULT 0;
