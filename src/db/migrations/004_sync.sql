-- Synced CRM data in one unified model, the per-object sync state, and webhook events.
--
-- Records are keyed by (integration_id, remote_id): upserts are idempotent however often a page is
-- written. Their user_id (for RLS) has no foreign key of its own: the integration's already ties the
-- row to its user, and a second per-row check measurably slows million-row syncs. Deleted records stay as soft-deleted rows (deleted_at). `updated_at` moves only when the
-- content changed, so "updated since" means something to the host app.

CREATE TABLE crm_contacts (
  id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  integration_id uuid NOT NULL REFERENCES crm_integrations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL DEFAULT pulse_current_user_id(),
  remote_id text NOT NULL,
  first_name text, last_name text, email text, phone text, job_title text, owner_id text,
  company_remote_ids text[],
  properties jsonb NOT NULL DEFAULT '{}',
  remote_created_at timestamptz, remote_updated_at timestamptz,
  deleted_at timestamptz,
  -- The full sync that last saw this record (deletion sweep after a re-run full sync).
  seen_run uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (integration_id, remote_id)
);

CREATE TABLE crm_companies (
  id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  integration_id uuid NOT NULL REFERENCES crm_integrations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL DEFAULT pulse_current_user_id(),
  remote_id text NOT NULL,
  name text, domain text, industry text, phone text, city text, country text, owner_id text,
  properties jsonb NOT NULL DEFAULT '{}',
  remote_created_at timestamptz, remote_updated_at timestamptz,
  deleted_at timestamptz,
  seen_run uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (integration_id, remote_id)
);

CREATE TABLE crm_deals (
  id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  integration_id uuid NOT NULL REFERENCES crm_integrations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL DEFAULT pulse_current_user_id(),
  remote_id text NOT NULL,
  name text, amount numeric, currency text, stage text, pipeline text, close_date timestamptz, owner_id text,
  company_remote_ids text[], contact_remote_ids text[],
  properties jsonb NOT NULL DEFAULT '{}',
  remote_created_at timestamptz, remote_updated_at timestamptz,
  deleted_at timestamptz,
  seen_run uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (integration_id, remote_id)
);

CREATE INDEX crm_contacts_updated_idx ON crm_contacts (integration_id, updated_at, id);
CREATE INDEX crm_companies_updated_idx ON crm_companies (integration_id, updated_at, id);
CREATE INDEX crm_deals_updated_idx ON crm_deals (integration_id, updated_at, id);

-- Where each object's sync stands. `cursor` is the connector's paging state of the listing in
-- progress (NULL between runs); it moves only in the transaction that writes the page it covers.
CREATE TABLE crm_sync_state (
  integration_id uuid NOT NULL REFERENCES crm_integrations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL DEFAULT pulse_current_user_id() REFERENCES users(id) ON DELETE CASCADE,
  object text NOT NULL CHECK (object IN ('contacts', 'companies', 'deals')),
  -- full: listing everything (first run, or a requested full sync); incremental: changes since high_water.
  phase text NOT NULL CHECK (phase IN ('full', 'incremental')),
  cursor jsonb,
  -- The run a full listing belongs to (its seen_run marker) and when it began.
  full_run uuid,
  full_started_at timestamptz,
  -- Changes at or after this time (minus an overlap) are read by the next incremental run.
  high_water timestamptz,
  deletions_checked_at timestamptz,
  deletions_cursor jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (integration_id, object)
);

-- Events a CRM pushed to us (HubSpot webhooks); association changes are applied by the next sync.
CREATE TABLE crm_webhook_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  integration_id uuid NOT NULL REFERENCES crm_integrations(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind text NOT NULL,
  object text,
  remote_id text,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);
CREATE INDEX crm_webhook_events_pending_idx ON crm_webhook_events (integration_id, kind) WHERE processed_at IS NULL;

-- Sync runs: one running run per integration, whoever asks (API, scheduler, CLI).
ALTER TABLE crm_sync_logs ADD COLUMN job_id uuid;
ALTER TABLE crm_sync_logs ADD COLUMN heartbeat_at timestamptz;
-- The worker attempt that owns the run: a worker presumed dead and replaced finds its token gone
-- at its next heartbeat and stops, and only the owner may finish the log.
ALTER TABLE crm_sync_logs ADD COLUMN run_token uuid;
ALTER TABLE crm_sync_logs ADD COLUMN requests integer NOT NULL DEFAULT 0;
-- How many records a full run expects (from the CRM's own count), for progress bars; NULL when unknown.
ALTER TABLE crm_sync_logs ADD COLUMN records_expected integer;
CREATE UNIQUE INDEX crm_sync_logs_one_running_idx ON crm_sync_logs (integration_id) WHERE status = 'running';

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['crm_contacts', 'crm_companies', 'crm_deals', 'crm_sync_state', 'crm_webhook_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I TO pulse_app USING (user_id = pulse_current_user_id()) WITH CHECK (user_id = pulse_current_user_id())', t || '_own', t);
    EXECUTE format('CREATE POLICY %I ON %I TO pulse_system USING (true) WITH CHECK (true)', t || '_system', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO pulse_app, pulse_system', t);
  END LOOP;
END $$;
