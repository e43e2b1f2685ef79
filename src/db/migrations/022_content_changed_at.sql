-- When a record's content last changed: its fields, associations or deletion, not merely its modified
-- time. A CRM that pushes only the properties an app subscribed to (HubSpot: one subscription per
-- property) moves a record's modified time for edits Pulse neither reads nor is told of; those are no
-- missed push, and must not degrade real-time updates (webhook-events-repository.ts). Always at or
-- before updated_at, so a query narrows by updated_at's index first.
ALTER TABLE crm_contacts ADD COLUMN content_changed_at timestamptz DEFAULT now();
ALTER TABLE crm_companies ADD COLUMN content_changed_at timestamptz DEFAULT now();
ALTER TABLE crm_deals ADD COLUMN content_changed_at timestamptz DEFAULT now();
