-- The key-value table behind storage.Store. BYTEA compares bytewise, the key order
-- storage.Tx.Scan promises (text would follow the database collation).
CREATE TABLE kv (
	k BYTEA PRIMARY KEY,
	v BYTEA NOT NULL
);
