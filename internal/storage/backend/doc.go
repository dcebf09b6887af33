// Package backend turns the --db and --data settings into an open storage.Store: SQLite in the
// data directory by default, "memory" for a throw-away in-process store, or a postgres:// URL
// for PostgreSQL shared by several replicas.
package backend
