package runtime

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
)

func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }

// memWatch reads a live process's peak resident set size (VmHWM) from a /proc status file
// it keeps open.
type memWatch struct {
	f   *os.File
	buf []byte
}

func watchMemory(pid int) *memWatch {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return nil
	}
	return &memWatch{f: f, buf: make([]byte, 4096)}
}

// peakKB is the peak so far, in KiB, or 0.
func (m *memWatch) peakKB() int64 {
	if m == nil {
		return 0
	}
	n, _ := m.f.ReadAt(m.buf, 0)
	b := m.buf[:n]
	i := bytes.Index(b, []byte("VmHWM:"))
	if i < 0 {
		return 0
	}
	b = b[i+len("VmHWM:"):]
	if j := bytes.IndexByte(b, '\n'); j >= 0 {
		b = b[:j]
	}
	v, _ := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(b), []byte(" kB"))), 10, 64)
	return v
}

func (m *memWatch) close() {
	if m != nil {
		_ = m.f.Close()
	}
}

// exitedPeakKB is the peak resident set size of an ended process, in KiB.
func exitedPeakKB(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}
