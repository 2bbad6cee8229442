//go:build !unix && !windows

package store

import (
	"errors"
	"os"
)

var errNoLocks = errors.New("file locks are not supported on this platform")

func tryLock(f *os.File) (bool, error)       { return false, errNoLocks }
func tryLockShared(f *os.File) (bool, error) { return false, errNoLocks }
func unlock(f *os.File)                      {}
