-- What rgsd knows of each agent that must outlive a restart (runtime data, outside the revision
-- history): the registered contact and until when, and the formal groups it is signed in to.
CREATE TABLE agent_state (
  aor              TEXT PRIMARY KEY,    -- sip:alice@example.com (normalised)
  contact          TEXT NOT NULL,       -- "" when not registered
  registered_until INTEGER NOT NULL,    -- milliseconds since 1970-01-01T00:00Z
  signed_in        TEXT NOT NULL        -- JSON: the GUIDs of the formal groups it is signed in to
);
