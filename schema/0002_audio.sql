-- Audio file contents, stored once per SHA-256 however many audio file objects name them.
-- Never deleted: old revisions may still refer to them.
CREATE TABLE audio_blobs (
  sha256 TEXT PRIMARY KEY,
  bytes  BLOB NOT NULL
) WITHOUT ROWID;
