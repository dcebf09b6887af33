// Package sqlite opens Gatehouse's default store: a storage.Store in one SQLite database file,
// through the pure-Go modernc.org/sqlite driver (so the binary builds with CGO_ENABLED=0), in
// WAL mode with one dedicated writer connection for Updates and a pool of read-only connections
// for Views, migrated at Open from the SQL files embedded in migrations/.
package sqlite
