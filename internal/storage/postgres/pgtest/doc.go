// Package pgtest gives tests an isolated PostgreSQL database: a fresh schema, named at random,
// in the database GATEHOUSE_TEST_POSTGRES_DSN points to, dropped when the test ends; without
// that variable the test is skipped.
package pgtest
