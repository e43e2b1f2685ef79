-- The data API without an integration filter reads a user's rows in (updated_at, id) order; RLS adds
-- `user_id = <caller>`. Without this index that was a scan of every tenant's rows.
CREATE INDEX crm_contacts_user_updated_idx ON crm_contacts (user_id, updated_at, id);
CREATE INDEX crm_companies_user_updated_idx ON crm_companies (user_id, updated_at, id);
CREATE INDEX crm_deals_user_updated_idx ON crm_deals (user_id, updated_at, id);

-- A CRM retries a webhook delivery it thinks failed, and an attacker can replay a signed one inside
-- its validity window: each event is stored once per integration, under the CRM's own identity of it.
ALTER TABLE crm_webhook_events ADD COLUMN event_key text;
CREATE UNIQUE INDEX crm_webhook_events_once_idx ON crm_webhook_events (integration_id, event_key);
