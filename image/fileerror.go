package image

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// FileError names the file an error is about, once: "broken.img: image is
// corrupt: …" or "missing.js: no such file or directory" (an *fs.PathError
// for path loses its operation word, as the CLI and the REPL print it).
func FileError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == path {
		return fmt.Errorf("%s: %w", path, pe.Err)
	}
	if strings.HasPrefix(err.Error(), path+":") {
		return err
	}
	return fmt.Errorf("%s: %w", path, err)
}
