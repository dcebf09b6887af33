// Package postgres opens the store that several Gatehouse replicas share: a storage.Store in a
// PostgreSQL database reached through pgx's database/sql driver, with Updates at SERIALIZABLE
// isolation (retried on serialization failures and deadlocks) and Views at REPEATABLE READ, READ
// ONLY, migrated at Open from the SQL files embedded in migrations/ under an advisory lock.
package postgres
