//go:build !unix

package main

import "time"

// processCPU returns -1: the CPU time of the process is not measured on this platform.
func processCPU() time.Duration { return -1 }
