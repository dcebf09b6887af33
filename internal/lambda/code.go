package lambda

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gatehouse-dev/gatehouse/internal/lambda/spec"
	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

// checkZip refuses a package that is not a readable .zip or unpacks beyond Lambda's limit.
func checkZip(b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return invalid("Could not unzip uploaded file. Please check your file, then try to upload again.")
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > maxUnzipped {
		return invalid("Unzipped size must be smaller than %d bytes", maxUnzipped)
	}
	return nil
}

// codeDir returns the directory holding a package unpacked, unpacking it on first use. A
// package is unpacked once per code hash, into a temporary directory renamed into place, so
// concurrent replicas and invocations never see half a package.
func (s *Service) codeDir(name, shaHex string) (string, error) {
	dir := filepath.Join(s.CodeDir, shaHex)
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	s.unpackMu.Lock()
	defer s.unpackMu.Unlock()
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	var zipData []byte
	err := s.Store.View(context.Background(), func(tx storage.Tx) error {
		var err error
		zipData, err = tx.Get(codeKey(name, shaHex))
		return err
	})
	if errors.Is(err, storage.ErrNotFound) {
		return "", s.errFunctionNotFound(name, "")
	}
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(s.CodeDir, 0o700); err != nil {
		return "", fmt.Errorf("code directory: %w", err)
	}
	tmp, err := os.MkdirTemp(s.CodeDir, "unpack-")
	if err != nil {
		return "", fmt.Errorf("code directory: %w", err)
	}
	if err := spec.Unpack(zipData, tmp, maxUnzipped); err != nil {
		RemoveTree(tmp)
		return "", fmt.Errorf("unpack %s: %w", name, err)
	}
	// The package is read-only to the function, as /var/task is on Lambda.
	if err := readOnly(tmp); err != nil {
		RemoveTree(tmp)
		return "", fmt.Errorf("unpack %s: %w", name, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		RemoveTree(tmp)
		if _, serr := os.Stat(dir); serr == nil {
			return dir, nil
		}
		return "", fmt.Errorf("code directory: %w", err)
	}
	return dir, nil
}

// readOnly takes write permission away from every file and directory under root.
func readOnly(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.Chmod(p, info.Mode().Perm()&^0o222)
	})
}

// RemoveTree deletes a directory tree that may hold read-only directories (unpacked packages).
func RemoveTree(root string) error {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o700)
		}
		return nil
	})
	return os.RemoveAll(root)
}

// SweepCode deletes the unpacked packages no function references any more, and what an
// interrupted unpack left behind. The server calls it at start and after a reset; packages of
// deleted or updated functions otherwise stay until then, since instances may still run
// from them.
func (s *Service) SweepCode(ctx context.Context) error {
	entries, err := os.ReadDir(s.CodeDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	used := map[string]bool{}
	err = s.Store.View(ctx, func(tx storage.Tx) error {
		_, recs, err := storage.ScanJSON[functionRecord](tx, fnPrefix, "", 0)
		for i := range recs {
			for _, h := range recs[i].CodeHex {
				used[h] = true
			}
		}
		return err
	})
	if err != nil {
		return err
	}
	s.unpackMu.Lock()
	defer s.unpackMu.Unlock()
	for _, e := range entries {
		if !used[e.Name()] {
			if err := RemoveTree(filepath.Join(s.CodeDir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}
