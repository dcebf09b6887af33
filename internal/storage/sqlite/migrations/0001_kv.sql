-- The key-value table behind storage.Store. Keys are BLOBs so that SQLite compares them
-- bytewise (memcmp), the order storage.Tx.Scan promises.
CREATE TABLE kv (
	k BLOB NOT NULL PRIMARY KEY,
	v BLOB NOT NULL
) WITHOUT ROWID;
