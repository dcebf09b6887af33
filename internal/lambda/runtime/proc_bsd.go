//go:build unix && !linux

package runtime

import (
	"os"
	"syscall"
)

func setParentDeathSignal(*syscall.SysProcAttr) {}

type memWatch struct{}

func watchMemory(int) *memWatch { return nil }

func (*memWatch) peakKB() int64 { return 0 }

func (*memWatch) close() {}

func exitedPeakKB(*os.ProcessState) int64 { return 0 }
