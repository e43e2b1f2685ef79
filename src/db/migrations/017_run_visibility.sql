-- What operators see of a run beyond its counts (src/sync/run-sync.ts, reconcile.ts, server/metrics.ts).
-- `rate_limited_since`: while the run spends most of its time waiting for its CRM account's rate-limit
-- slots, since when (NULL: it is not, or it finished); written with the heartbeat, never per request.
-- `recovery_ms`: for each time the run was resumed after its worker died, how long it had gone
-- without a heartbeat until another worker was handed it. Resumes are rare (a crash each), so an array
-- on the run is enough, and /metrics derives its counter and histogram from it in whatever process serves them.
ALTER TABLE crm_sync_logs
  ADD COLUMN rate_limited_since timestamptz,
  ADD COLUMN recovery_ms integer[] NOT NULL DEFAULT '{}';
