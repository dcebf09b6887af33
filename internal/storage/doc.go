// Package storage owns the persistence contract every Gatehouse backend implements: an ordered,
// transactional key-value store (Store/Tx), its sentinel errors and small typed JSON helpers.
// Domain packages build their aggregates and secondary indexes on top of it; the backends
// (memory, sqlite, postgres) only move bytes, and all of them pass storage/conformance.
package storage
