-- Where a connected account lives, for CRMs that say so only at token time (Salesforce's
-- instance_url, Pipedrive's and Zoho's api_domain, Zoho's accounts server). The registry names the
-- fields a CRM keeps and the hosts each may point at (src/crm/connection-config.ts); values are checked
-- against that allowlist before they are stored and again before a request is sent to them.
-- A flat object of strings: {"instance_url": "https://acme.my.salesforce.com"}; {} for CRMs with one
-- fixed API origin (HubSpot).
ALTER TABLE crm_integrations ADD COLUMN connection_config jsonb NOT NULL DEFAULT '{}'::jsonb
  CHECK (jsonb_typeof(connection_config) = 'object');
