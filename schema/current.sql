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
CREATE TABLE agent_state (
  aor              TEXT PRIMARY KEY,    -- sip:alice@example.com (normalised)
  contact          TEXT NOT NULL,       -- "" when not registered
  registered_until INTEGER NOT NULL,    -- milliseconds since 1970-01-01T00:00Z
  signed_in        TEXT NOT NULL        -- JSON: the GUIDs of the formal groups it is signed in to
);
CREATE TABLE audio_blobs (
  sha256 TEXT PRIMARY KEY,
  bytes  BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE calls (
  id            INTEGER PRIMARY KEY,
  call_id       TEXT NOT NULL,       -- the caller's SIP Call-ID
  workflow      TEXT,                -- GUID, NULL when no workflow matched
  workflow_name TEXT,
  caller        TEXT NOT NULL,
  received      TEXT NOT NULL,
  ended         TEXT NOT NULL,
  outcome       TEXT NOT NULL,       -- Answered, Abandoned, Transferred, Terminated, Rejected, Failed
  detail        TEXT NOT NULL,
  agent         TEXT,                -- who answered
  answered      TEXT,
  wait_ms       INTEGER              -- from the first queue entry to answer or hang-up
);
CREATE INDEX calls_received ON calls(received);
CREATE TABLE objects (
  kind     TEXT NOT NULL,
  guid     TEXT NOT NULL,
  name     TEXT NOT NULL COLLATE NOCASE,
  rev_from INTEGER NOT NULL REFERENCES revisions(rev),
  rev_to   INTEGER REFERENCES revisions(rev),
  doc      TEXT NOT NULL,          -- JSON, Lync property names, without Identity and Parent
  PRIMARY KEY (kind, guid, rev_from)
);
CREATE UNIQUE INDEX objects_live_guid ON objects(kind, guid) WHERE rev_to IS NULL;
CREATE UNIQUE INDEX objects_live_name ON objects(kind, name) WHERE rev_to IS NULL;
CREATE INDEX objects_rev_from ON objects(rev_from);
CREATE INDEX objects_rev_to ON objects(rev_to);
CREATE TABLE queue_visits (
  call       INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  queue      TEXT NOT NULL,          -- GUID
  queue_name TEXT NOT NULL,
  entered    TEXT NOT NULL,
  left_at    TEXT NOT NULL,
  outcome    TEXT NOT NULL,          -- Answered, Abandoned, Transferred, Disconnected, Terminated
  reason     TEXT NOT NULL,          -- for Transferred: Timeout or Overflow
  agent      TEXT,
  wait_ms    INTEGER NOT NULL,
  offers     TEXT NOT NULL,          -- JSON: [{"Agent", "At", "Result"}]
  PRIMARY KEY (call, seq)
) WITHOUT ROWID;
CREATE INDEX queue_visits_queue ON queue_visits(queue_name, entered);
CREATE TABLE refs (
  to_kind   TEXT NOT NULL,
  to_guid   TEXT NOT NULL,
  from_kind TEXT NOT NULL,
  from_guid TEXT NOT NULL,
  PRIMARY KEY (to_kind, to_guid, from_kind, from_guid)
) WITHOUT ROWID;
CREATE INDEX refs_from ON refs(from_kind, from_guid);
CREATE TABLE revisions (
  rev     INTEGER PRIMARY KEY,
  time    TEXT NOT NULL,           -- UTC, ISO 8601
  actor   TEXT NOT NULL,           -- OS user name
  role    TEXT NOT NULL,           -- administrator, manager
  command TEXT NOT NULL,           -- the command line, shell-quoted
  summary TEXT NOT NULL
);
CREATE TABLE store_info (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
