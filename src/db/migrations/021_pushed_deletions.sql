-- Whether an integration's CRM pushes deletions (src/sync/archive-sweep.ts): a run asks whether a
-- deletion event arrived since real-time updates last missed something. Deletion events are few
-- among all pushed events, so they get an index of their own rather than a scan of every event.
CREATE INDEX crm_webhook_events_deletions_idx ON crm_webhook_events (integration_id, received_at DESC) WHERE kind = 'deletion';
