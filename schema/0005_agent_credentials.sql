-- SIP digest credentials of agents (rgs set-agentcredential): HA1 for MD5 and SHA-256 in one
-- realm, never the password. Versioned like the objects (each change is a revision) but in a
-- table of their own, so that no listing of objects (exports, compare-revision) carries a hash.
CREATE TABLE agent_credentials (
  aor        TEXT NOT NULL,                    -- sip:alice@example.com (normalised)
  rev_from   INTEGER NOT NULL REFERENCES revisions(rev),
  rev_to     INTEGER REFERENCES revisions(rev),
  username   TEXT NOT NULL,                    -- the digest username: the address's user part
  realm      TEXT NOT NULL,
  ha1_md5    TEXT NOT NULL,
  ha1_sha256 TEXT NOT NULL,
  PRIMARY KEY (aor, rev_from)
);
CREATE UNIQUE INDEX agent_credentials_live ON agent_credentials(aor) WHERE rev_to IS NULL;
CREATE INDEX agent_credentials_rev_from ON agent_credentials(rev_from);
CREATE INDEX agent_credentials_rev_to ON agent_credentials(rev_to);
