-- Connecting a CRM: single-use OAuth states, one integration per (user, platform, CRM account).

CREATE TABLE oauth_states (
  -- SHA-256 of the random state sent to the provider; the state itself is never stored.
  state_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  platform text NOT NULL CHECK (platform IN ('hubspot', 'salesforce', 'pipedrive', 'zoho')),
  -- PKCE verifier, encrypted like every other secret.
  code_verifier text,
  scopes text[] NOT NULL,
  redirect_uri text NOT NULL,
  -- Set when reconnecting an existing integration (needs_reauth → connected).
  integration_id uuid REFERENCES crm_integrations(id) ON DELETE CASCADE,
  -- Where the browser goes after the callback when the flow ran in the same tab (popup blocked).
  return_to text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX oauth_states_created_idx ON oauth_states (created_at);

ALTER TABLE oauth_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE oauth_states FORCE ROW LEVEL SECURITY;
CREATE POLICY oauth_states_own ON oauth_states TO pulse_app
  USING (user_id = pulse_current_user_id()) WITH CHECK (user_id = pulse_current_user_id());
-- The callback arrives without the user's bearer token: the state names the user, so it is read as system.
CREATE POLICY oauth_states_system ON oauth_states TO pulse_system USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON oauth_states TO pulse_app, pulse_system;

CREATE UNIQUE INDEX crm_integrations_account_idx ON crm_integrations (user_id, platform, external_account_id)
  WHERE external_account_id IS NOT NULL;
