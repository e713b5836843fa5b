-- Version 8: captchas kept in the database, so that a captcha shown by one serve process can be answered through
-- another (several serve behind a proxy, on PostgreSQL). Only a salted hash of the answer is kept; a row is deleted
-- when it is checked (right or wrong), and expired ones are cleared now and then.
CREATE TABLE captchas (
    id           TEXT PRIMARY KEY,
    answer_hash  TEXT NOT NULL,
    expires_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX ix_captchas_expires ON captchas (expires_at);
