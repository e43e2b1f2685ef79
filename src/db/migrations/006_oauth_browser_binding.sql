-- Binds each OAuth state to the browser that started the flow (RFC 9700 §4.7): without it, a user
-- could start a connect, send the provider's consent link to someone else, and receive that person's
-- CRM in their own account.
--
-- app_origin: the origin of the page that started the flow (checked when the browser begins, and where
--   the result goes back to: postMessage target, full-page return).
-- browser_hash: SHA-256 of the nonce in the short-lived HttpOnly cookie set when the browser begins;
--   the callback refuses a browser that does not carry it.
-- display: how the flow runs in the browser — 'popup' (the result is posted to the opener) or 'page'
--   (the callback sends the browser back to return_to).
ALTER TABLE oauth_states
  ADD COLUMN app_origin text,
  ADD COLUMN browser_hash text,
  ADD COLUMN display text CHECK (display IN ('popup', 'page')),
  ADD COLUMN bound_at timestamptz;
