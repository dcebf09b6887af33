package runtime

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// bootstraps holds the runtime interface clients of the managed runtimes: node/bootstrap.mjs
// and python/bootstrap.py, written to the host's runtime directory (LAMBDA_RUNTIME_DIR).
//
//go:embed bootstrap
var bootstraps embed.FS

// runtimeDir creates, once, the directory the managed runtimes' bootstraps run from.
func (h *Host) runtimeDir() (string, error) {
	h.rtOnce.Do(func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.closed {
			h.rtErr = ErrClosed
			return
		}
		dir, err := os.MkdirTemp("", "gatehouse-lambda-runtime-")
		if err != nil {
			h.rtErr = fmt.Errorf("runtime: %w", err)
			return
		}
		h.rtDir = dir
		sub, _ := fs.Sub(bootstraps, "bootstrap")
		if err := os.CopyFS(dir, sub); err != nil {
			h.rtErr = fmt.Errorf("runtime: write bootstraps: %w", err)
			return
		}
		// Read-only, as /var/runtime is on Lambda.
		h.rtErr = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			return os.Chmod(p, 0o444)
		})
	})
	return h.rtDir, h.rtErr
}

// runtimeDirPath is the runtime directory, "" before one is needed (provided runtimes).
func (h *Host) runtimeDirPath() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rtDir
}
