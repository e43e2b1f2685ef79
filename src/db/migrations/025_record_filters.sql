-- Selective sync (#16): which records of an object an integration syncs, as a RecordFilter
-- (src/crm/connector.ts) on the CRM's own field names. No row: every record. Changing a row
-- schedules a full listing of that object (routes/filters.ts), which removes what no longer matches.
CREATE TABLE crm_record_filters (
  integration_id uuid NOT NULL REFERENCES crm_integrations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL DEFAULT pulse_current_user_id(),
  object text NOT NULL CHECK (object IN ('contacts', 'companies', 'deals')),
  filter jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (integration_id, object)
);
ALTER TABLE crm_record_filters ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_record_filters FORCE ROW LEVEL SECURITY;
CREATE POLICY crm_record_filters_own ON crm_record_filters TO pulse_app
  USING (user_id = pulse_current_user_id()) WITH CHECK (user_id = pulse_current_user_id());
CREATE POLICY crm_record_filters_system ON crm_record_filters TO pulse_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON crm_record_filters TO pulse_app, pulse_system;
