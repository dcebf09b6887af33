//go:build unix && !linux

package runtime

import (
	"os"
	"syscall"
)

func setParentDeathSignal(*syscall.SysProcAttr) {}

func peakMemoryKB(int) int64 { return 0 }

func exitedPeakKB(*os.ProcessState) int64 { return 0 }
