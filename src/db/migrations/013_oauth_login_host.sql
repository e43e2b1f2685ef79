-- The sign-in host a person chose for this connect flow, for CRMs with several (Salesforce:
-- production, sandbox, My Domain; src/crm/platforms.ts LoginHostSpec). Checked against the CRM's
-- allowlist before it is stored; the begin step sends the browser there, the callback exchanges the
-- code there, and the integration keeps it in connection_config so refresh and revoke go there too.
-- NULL: the CRM's default host.
ALTER TABLE oauth_states ADD COLUMN login_host text;
