//go:build !unix

package runtime

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// supported reports whether this system can run functions: Lambda runtimes need a
// Unix-like system (process groups, POSIX signals).
const supported = false

func setProcAttr(*exec.Cmd) {}

func signalGroup(int, syscall.Signal) {}

const (
	sigTerm = syscall.Signal(15)
	sigKill = syscall.Signal(9)
)

func readNonblock(uintptr, []byte) (int, bool, error) {
	return 0, false, errors.New("not supported")
}

type memWatch struct{}

func watchMemory(int) *memWatch { return nil }

func (*memWatch) peakKB() int64 { return 0 }

func (*memWatch) close() {}

func exitedPeakKB(*os.ProcessState) int64 { return 0 }
