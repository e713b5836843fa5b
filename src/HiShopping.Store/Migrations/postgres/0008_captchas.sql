-- Version 8 (the twin of ../0008_captchas.sql): captchas kept in the database, answerable through any serve process.
CREATE TABLE captchas (
    id           TEXT PRIMARY KEY,
    answer_hash  TEXT NOT NULL,
    expires_at   BIGINT NOT NULL
);

CREATE INDEX ix_captchas_expires ON captchas (expires_at);
