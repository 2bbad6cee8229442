//go:build !unix

package image

import (
	"errors"
	"path/filepath"

	"github.com/gofrs/flock"
)

// lockFileName is the file, in a directory that images are saved into,
// that saves lock where a directory cannot be locked itself (Windows). It
// is left in place, empty: removing a lock file races with the next save.
const lockFileName = ".stasis-save.lock"

// lockDir takes an exclusive lock on dir's lock file, waiting for it, and
// returns the function that releases it. The lock goes with the process
// (LockFileEx on Windows): a save killed midway releases it. Where there
// are no file locks at all (plan9, js, wasip1), saves are not serialised.
func lockDir(dir string) (func(), error) {
	l := flock.New(filepath.Join(dir, lockFileName))
	if err := l.Lock(); err != nil {
		if errors.Is(err, errors.ErrUnsupported) {
			return func() {}, nil
		}
		return nil, err
	}
	return func() { l.Close() }, nil
}
