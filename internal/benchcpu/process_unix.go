//go:build unix

package benchcpu

import (
	"syscall"
	"time"
)

// Process returns the CPU time the process has used so far (user and
// system, all threads: the collector's workers count too).
func Process() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
