-- Version 3 (the twin of ../0003_write_path.sql): the version number that lets every process cache apps (keys, limits,
-- status) and drop the cache the moment any of them changes. Triggers bump it, so no writer can forget to.

INSERT INTO meta (key, value) VALUES ('auth_version', '0') ON CONFLICT DO NOTHING;

CREATE FUNCTION bump_auth_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'auth_version';
    RETURN NULL;
END $$;

CREATE TRIGGER apps_auth_version_insert AFTER INSERT OR DELETE ON apps
FOR EACH ROW EXECUTE FUNCTION bump_auth_version();

-- Every column but api_key_last_used_at and updated_at (the Open API touches those on its own requests).
CREATE TRIGGER apps_auth_version_update AFTER UPDATE OF merchant_id, app_id, name, status, notify_url, ip_whitelist,
    api_key_hash, api_key_prefix, api_key_last4, api_key_created_at, sign_key_enc, sign_key_created_at,
    rate_limit_rps, rate_limit_burst ON apps
FOR EACH ROW EXECUTE FUNCTION bump_auth_version();

CREATE TRIGGER merchants_auth_version AFTER UPDATE OF status ON merchants
FOR EACH ROW EXECUTE FUNCTION bump_auth_version();

CREATE TRIGGER users_auth_version AFTER UPDATE OF status ON users
FOR EACH ROW EXECUTE FUNCTION bump_auth_version();

CREATE INDEX ix_used_nonces_created ON used_nonces (created_at);
