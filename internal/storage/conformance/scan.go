package conformance

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// scanKeys are the keys of the scan tests. They put NUL, '/', multibyte UTF-8 and the bytes
// 0xfe and 0xff where a text comparison, a NUL-terminated string or a naive prefix upper bound
// ("prefix" + 0xff, or incrementing a 0xff byte) would go wrong. The empty key is left out: it
// cannot serve as Scan's after cursor, since after == "" means "from the first key".
var scanKeys = []string{
	"a", "a/", "a/b", "a/b/c", "a/bc", "a0", "a\x00", "a\x00b", "a\x01", "ab", "b",
	"é", "é/x", "e\u0301", "日本", "日本語", "日\x00",
	"\xfe", "\xfe\xff", "\xfe\xff\x00", "\xfe\xff\xff",
	"\xff", "\xff\x00", "\xff\xfe", "\xff\xff", "\xff\xff\xff",
	"p\xfe", "p\xfe\xff", "p\xfe\xffz", "p\xff", "p\xff\x00", "p\xff\xff", "p\xff\xffa", "q",
	"z\xff",
}

// scanModel returns the model of the scan tests: every scanKey with a value derived from it.
func scanModel() model {
	m := make(model, len(scanKeys))
	for _, k := range scanKeys {
		m[k] = []byte("v:" + k)
	}
	return m
}

