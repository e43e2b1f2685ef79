-- A token refresh is claimed in a short committed transaction instead of being done while holding the
-- integration's row lock (src/crm/tokens.ts): the rotated refresh token a CRM answers with is then
-- stored in its own transaction the moment it arrives, not at the end of a long one that a crash
-- would roll back. The claim keeps other processes from spending the same refresh token meanwhile;
-- it expires on its own, so a process that died holding it stops nobody for long.
ALTER TABLE crm_integrations
  ADD COLUMN token_refresh_claim uuid,
  ADD COLUMN token_refresh_claimed_until timestamptz;
