-- Sessions are now stored under a SHA-256 of their token (src/lib/auth/sessions.ts). Rows written
-- before held the token itself and can no longer be found by it: they are deleted, so everyone
-- signs in again once.
DELETE FROM sessions;
