//go:build unix

package spec

import (
	"archive/zip"
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type zipEntry struct {
	name, body string
	mode       fs.FileMode // with ModeSymlink, body is the target; 0 means an entry without Unix modes
}

func makeZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		hdr := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			hdr.SetMode(e.mode)
		} else {
			hdr.CreatorVersion = 20 // MS-DOS (FAT): no Unix permissions, as zips made on Windows
			hdr.ExternalAttrs = 0x20
			if strings.HasSuffix(e.name, "/") {
				hdr.ExternalAttrs = 0x10
			}
		}
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUnpack(t *testing.T) {
	data := makeZip(t,
		zipEntry{"bootstrap", "#!/bin/sh\n", 0o755},
		zipEntry{"index.js", "exports.handler = 1", 0o600},
		zipEntry{"lib/", "", fs.ModeDir | 0o700},
		zipEntry{"lib/v1/impl.js", "impl", 0o644},
		zipEntry{"lib/current", "v1", fs.ModeSymlink | 0o777},
		zipEntry{"./dot/./file.txt", "dot", 0o644},
		zipEntry{"win/run.sh", "no modes", 0},
	)
	dir := filepath.Join(t.TempDir(), "code")
	if err := Unpack(data, dir, 0); err != nil {
		t.Fatal(err)
	}
	check := func(name string, mode fs.FileMode, body string) {
		t.Helper()
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return
		}
		if fi.Mode() != mode {
			t.Errorf("%s: mode %v, want %v", name, fi.Mode(), mode)
		}
		if body != "" {
			if b, _ := os.ReadFile(p); string(b) != body {
				t.Errorf("%s: %q, want %q", name, b, body)
			}
		}
	}
	check("bootstrap", 0o755, "#!/bin/sh\n")
	check("index.js", 0o644, "exports.handler = 1")
	check("lib", fs.ModeDir|0o755, "")
	check("lib/current/impl.js", 0o644, "impl")
	check("dot/file.txt", 0o644, "dot")
	check("win/run.sh", 0o644, "no modes") // not executable, as on Lambda
	if target, err := os.Readlink(filepath.Join(dir, "lib/current")); err != nil || target != "v1" {
		t.Errorf("lib/current → %q, %v", target, err)
	}
}

func TestUnpackRefusals(t *testing.T) {
	for _, c := range []struct {
		name    string
		entries []zipEntry
	}{
		{"parent", []zipEntry{{"../evil", "x", 0o644}}},
		{"parent inside", []zipEntry{{"a/../../evil", "x", 0o644}}},
		{"absolute", []zipEntry{{"/tmp/evil", "x", 0o644}}},
		{"nul", []zipEntry{{"a\x00b", "x", 0o644}}},
		{"absolute link", []zipEntry{{"link", "/etc", fs.ModeSymlink | 0o777}}},
		{"link out", []zipEntry{{"link", "../outside", fs.ModeSymlink | 0o777}}},
		{"link out from a folder", []zipEntry{{"a/b/link", "../../../x", fs.ModeSymlink | 0o777}}},
		{"links leading out together", []zipEntry{
			{"deep/dir/s", "../..", fs.ModeSymlink | 0o777},  // the package root: fine alone
			{"t", "deep/dir/s/../x", fs.ModeSymlink | 0o777}, // lexically deep/dir/x; really ../x
		}},
		{"named pipe", []zipEntry{{"fifo", "", fs.ModeNamedPipe | 0o644}}},
		{"file then folder", []zipEntry{{"a", "x", 0o644}, {"a/", "", fs.ModeDir | 0o755}, {"a/b", "y", 0o644}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := t.TempDir()
			err := Unpack(makeZip(t, c.entries...), filepath.Join(base, "code"), 0)
			if !errors.Is(err, ErrBadZip) {
				t.Errorf("Unpack = %v, want ErrBadZip", err)
			}
			assertOnlyCode(t, base)
		})
	}

	// Names are cleaned before links are followed: s/.. is not "the parent of where s leads".
	base := t.TempDir()
	err := Unpack(makeZip(t,
		zipEntry{"deep/dir/s", "../..", fs.ModeSymlink | 0o777},
		zipEntry{"deep/dir/s/../inside", "x", 0o644},
	), filepath.Join(base, "code"), 0)
	if b, rerr := os.ReadFile(filepath.Join(base, "code/deep/dir/inside")); err != nil || string(b) != "x" {
		t.Errorf("Unpack = %v; deep/dir/inside: %q %v", err, b, rerr)
	}
	assertOnlyCode(t, base)

	for _, junk := range [][]byte{nil, []byte("not a zip"), makeZip(t, zipEntry{"a", "b", 0o644})[:40]} {
		if err := Unpack(junk, filepath.Join(base, "code"), 0); !errors.Is(err, ErrBadZip) {
			t.Errorf("Unpack(%q) = %v, want ErrBadZip", junk, err)
		}
	}
	// Corrupt compressed data fails its checksum.
	data := makeZip(t, zipEntry{"a.txt", strings.Repeat("lambda ", 100), 0o644})
	i := bytes.Index(data, []byte("a.txt")) + len("a.txt") + 5
	data[i] ^= 0xff
	if err := Unpack(data, filepath.Join(base, "corrupt"), 0); !errors.Is(err, ErrBadZip) {
		t.Errorf("corrupt data: %v, want ErrBadZip", err)
	}
}

