//go:build windows

package store

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// Windows byte-range locks are mandatory: the lock covers one byte far past
// the lock file's content, so the holder's name stays readable.
const lockOffset = 1 << 40

func lockRange(f *os.File, flags uint32) (bool, error) {
	ol := &windows.Overlapped{OffsetHigh: lockOffset >> 32}
	err := windows.LockFileEx(windows.Handle(f.Fd()), flags|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION), errors.Is(err, windows.ERROR_IO_PENDING):
		return false, nil
	default:
		return false, err
	}
}

// tryLock takes an exclusive lock on f without waiting; ok is false when
// another handle holds it. Windows drops it when the process dies.
func tryLock(f *os.File) (bool, error) { return lockRange(f, windows.LOCKFILE_EXCLUSIVE_LOCK) }

// tryLockShared takes and at once drops a shared lock: ok is false while a
// holder has the exclusive one.
func tryLockShared(f *os.File) (bool, error) {
	ok, err := lockRange(f, 0)
	if ok {
		unlock(f)
	}
	return ok, err
}

func unlock(f *os.File) {
	ol := &windows.Overlapped{OffsetHigh: lockOffset >> 32}
	_ = windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, ol)
}
