// Package sqldb implements storage.Store once on database/sql for every SQL backend: a single
// kv(k, v) table with byte-ordered keys, serializable Updates retried on serialization failures,
// and a small forward-only migrator for embedded, numbered SQL files. The sqlite and postgres
// packages supply a Dialect (placeholders, error classification, transaction options) and the
// connection pools.
package sqldb
