//go:build unix

package runtime

import (
	"errors"
	"os/exec"
	"syscall"
)

// supported reports whether this system can run functions.
const supported = true

// setProcAttr puts the child in a process group of its own (so the whole group can be
// signalled) and, where the system allows, has it killed when Gatehouse dies.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	setParentDeathSignal(cmd.SysProcAttr)
}

// signalGroup sends sig to every process of the group led by pid.
func signalGroup(pid int, sig syscall.Signal) {
	if pid > 0 {
		_ = syscall.Kill(-pid, sig)
	}
}

const (
	sigTerm = syscall.SIGTERM
	sigKill = syscall.SIGKILL
)

// readNonblock reads what a non-blocking descriptor holds; again is true when it holds
// nothing yet.
func readNonblock(fd uintptr, buf []byte) (n int, again bool, err error) {
	for {
		n, err = syscall.Read(int(fd), buf)
		switch {
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EAGAIN):
			return 0, true, nil
		case err != nil:
			return 0, false, err
		}
		return n, false, nil
	}
}
