-- Foundation: users, the seed's integration and sync-log tables, row-level security.
--
-- Roles: migrations run as the connecting (owner) role. The app never queries as the owner: every
-- request transaction does `SET LOCAL ROLE pulse_app` and sets `pulse.user_id`; background work that
-- spans users (the scheduler, key rotation) uses `pulse_system`. RLS is FORCED so not even the owner
-- reads tenant rows by accident.
DO $$ BEGIN CREATE ROLE pulse_app NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE pulse_system NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
GRANT pulse_app TO CURRENT_USER;
GRANT pulse_system TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO pulse_app, pulse_system;

-- The user the current transaction acts for; NULL (sees nothing) when unset.
CREATE FUNCTION pulse_current_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('pulse.user_id', true), '')::uuid
$$;

CREATE FUNCTION pulse_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

CREATE TABLE users (
  id uuid PRIMARY KEY,
  -- The `sub` claim of the host app's JWT; id is derived from it (UUID v5) so no lookup is needed.
  external_id text NOT NULL UNIQUE,
  email text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE crm_integrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL DEFAULT pulse_current_user_id() REFERENCES users(id) ON DELETE CASCADE,
  platform text NOT NULL CHECK (platform IN ('hubspot', 'salesforce', 'pipedrive', 'zoho')),
  display_name text,
  -- Secrets: only ever ciphertext written by src/lib/secrets.ts ("enc:v1:<key id>:..."), never plaintext.
  api_key text,
  access_token text,
  refresh_token text,
  token_expires_at timestamptz,
  -- Legacy (seed): the Pulse workspace the integration belonged to; kept, not used by the engine.
  workspace_id uuid,
  is_active boolean NOT NULL DEFAULT true,
  sync_enabled boolean NOT NULL DEFAULT true,
  status text NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'needs_reauth', 'error', 'disabled')),
  external_account_id text,
  granted_scopes text[] NOT NULL DEFAULT '{}',
  last_sync_at timestamptz,
  last_error text,
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX crm_integrations_user_idx ON crm_integrations (user_id, created_at DESC);
CREATE TRIGGER crm_integrations_touch BEFORE UPDATE ON crm_integrations
  FOR EACH ROW EXECUTE FUNCTION pulse_touch_updated_at();

CREATE TABLE crm_sync_logs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  integration_id uuid NOT NULL REFERENCES crm_integrations(id) ON DELETE CASCADE,
  -- Denormalised owner so RLS is a column compare, not a join per row.
  user_id uuid NOT NULL DEFAULT pulse_current_user_id() REFERENCES users(id) ON DELETE CASCADE,
  -- Legacy (seed): the id of the CRM record set the old design synced; always NULL now.
  crm_id uuid,
  sync_type text NOT NULL CHECK (sync_type IN ('full', 'incremental')),
  status text NOT NULL CHECK (status IN ('success', 'failed', 'partial', 'running')),
  records_synced integer NOT NULL DEFAULT 0,
  contacts_synced integer NOT NULL DEFAULT 0,
  companies_synced integer NOT NULL DEFAULT 0,
  deals_synced integer NOT NULL DEFAULT 0,
  errors jsonb NOT NULL DEFAULT '[]',
  error_message text,
  duration_ms integer,
  -- Legacy (seed): whole seconds, kept in step with duration_ms for old readers.
  duration_seconds integer,
  started_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE INDEX crm_sync_logs_integration_idx ON crm_sync_logs (integration_id, started_at DESC);

-- Row-level security, forced, on every tenant table.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_self ON users TO pulse_app
  USING (id = pulse_current_user_id()) WITH CHECK (id = pulse_current_user_id());
CREATE POLICY users_system ON users TO pulse_system USING (true) WITH CHECK (true);

ALTER TABLE crm_integrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_integrations FORCE ROW LEVEL SECURITY;
CREATE POLICY "Users can view own integrations" ON crm_integrations FOR SELECT TO pulse_app
  USING (user_id = pulse_current_user_id());
CREATE POLICY "Users can insert own integrations" ON crm_integrations FOR INSERT TO pulse_app
  WITH CHECK (user_id = pulse_current_user_id());
CREATE POLICY "Users can update own integrations" ON crm_integrations FOR UPDATE TO pulse_app
  USING (user_id = pulse_current_user_id()) WITH CHECK (user_id = pulse_current_user_id());
CREATE POLICY "Users can delete own integrations" ON crm_integrations FOR DELETE TO pulse_app
  USING (user_id = pulse_current_user_id());
CREATE POLICY integrations_system ON crm_integrations TO pulse_system USING (true) WITH CHECK (true);

ALTER TABLE crm_sync_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_sync_logs FORCE ROW LEVEL SECURITY;
CREATE POLICY "Users can view own sync logs" ON crm_sync_logs FOR SELECT TO pulse_app
  USING (user_id = pulse_current_user_id());
-- Beyond the seed: the sync engine writes logs acting as the integration's owner.
CREATE POLICY "Users can write own sync logs" ON crm_sync_logs FOR INSERT TO pulse_app
  WITH CHECK (user_id = pulse_current_user_id()
    AND EXISTS (SELECT 1 FROM crm_integrations i WHERE i.id = integration_id AND i.user_id = pulse_current_user_id()));
CREATE POLICY "Users can update own sync logs" ON crm_sync_logs FOR UPDATE TO pulse_app
  USING (user_id = pulse_current_user_id()) WITH CHECK (user_id = pulse_current_user_id());
CREATE POLICY sync_logs_system ON crm_sync_logs TO pulse_system USING (true) WITH CHECK (true);

GRANT SELECT, INSERT ON users TO pulse_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON crm_integrations, crm_sync_logs TO pulse_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON users, crm_integrations, crm_sync_logs TO pulse_system;
