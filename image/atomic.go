package image

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes path through write without ever leaving a broken
// file there: it writes a temporary file in the same directory, syncs it,
// gives it the old file's mode (or perm), renames it over path and syncs the
// directory. On any error the temporary file is removed and path is untouched.
//
// The temporary file is named ".NAME.tmp-RANDOM" beside NAME. Saves into
// one directory take turns (an exclusive lock on the directory; on Windows
// on a file .stasis-save.lock in it, which stays), so two saves to one path
// both succeed, one after the other, and temporary files of NAME that a killed save left behind are
// removed by the next save to NAME. When path is a symbolic link, the file
// it points to is replaced and the link stays a link.
//
// An error about the file names path as the caller gave it, never the
// temporary file or the directory's lock: "write nodir/app.img: directory
// nodir does not exist".
func WriteFileAtomic(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	given := path
	path, err = followLink(path)
	if err != nil {
		return err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return &os.PathError{Op: "write", Path: given, Err: missingDir(filepath.Clean(dir))}
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return &os.PathError{Op: "write", Path: given, Err: fmt.Errorf("lock the directory: %w", cause(err))}
	}
	defer unlock()
	removeStaleTemps(dir, base)
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			return &os.PathError{Op: "write", Path: path, Err: errors.New("not a regular file")}
		}
		perm = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(dir, tempPrefix(base)+"*")
	if err != nil {
		return &os.PathError{Op: "write", Path: given, Err: cause(err)}
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

func tempPrefix(base string) string { return "." + base + ".tmp-" }

// missingDir is the directory of a file to write, which does not exist
// (or is not a directory).
type missingDir string

func (d missingDir) Error() string { return "directory " + string(d) + " does not exist" }

func (d missingDir) Is(target error) bool { return target == fs.ErrNotExist }

// cause is what went wrong with a file, without the file's name.
func cause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// removeStaleTemps removes the temporary files of base in dir. The caller
// holds the directory's lock, so no save is writing them.
func removeStaleTemps(dir, base string) {
	stale, _ := filepath.Glob(filepath.Join(dir, globEscape(tempPrefix(base))+"*"))
	for _, f := range stale {
		if fi, err := os.Lstat(f); err == nil && fi.Mode().IsRegular() {
			os.Remove(f)
		}
	}
}

// globEscape quotes the characters filepath.Match treats specially.
func globEscape(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', '\\':
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// followLink returns the file path names when path is a symbolic link
// (following a chain of them; a link to a file not made yet names that
// file), or path itself.
func followLink(path string) (string, error) {
	for hops := 0; ; hops++ {
		fi, err := os.Lstat(path)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			return path, nil
		}
		if hops == 40 {
			return "", &os.PathError{Op: "write", Path: path, Err: errors.New("too many levels of symbolic links")}
		}
		to, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path = to
	}
}
