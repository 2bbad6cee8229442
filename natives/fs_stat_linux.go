package natives

import (
	"syscall"
	"time"
)

func statAtime(s *syscall.Stat_t) time.Time { return time.Unix(s.Atim.Unix()) }
func statCtime(s *syscall.Stat_t) time.Time { return time.Unix(s.Ctim.Unix()) }
