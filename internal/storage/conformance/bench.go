package conformance

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// benchKeys is the number of keys BenchGet reads from.
const benchKeys = 1000

// BenchGet measures a View that reads one 256-byte value among benchKeys keys.
func BenchGet(b *testing.B, s storage.Store) {
	keys := make([]string, benchKeys)
	m := model{}
	for i := range keys {
		keys[i] = fmt.Sprintf("bench/%04d", i)
		m[keys[i]] = make([]byte, 256)
	}
	load(b, s, m)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		err := s.View(b.Context(), func(tx storage.Tx) error {
			_, err := tx.Get(keys[i%benchKeys])
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchUpdate measures an Update that reads a counter and writes it back incremented.
func BenchUpdate(b *testing.B, s storage.Store) {
	load(b, s, model{"counter": []byte("0")})
	b.ReportAllocs()
	for b.Loop() {
		err := s.Update(b.Context(), func(tx storage.Tx) error {
			v, err := tx.Get("counter")
			if err != nil {
				return err
			}
			n, err := strconv.Atoi(string(v))
			if err != nil {
				return err
			}
			return tx.Put("counter", []byte(strconv.Itoa(n+1)))
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
