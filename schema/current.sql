CREATE TABLE audio_blobs (
  sha256 TEXT PRIMARY KEY,
  bytes  BLOB NOT NULL
) WITHOUT ROWID;
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
