-- Version 2: login throttling kept in the database (so a restart is no way around it), per-app Open API rate
-- limits, and the flag that says the first operator's password reached the screen.

-- One row per password check that failed (or is under way: a check reserves its row before the slow hash, so
-- concurrent attempts cannot all slip under a limit). Kept 15 minutes.
CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    email   TEXT NOT NULL,
    client  TEXT NOT NULL,
    at      INTEGER NOT NULL
) STRICT;

CREATE INDEX ix_login_failures_email ON login_failures (email, at);
CREATE INDEX ix_login_failures_client ON login_failures (client, at);

-- An email refused with 4029 until locked_until (10 failures in 15 minutes); `hishop user unlock` clears it.
CREATE TABLE login_locks (
    email         TEXT PRIMARY KEY,
    locked_until  INTEGER NOT NULL
) STRICT;

-- Requests per second and burst of the app's Open API token bucket; NULL = the default, 0 rps = unlimited.
ALTER TABLE apps ADD COLUMN rate_limit_rps INTEGER CHECK (rate_limit_rps IS NULL OR rate_limit_rps >= 0);
ALTER TABLE apps ADD COLUMN rate_limit_burst INTEGER CHECK (rate_limit_burst IS NULL OR rate_limit_burst >= 1);

-- Stores made before this version printed the first operator's password on their first start.
INSERT OR IGNORE INTO meta (key, value)
SELECT 'first_operator_password_shown', value FROM meta WHERE key = 'first_operator_created';