// assertOnlyCode checks that nothing was written next to base/code.
func assertOnlyCode(t *testing.T, base string) {
	t.Helper()
	entries, _ := os.ReadDir(base)
	for _, e := range entries {
		if e.Name() != "code" && e.Name() != "sentinel" {
			t.Errorf("%s was written outside the package directory", e.Name())
		}
	}
}

func TestUnpackSizeLimit(t *testing.T) {
	data := makeZip(t, zipEntry{"a", strings.Repeat("a", 600), 0o644}, zipEntry{"b", strings.Repeat("b", 400), 0o644})
	if err := Unpack(data, t.TempDir(), 1000); err != nil {
		t.Errorf("exactly the limit: %v", err)
	}
	if err := Unpack(data, t.TempDir(), 999); !errors.Is(err, ErrTooLarge) {
		t.Errorf("one byte over: %v, want ErrTooLarge", err)
	}
	// A zip bomb is refused from its declared sizes, before anything is written.
	bomb := makeZip(t, zipEntry{"zeros", strings.Repeat("\x00", 2<<20), 0o644})
	dir := t.TempDir()
	if err := Unpack(bomb, dir, 1<<20); !errors.Is(err, ErrTooLarge) {
		t.Errorf("bomb: %v, want ErrTooLarge", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bomb: %d files written", len(entries))
	}
	// Lying sizes do not get past the limit either: the reader refuses data beyond them.
	lying := makeZip(t, zipEntry{"big", strings.Repeat("x", 5000), 0o644})
	hdr := bytes.Index(lying, []byte("PK\x01\x02")) // central directory: uncompressed size at +24
	copy(lying[hdr+24:hdr+28], []byte{10, 0, 0, 0})
	err := Unpack(lying, t.TempDir(), 1000)
	if !errors.Is(err, ErrBadZip) && !errors.Is(err, ErrTooLarge) {
		t.Errorf("lying size: %v", err)
	}
}

func FuzzUnpack(f *testing.F) {
	f.Add(makeZip(f, zipEntry{"bootstrap", "#!/bin/sh\n", 0o755}, zipEntry{"lib/x.js", "x", 0o644}))
	f.Add(makeZip(f, zipEntry{"link", "lib", fs.ModeSymlink | 0o777}, zipEntry{"link/a", "a", 0o644}))
	f.Add(makeZip(f, zipEntry{"deep/dir/s", "../..", fs.ModeSymlink | 0o777}, zipEntry{"t", "deep/dir/s/../x", fs.ModeSymlink | 0o777}))
	f.Add(makeZip(f, zipEntry{"../evil", "x", 0o644}))
	f.Add(makeZip(f, zipEntry{"win\\path.txt", "w", 0}))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	const limit = 1 << 20
	// Scratch space in memory where there is some: every input creates and removes a tree.
	scratch := ""
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		scratch = "/dev/shm"
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		base, err := os.MkdirTemp(scratch, "gatehouse-fuzz-unpack-")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(base)
		sentinel := filepath.Join(base, "sentinel")
		if err := os.WriteFile(sentinel, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(base, "code")
		err = Unpack(data, dir, limit)
		if err != nil && !errors.Is(err, ErrBadZip) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("unexpected error: %v", err)
		}
		assertOnlyCode(t, base)
		if b, _ := os.ReadFile(sentinel); string(b) != "keep" {
			t.Fatal("the sentinel next to the package changed")
		}
		var total int64
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			if d.Type()&fs.ModeSymlink != 0 && err == nil && !staysInside(dir, filepath.ToSlash(rel)) {
				t.Errorf("link %s leads out (Unpack returned %v)", rel, err)
			}
			if d.Type().IsRegular() {
				if fi, err := d.Info(); err == nil {
					total += fi.Size()
				}
			}
			return nil
		})
		if total > limit {
			t.Errorf("%d bytes extracted, limit %d", total, limit)
		}
	})
}
