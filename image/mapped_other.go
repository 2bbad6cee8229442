//go:build !unix

package image

import (
	"errors"
	"os"
)

// mapFile maps nothing on this system: the image is read.
func mapFile(f *os.File, off, n int64) ([]byte, func(), error) {
	return nil, nil, errors.New("no file mapping on this system")
}
