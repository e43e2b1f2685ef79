-- Changes a CRM pushes are applied within seconds by runs of their own (sync_type 'webhook'), which
-- read the changed records by id instead of listing. The worker that looks for them asks, every
-- half second, which integrations have events waiting: the oldest pending event per integration.
ALTER TABLE crm_sync_logs DROP CONSTRAINT crm_sync_logs_sync_type_check;
ALTER TABLE crm_sync_logs ADD CONSTRAINT crm_sync_logs_sync_type_check CHECK (sync_type IN ('full', 'incremental', 'webhook'));
CREATE INDEX crm_webhook_events_waiting_idx ON crm_webhook_events (received_at) WHERE processed_at IS NULL;
