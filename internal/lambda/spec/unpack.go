package spec

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// MaxUnzippedSize is Lambda's limit on a deployment package's unzipped size (250 MB).
const MaxUnzippedSize = 262144000

// Errors of Unpack, to be tested with errors.Is.
var (
	// ErrTooLarge reports a package whose files add up to more than the limit.
	ErrTooLarge = errors.New("unzipped size must be smaller than the limit")
	// ErrBadZip reports a package that is not a valid zip file or holds an entry that
	// cannot be extracted safely: an absolute path, a path or symbolic link leading out of
	// the directory, a device or other special file.
	ErrBadZip = errors.New("could not unzip uploaded file")
)

// maxSymlinkHops bounds the links followed when checking where a link leads (Linux's limit).
const maxSymlinkHops = 40

// Unpack extracts a deployment package into dir (created if missing). It refuses absolute
// paths, paths and symbolic links that lead out of dir, and special files (ErrBadZip), and
// stops as soon as the extracted bytes exceed maxUnzipped (ErrTooLarge; 0 or less means
// MaxUnzippedSize). Files keep the execute permission the zip records for them (0755,
// otherwise 0644; directories 0755). As on Lambda, which uses the POSIX permissions stored
// in the zip, a file from a zip without them (built on Windows, say) is not executable, so
// a provided runtime's bootstrap from such a zip fails with "permission denied". On error,
// dir may hold part of the package.
func Unpack(zipData []byte, dir string, maxUnzipped int64) (err error) {
	if maxUnzipped <= 0 {
		maxUnzipped = MaxUnzippedSize
	}
	zr, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // insecure names are checked below
		return fmt.Errorf("%w: %v", ErrBadZip, err)
	}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		if declared > uint64(maxUnzipped) {
			return ErrTooLarge
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()

	remaining := maxUnzipped
	var links []string
	defer func() {
		// Whatever happened, leave no link that leads out of dir.
		for _, l := range links {
			if !staysInside(dir, l) {
				_ = root.Remove(l)
				if err == nil {
					err = fmt.Errorf("%w: %s: symbolic link leads out of the package", ErrBadZip, l)
				}
			}
		}
	}()
	for _, f := range zr.File {
		name, err := entryName(f.Name)
		if err != nil {
			return err
		}
		if name == "." {
			continue
		}
		mode := f.Mode()
		switch {
		case mode.IsDir():
			if err := root.MkdirAll(name, 0o755); err != nil {
				return fmt.Errorf("%w: %s: %v", ErrBadZip, f.Name, err)
			}
		case mode&fs.ModeSymlink != 0:
			target, err := readEntry(f, min(remaining, 4096))
			if err != nil {
				return err
			}
			remaining -= int64(len(target))
			if err := symlink(root, name, string(target)); err != nil {
				return fmt.Errorf("%w: %s: %v", ErrBadZip, f.Name, err)
			}
			links = append(links, name)
		case mode.IsRegular():
			n, err := writeEntry(root, f, name, remaining)
			if err != nil {
				return err
			}
			remaining -= n
		default:
			return fmt.Errorf("%w: %s: unsupported file type %v", ErrBadZip, f.Name, mode.Type())
		}
	}
	// A link checked alone can still lead out through other links: the deferred check
	// looks at all of them once every link exists.
	return nil
}

// entryName validates an entry's name and returns it cleaned ("." for the root itself).
func entryName(name string) (string, error) {
	if name == "" || strings.ContainsRune(name, 0) || path.IsAbs(name) || filepath.IsAbs(name) {
		return "", fmt.Errorf("%w: %q: invalid file name", ErrBadZip, name)
	}
	clean := path.Clean(name)
	if clean == "." {
		return clean, nil
	}
	if !filepath.IsLocal(clean) {
		return "", fmt.Errorf("%w: %q: path leads out of the package", ErrBadZip, name)
	}
	return clean, nil
}

// readEntry reads an entry of at most limit bytes.
func readEntry(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadZip, f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadZip, f.Name, err)
	}
	if int64(len(b)) > limit {
		return nil, ErrTooLarge
	}
	return b, nil
}

// writeEntry extracts a regular file of at most limit bytes and returns its size.
func writeEntry(root *os.Root, f *zip.File, name string, limit int64) (int64, error) {
	perm := fs.FileMode(0o644)
	if f.Mode()&0o111 != 0 {
		perm = 0o755
	}
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return 0, fmt.Errorf("%w: %s: %v", ErrBadZip, f.Name, err)
		}
	}
	rc, err := f.Open()
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %v", ErrBadZip, f.Name, err)
	}
	defer rc.Close()
	out, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %v", ErrBadZip, f.Name, err)
	}
	src := &errReader{r: io.LimitReader(rc, limit+1)}
	n, err := io.Copy(out, src)
	if err == nil {
		err = out.Chmod(perm)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	switch {
	case n > limit:
		return n, ErrTooLarge
	case src.err != nil: // corrupt data, bad checksum: the package's fault
		return n, fmt.Errorf("%w: %s: %v", ErrBadZip, f.Name, src.err)
	case err != nil:
		return n, err
	}
	return n, nil
}

// errReader remembers the error of the reader it wraps, to tell reading from writing
// failures apart.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

// symlink creates a link whose target, read lexically from the link's directory, stays in
// the package.
func symlink(root *os.Root, name, target string) error {
	if target == "" || strings.ContainsRune(target, 0) || path.IsAbs(target) || filepath.IsAbs(target) {
		return fmt.Errorf("invalid link target %q", target)
	}
	if !filepath.IsLocal(path.Join(path.Dir(name), target)) {
		return fmt.Errorf("link target %q leads out of the package", target)
	}
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return root.Symlink(target, name)
}

// staysInside resolves the path rel (relative to dir) through the links that exist, and
// reports whether it never leaves dir. A component that does not exist is taken lexically.
func staysInside(dir, rel string) bool {
	var resolved []string
	pending := strings.Split(rel, "/")
	hops := 0
	for len(pending) > 0 {
		c := pending[0]
		pending = pending[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			if len(resolved) == 0 {
				return false
			}
			resolved = resolved[:len(resolved)-1]
			continue
		}
		p := filepath.Join(dir, filepath.Join(resolved...), c)
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			resolved = append(resolved, c)
			continue
		}
		if hops++; hops > maxSymlinkHops {
			return false
		}
		target, err := os.Readlink(p)
		if err != nil || path.IsAbs(target) || filepath.IsAbs(target) {
			return false
		}
		pending = append(strings.Split(target, "/"), pending...)
	}
	return true
}
