//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package natives

import (
	"os"
	"syscall"
	"time"
)

type sysStat struct {
	dev, ino, nlink, uid, gid, blksize, blocks int64
	atime, ctime                               time.Time
}

func statSys(fi os.FileInfo) sysStat {
	s, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return sysStat{nlink: 1}
	}
	return sysStat{
		dev: int64(s.Dev), ino: int64(s.Ino), nlink: int64(s.Nlink), uid: int64(s.Uid), gid: int64(s.Gid),
		blksize: int64(s.Blksize), blocks: int64(s.Blocks),
		atime: statAtime(s), ctime: statCtime(s),
	}
}
