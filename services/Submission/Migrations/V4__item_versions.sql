-- Optimistic concurrency on items: every write to an item increments its version, and a client that sends the version
-- it read (If-Match: "7") is refused (412) when someone else wrote the item since, instead of overwriting it silently.
ALTER TABLE assessment_items ADD COLUMN version integer NOT NULL DEFAULT 1;
