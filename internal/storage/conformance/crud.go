package conformance

import (
	"errors"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

func testGetMissing(t *testing.T, s storage.Store) {
	wantMissing(t, s, "nope")
	update(t, s, func(tx storage.Tx) error {
		if _, err := tx.Get("nope"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Get in Update: %v, want ErrNotFound", err)
		}
		return nil
	})
	// The error reaches the caller of Update unchanged, as fn returned it.
	err := s.Update(t.Context(), func(tx storage.Tx) error {
		_, err := tx.Get("nope")
		return err
	})
	if !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Update returning Get's error: %v, want ErrNotFound", err)
	}
}

func testPutGet(t *testing.T, s storage.Store) {
	update(t, s, func(tx storage.Tx) error { return tx.Put("k", []byte("v1")) })
	wantValue(t, s, "k", []byte("v1"))
	update(t, s, func(tx storage.Tx) error { return tx.Put("k", []byte("v2")) })
	wantValue(t, s, "k", []byte("v2"))
	update(t, s, func(tx storage.Tx) error {
		// Keys differing only in a trailing byte are distinct.
		if err := tx.Put("k\x00", []byte("nul")); err != nil {
			return err
		}
		return tx.Put("K", []byte("upper"))
	})
	wantContents(t, s, model{"k": []byte("v2"), "k\x00": []byte("nul"), "K": []byte("upper")})
}

func testValuesAreCopied(t *testing.T, s storage.Store) {
	in := []byte("original")
	update(t, s, func(tx storage.Tx) error { return tx.Put("k", in) })
	copy(in, "XXXXXXXX") // the caller may reuse its buffer after Put
	wantValue(t, s, "k", []byte("original"))

	view(t, s, func(tx storage.Tx) error {
		v, err := tx.Get("k")
		if err != nil {
			return err
		}
		copy(v, "YYYYYYYY") // and may modify what Get returned
		kvs, err := tx.Scan("", "", 0)
		if err != nil {
			return err
		}
		copy(kvs[0].Value, "ZZZZZZZZ")
		return nil
	})
	wantValue(t, s, "k", []byte("original"))

	// The same inside Update, where writes may be staged in memory.
	update(t, s, func(tx storage.Tx) error {
		buf := []byte("staged")
		if err := tx.Put("s", buf); err != nil {
			return err
		}
		copy(buf, "XXXXXX")
		v, err := tx.Get("s")
		if err != nil {
			return err
		}
		if string(v) != "staged" {
			t.Errorf("Get after modifying the Put buffer = %q, want %q", v, "staged")
		}
		copy(v, "YYYYYY")
		return nil
	})
	wantValue(t, s, "s", []byte("staged"))
}

func testEmptyAndBinaryValues(t *testing.T, s storage.Store) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	update(t, s, func(tx storage.Tx) error {
		if err := tx.Put("nil", nil); err != nil {
			return err
		}
		if err := tx.Put("empty", []byte{}); err != nil {
			return err
		}
		return tx.Put("binary", all)
	})
	wantValue(t, s, "nil", []byte{})
	wantValue(t, s, "empty", []byte{})
	wantValue(t, s, "binary", all)
	wantContents(t, s, model{"nil": {}, "empty": {}, "binary": all})
}

func testEmptyKey(t *testing.T, s storage.Store) {
	update(t, s, func(tx storage.Tx) error {
		if err := tx.Insert("", []byte("root")); err != nil {
			return err
		}
		return tx.Put("a", []byte("a"))
	})
	wantValue(t, s, "", []byte("root"))
	wantContents(t, s, model{"": []byte("root"), "a": []byte("a")})
	update(t, s, func(tx storage.Tx) error { return tx.Delete("") })
	wantMissing(t, s, "")
}

func testInsert(t *testing.T, s storage.Store) {
	update(t, s, func(tx storage.Tx) error { return tx.Insert("k", []byte("first")) })
	wantValue(t, s, "k", []byte("first"))

	err := s.Update(t.Context(), func(tx storage.Tx) error { return tx.Insert("k", []byte("second")) })
	if !errors.Is(err, storage.ErrAlreadyExists) {
		t.Fatalf("Insert of an existing key: %v, want ErrAlreadyExists", err)
	}
	wantValue(t, s, "k", []byte("first"))

	// A failed Insert leaves the transaction usable: fn may handle the error and go on.
	update(t, s, func(tx storage.Tx) error {
		if err := tx.Insert("k", []byte("third")); !errors.Is(err, storage.ErrAlreadyExists) {
			t.Errorf("Insert of an existing key: %v, want ErrAlreadyExists", err)
		}
		return tx.Put("other", []byte("after"))
	})
	wantValue(t, s, "k", []byte("first"))
	wantValue(t, s, "other", []byte("after"))
}

func testDelete(t *testing.T, s storage.Store) {
	load(t, s, model{"a": []byte("1"), "b": []byte("2")})
	update(t, s, func(tx storage.Tx) error { return tx.Delete("a") })
	wantMissing(t, s, "a")
	wantValue(t, s, "b", []byte("2"))

	err := s.Update(t.Context(), func(tx storage.Tx) error { return tx.Delete("a") })
	if !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("Delete of a missing key: %v, want ErrNotFound", err)
	}
	// A failed Delete leaves the transaction usable.
	update(t, s, func(tx storage.Tx) error {
		if err := tx.Delete("missing"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Delete of a missing key: %v, want ErrNotFound", err)
		}
		return tx.Put("c", []byte("3"))
	})
	wantContents(t, s, model{"b": []byte("2"), "c": []byte("3")})

	// A deleted key can be inserted again.
	update(t, s, func(tx storage.Tx) error { return tx.Insert("a", []byte("again")) })
	wantValue(t, s, "a", []byte("again"))
}

type jsonThing struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Tags  []string `json:"tags,omitempty"`
}

func testJSONHelpers(t *testing.T, s storage.Store) {
	update(t, s, func(tx storage.Tx) error {
		if err := storage.InsertJSON(tx, "thing/1", jsonThing{Name: "one", Count: 1}); err != nil {
			return err
		}
		if err := storage.InsertJSON(tx, "thing/1", jsonThing{}); !errors.Is(err, storage.ErrAlreadyExists) {
			t.Errorf("InsertJSON of an existing key: %v, want ErrAlreadyExists", err)
		}
		return storage.PutJSON(tx, "thing/2", jsonThing{Name: "two", Count: 2, Tags: []string{"x"}})
	})
	view(t, s, func(tx storage.Tx) error {
		got, err := storage.GetJSON[jsonThing](tx, "thing/2")
		if err != nil {
			return err
		}
		if got.Name != "two" || got.Count != 2 || len(got.Tags) != 1 {
			t.Errorf("GetJSON = %+v", got)
		}
		if _, err := storage.GetJSON[jsonThing](tx, "thing/3"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("GetJSON of a missing key: %v, want ErrNotFound", err)
		}
		keys, vals, err := storage.ScanJSON[jsonThing](tx, "thing/", "", 0)
		if err != nil {
			return err
		}
		if len(keys) != 2 || keys[0] != "thing/1" || keys[1] != "thing/2" || vals[0].Name != "one" || vals[1].Name != "two" {
			t.Errorf("ScanJSON = %q, %+v", keys, vals)
		}
		return nil
	})
}
