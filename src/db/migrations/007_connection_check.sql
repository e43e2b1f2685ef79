-- The connection test's last verdict on an integration. A failed test used to live only in the
-- wizard: close it and the integration read "Up to date" while sync could not work. Kept here, the
-- status panel and the Settings list show "Needs attention" until a test passes again.
-- NULL: the last test passed (or none ran). Otherwise {"kind": "reconnect" | "retry", "message", "checkedAt"}:
-- "reconnect" is a problem the user fixes (missing permission, revoked grant); "retry" is the CRM's
-- side (down, rate-limited) and goes away by itself.
ALTER TABLE crm_integrations ADD COLUMN connection_check jsonb;
