-- What rgsd did with each call (runtime data, outside the revision history). One row per call,
-- and one per visit of a queue. Times are UTC, ISO 8601 with milliseconds.
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
