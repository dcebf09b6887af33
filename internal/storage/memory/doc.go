// Package memory implements storage.Store entirely in process memory: an ordered, chunked sorted
// list holds the committed data, Update runs one writer at a time and applies its staged writes
// only when fn succeeds, and View reads the committed data under a read lock, so transactions are
// serializable and views see one consistent snapshot. Nothing survives Close; it backs
// `--db memory` and fast tests.
package memory
