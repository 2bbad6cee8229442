//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package natives

import (
	"syscall"
	"time"
)

func statAtime(s *syscall.Stat_t) time.Time { return time.Unix(s.Atimespec.Unix()) }
func statCtime(s *syscall.Stat_t) time.Time { return time.Unix(s.Ctimespec.Unix()) }
