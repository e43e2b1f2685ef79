-- A run whose worker died is handed to another worker by the run's own heartbeat, not by a queue's
-- retry schedule (src/sync/reconcile.ts). These columns let the reconciler tell a run that keeps
-- making progress between crashes (resume it, however many times) from one that kills its worker at
-- the same place again and again (stop it, naming where).
ALTER TABLE crm_sync_logs
  ADD COLUMN resumes integer NOT NULL DEFAULT 0,
  ADD COLUMN stalled_resumes integer NOT NULL DEFAULT 0,
  ADD COLUMN records_at_resume integer;