// scanPrefixes returns every prefix of every scanKey plus some that match no key.
func scanPrefixes() []string {
	seen := map[string]bool{}
	for _, k := range scanKeys {
		for i := 0; i <= len(k); i++ {
			seen[k[:i]] = true
		}
	}
	for _, p := range []string{"c", "a\x00\x00", "\xff\xff\xff\xff", "p\xff\xff\xff", "日本語語", "\x00"} {
		seen[p] = true
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func testScanMatchesModel(t *testing.T, s storage.Store) {
	m := scanModel()
	load(t, s, m)
	afters := []string{"", "0", "a\xff", "\xff\xff\xff\xff", "日"}
	for _, k := range scanKeys {
		afters = append(afters, k, k+"\x00")
	}
	prefixes := scanPrefixes()
	view(t, s, func(tx storage.Tx) error {
		failures := 0
		check := func(prefix, after string, limit int) error {
			got, err := tx.Scan(prefix, after, limit)
			if err != nil {
				return fmt.Errorf("Scan(%q, %q, %d): %w", prefix, after, limit, err)
			}
			if diff := diffKVs(got, m.scan(prefix, after, limit)); diff != "" {
				t.Errorf("Scan(%q, %q, %d) = %q, differs:\n%s", prefix, after, limit, keysOf(got), diff)
				failures++
			}
			return nil
		}
		for _, prefix := range prefixes {
			if err := check(prefix, "", -1); err != nil {
				return err
			}
			for _, after := range afters {
				for _, limit := range []int{0, 1, 3} {
					if err := check(prefix, after, limit); err != nil {
						return err
					}
					if failures > 10 {
						t.Fatal("too many failures")
					}
				}
			}
		}
		return nil
	})
}

func testScanPagination(t *testing.T, s storage.Store) {
	m := scanModel()
	load(t, s, m)
	for _, prefix := range []string{"", "a", "p\xff", "\xff", "\xfe\xff"} {
		for _, pageSize := range []int{1, 2, 5} {
			var all []storage.KV
			after := ""
			for pages := 0; ; pages++ {
				if pages > len(m) {
					t.Fatalf("prefix %q, page size %d: pagination does not end", prefix, pageSize)
				}
				var page []storage.KV
				view(t, s, func(tx storage.Tx) error {
					var err error
					page, err = tx.Scan(prefix, after, pageSize)
					return err
				})
				if len(page) > pageSize {
					t.Fatalf("Scan(%q, %q, %d) returned %d pairs", prefix, after, pageSize, len(page))
				}
				if len(page) == 0 {
					break
				}
				all = append(all, page...)
				after = page[len(page)-1].Key
			}
			if diff := diffKVs(all, m.scan(prefix, "", 0)); diff != "" {
				t.Errorf("prefix %q, page size %d: pages differ from one Scan:\n%s", prefix, pageSize, diff)
			}
		}
	}
}

func testDeletePrefix(t *testing.T, s storage.Store) {
	for _, prefix := range []string{
		"a", "a/", "a\x00", "é", "日本", "\xfe", "\xfe\xff", "\xff", "\xff\xff", "p\xfe\xff", "p\xff", "zz", "",
	} {
		m := scanModel()
		update(t, s, func(tx storage.Tx) error {
			if _, err := tx.DeletePrefix(""); err != nil {
				return err
			}
			for k, v := range m {
				if err := tx.Put(k, v); err != nil {
					return err
				}
			}
			return nil
		})
		want := m.deletePrefix(prefix)
		var n int
		update(t, s, func(tx storage.Tx) error {
			var err error
			n, err = tx.DeletePrefix(prefix)
			return err
		})
		if n != want {
			t.Errorf("DeletePrefix(%q) = %d, want %d", prefix, n, want)
		}
		wantContents(t, s, m)
	}
	// On an empty store.
	update(t, s, func(tx storage.Tx) error {
		n, err := tx.DeletePrefix("")
		if n != 0 {
			t.Errorf("DeletePrefix on an empty store = %d, want 0", n)
		}
		return err
	})
}

func testCount(t *testing.T, s storage.Store) {
	m := scanModel()
	update(t, s, func(tx storage.Tx) error {
		for k, v := range m {
			if err := tx.Put(k, v); err != nil {
				return err
			}
		}
		return nil
	})
	for _, prefix := range []string{"a", "a/", "a\x00", "é", "日本", "\xfe", "\xff", "p\xff", "zz", ""} {
		want := 0
		for k := range m {
			if strings.HasPrefix(k, prefix) {
				want++
			}
		}
		view(t, s, func(tx storage.Tx) error {
			n, err := tx.Count(prefix)
			if n != want {
				t.Errorf("Count(%q) = %d, want %d", prefix, n, want)
			}
			return err
		})
	}
	// Inside Update, Count sees the transaction's own writes and deletions.
	update(t, s, func(tx storage.Tx) error {
		before, err := tx.Count("")
		if err != nil {
			return err
		}
		if err := tx.Put("count/new", []byte("x")); err != nil {
			return err
		}
		var some string
		for k := range m {
			some = k
			break
		}
		if err := tx.Delete(some); err != nil {
			return err
		}
		after, err := tx.Count("")
		if after != before {
			t.Errorf("Count after one put and one delete = %d, want %d", after, before)
		}
		if n, _ := tx.Count("count/"); n != 1 {
			t.Errorf("Count(count/) = %d, want 1", n)
		}
		return err
	})
}

func testManyKeys(t *testing.T, s storage.Store) {
	const n = 3000
	rng := rand.New(rand.NewPCG(1, 2))
	m := model{}
	update(t, s, func(tx storage.Tx) error {
		for _, i := range rng.Perm(n) {
			k := fmt.Sprintf("item/%05d", i)
			m[k] = fmt.Appendf(nil, "value %d", i)
			if err := tx.Insert(k, m[k]); err != nil {
				return err
			}
		}
		return nil
	})
	wantContents(t, s, m)
	update(t, s, func(tx storage.Tx) error {
		for _, i := range rng.Perm(n)[:n/2] {
			k := fmt.Sprintf("item/%05d", i)
			delete(m, k)
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	wantContents(t, s, m)
	view(t, s, func(tx storage.Tx) error {
		for _, prefix := range []string{"item/00", "item/012", "item/2999"} {
			got, err := tx.Scan(prefix, "", 0)
			if err != nil {
				return err
			}
			if diff := diffKVs(got, m.scan(prefix, "", 0)); diff != "" {
				t.Errorf("Scan(%q):\n%s", prefix, diff)
			}
		}
		return nil
	})
	want := m.deletePrefix("item/01")
	update(t, s, func(tx storage.Tx) error {
		got, err := tx.DeletePrefix("item/01")
		if got != want {
			t.Errorf("DeletePrefix(item/01) = %d, want %d", got, want)
		}
		return err
	})
	wantContents(t, s, m)
}

func testLargeValues(t *testing.T, s storage.Store) {
	const size = 1 << 20
	rng := rand.New(rand.NewPCG(3, 4))
	big := func() []byte {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	m := model{"big/1": big(), "big/2": big()}
	load(t, s, m)
	wantValue(t, s, "big/1", m["big/1"])
	wantContents(t, s, m)
	m["big/1"] = big()
	load(t, s, model{"big/1": m["big/1"]})
	wantContents(t, s, m)
}
