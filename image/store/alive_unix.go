//go:build unix

package store

import (
	"errors"

	"golang.org/x/sys/unix"
)

// gone reports whether h, a process on this host, has certainly ended: no
// process has its pid, or the one that has it is another (its identity
// differs, as after a reboot or when the pid was reused).
func gone(h Holder) bool {
	if h.PID <= 0 {
		return true
	}
	if err := unix.Kill(h.PID, 0); errors.Is(err, unix.ESRCH) {
		return true
	}
	if h.Process != "" {
		if now := processIdentity(h.PID); now != "" && now != h.Process {
			return true
		}
	}
	return false
}
