-- Version 3: the version number that lets every process cache apps (keys, limits, status) and drop the cache the
-- moment any of them changes. Triggers bump it, so no writer — serve, the CLI, a future one — can forget to.

INSERT OR IGNORE INTO meta (key, value) VALUES ('auth_version', '0');

CREATE TRIGGER apps_auth_version_insert AFTER INSERT ON apps
BEGIN UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'auth_version'; END;

CREATE TRIGGER apps_auth_version_delete AFTER DELETE ON apps
BEGIN UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'auth_version'; END;

-- Every column but api_key_last_used_at and updated_at (the Open API touches those on its own requests).
CREATE TRIGGER apps_auth_version_update AFTER UPDATE OF merchant_id, app_id, name, status, notify_url, ip_whitelist,
    api_key_hash, api_key_prefix, api_key_last4, api_key_created_at, sign_key_enc, sign_key_created_at,
    rate_limit_rps, rate_limit_burst ON apps
BEGIN UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'auth_version'; END;

CREATE TRIGGER merchants_auth_version AFTER UPDATE OF status ON merchants
BEGIN UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'auth_version'; END;

CREATE TRIGGER users_auth_version AFTER UPDATE OF status ON users
BEGIN UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'auth_version'; END;

-- Expired nonces are forgotten in small slices by age.
CREATE INDEX ix_used_nonces_created ON used_nonces (created_at);
