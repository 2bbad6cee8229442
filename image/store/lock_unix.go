//go:build unix

package store

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// tryLock takes an exclusive flock on f without waiting; ok is false when
// another open file holds it. flock locks belong to the open file, so two
// stores in one process exclude each other too, and the kernel drops the
// lock when the process dies.
func tryLock(f *os.File) (ok bool, err error) { return flock(f, unix.LOCK_EX) }

// tryLockShared takes and at once drops a shared lock: ok is false while a
// holder has the exclusive one.
func tryLockShared(f *os.File) (ok bool, err error) {
	ok, err = flock(f, unix.LOCK_SH)
	if ok {
		unlock(f)
	}
	return ok, err
}

func flock(f *os.File, how int) (bool, error) {
	for {
		err := unix.Flock(int(f.Fd()), how|unix.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, unix.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, unix.EINTR):
			continue
		default:
			return false, err
		}
	}
}

func unlock(f *os.File) { _ = unix.Flock(int(f.Fd()), unix.LOCK_UN) }
