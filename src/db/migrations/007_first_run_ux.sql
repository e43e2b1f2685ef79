-- The connection test's last verdict on an integration. A failed test used to live only in the
-- wizard: close it and the integration read "Up to date" while sync could not work. Kept here, the
-- status panel and the Settings list show "Needs attention" until a test passes again.
-- NULL: the last test passed (or none ran). Otherwise {"kind": "reconnect" | "retry", "message", "checkedAt"}:
-- "reconnect" is a problem the user fixes (missing permission, revoked grant); "retry" is the CRM's
-- side (down, rate-limited) and goes away by itself.
ALTER TABLE crm_integrations ADD COLUMN connection_check jsonb;

-- The CRM's labels for coded values (a deal stage "qualifiedtobuy" reads "Qualified To Buy", an
-- industry "COMPUTER_SOFTWARE" reads "Computer Software"), read from the CRM's own metadata
-- (HubSpot: deal pipelines, property options) and kept with the records they label, per integration,
-- so the data page shows what the CRM shows. Keyed by our canonical field ("stage"), not the CRM's
-- property name, so the UI needs no CRM-specific knowledge.
CREATE TABLE crm_field_options (
  integration_id uuid NOT NULL REFERENCES crm_integrations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL DEFAULT pulse_current_user_id(),
  object text NOT NULL CHECK (object IN ('contacts', 'companies', 'deals')),
  field text NOT NULL,
  value text NOT NULL,
  label text NOT NULL,
  display_order integer NOT NULL DEFAULT 0,
  fetched_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (integration_id, object, field, value)
);
ALTER TABLE crm_field_options ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_field_options FORCE ROW LEVEL SECURITY;
CREATE POLICY crm_field_options_own ON crm_field_options TO pulse_app
  USING (user_id = pulse_current_user_id()) WITH CHECK (user_id = pulse_current_user_id());
CREATE POLICY crm_field_options_system ON crm_field_options TO pulse_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON crm_field_options TO pulse_app, pulse_system;
