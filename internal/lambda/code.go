package lambda

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
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
		os.RemoveAll(tmp)
		return "", fmt.Errorf("unpack %s: %w", name, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, serr := os.Stat(dir); serr == nil {
			return dir, nil
		}
		return "", fmt.Errorf("code directory: %w", err)
	}
	return dir, nil
}
