-- Real-time updates per integration (src/db/integrations-repository.ts, realtimeState): when its CRM last pushed an event for it,
-- and when a scheduled listing last found changes that no pushed event had announced (deliveries
-- stopped, or never covered them). On while pushes arrive and nothing is missed: the scheduled listing
-- then runs less often; degraded from a miss until the next push: it runs at the normal interval.
ALTER TABLE crm_integrations
  ADD COLUMN pushed_at timestamptz,
  ADD COLUMN pushes_missed_at timestamptz;
-- A listing asks whether a record it changed had a pushed event at all.
CREATE INDEX crm_webhook_events_record_idx ON crm_webhook_events (integration_id, object, remote_id);
