-- A run that applies pushed changes lists as well when someone asks for a sync while it runs (they
-- join it). Once it has decided whether to list, it is sealed: a request after that waits for it to
-- end and starts a run of its own, instead of joining one that will not list (sync-logs-repository.ts).
ALTER TABLE crm_sync_logs ADD COLUMN sealed boolean NOT NULL DEFAULT false;
