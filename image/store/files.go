package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Files is a store of image files in one directory: world NAME is the file
// NAME, an ordinary image that load-image and inspect read as they are.
// Beside it, NAME.lock carries the world's lease (an OS file lock, dropped
// by the kernel when its process dies), its generation and the holder's
// host and pid. Lock files stay when their world is removed: deleting a
// lock file that another process may be about to lock would let two
// processes hold the world.
type Files struct {
	dir  string
	mu   sync.Mutex
	held map[string]*os.File // lock files this store holds leases on
}

// NewFiles returns a files store in dir.
func NewFiles(dir string) *Files {
	if dir == "" {
		dir = "."
	}
	return &Files{dir: dir, held: map[string]*os.File{}}
}

// FilesFor returns the files store of the image file at path and the
// world's name in it.
func FilesFor(path string) (*Files, string) {
	dir, name := filepath.Split(path)
	return NewFiles(dir), name
}

// lockState is the content of a lock file (JSON).
type lockState struct {
	Gen     int64  `json:"gen"`
	Host    string `json:"host,omitempty"`
	PID     int    `json:"pid,omitempty"`
	Process string `json:"process,omitempty"`
}

func (s *Files) path(name string) (string, error) {
	if name == "" || name != filepath.Base(name) || name == "." || name == ".." {
		return "", fmt.Errorf("world name %q: must be a plain file name", name)
	}
	return filepath.Join(s.dir, name), nil
}

func readState(f *os.File) (lockState, error) {
	var st lockState
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<20))
	if err != nil {
		return st, fmt.Errorf("%s: %w", f.Name(), err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("%s: lock file is corrupt: %w", f.Name(), err)
	}
	return st, nil
}

func writeState(f *os.File, st lockState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	// The state is short and written in one call at offset 0, before the
	// truncation, so a reader sees the old state, the new one, or the new
	// one followed by a tail of the old (which the JSON decoder refuses);
	// the holder rewrites it under its lock before anyone relies on it.
	if _, err := f.WriteAt(b, 0); err != nil {
		return fmt.Errorf("%s: %w", f.Name(), err)
	}
	if err := f.Truncate(int64(len(b))); err != nil {
		return fmt.Errorf("%s: %w", f.Name(), err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("%s: %w", f.Name(), err)
	}
	return nil
}

// lock opens and locks name's lock file, or returns a *HeldError.
func (s *Files) lock(name string) (*os.File, error) {
	p, err := s.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	ok, err := tryLock(f)
	// A process that has just taken the lock writes its name over the last
	// holder's a moment later, and one that reads or lists holds it
	// without writing: while the recorded holder is a process of this host
	// that has ended, look again for a while rather than name the dead.
	for tries := 0; err == nil && !ok && tries < 50; tries++ {
		st, _ := readState(f)
		h := Holder{Host: st.Host, PID: st.PID, Process: st.Process}
		if h.Host != Me().Host || !gone(h) {
			break
		}
		time.Sleep(10 * time.Millisecond)
		ok, err = tryLock(f)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	if !ok {
		st, _ := readState(f)
		f.Close()
		return nil, &HeldError{Name: name, Holder: Holder{Host: st.Host, PID: st.PID, Process: st.Process}}
	}
	return f, nil
}

// withLock runs fn with name's lock file: the one this store's lease holds,
// or one locked for the duration of fn.
func (s *Files) withLock(name string, fn func(f *os.File) error) error {
	s.mu.Lock()
	f := s.held[name]
	s.mu.Unlock()
	if f != nil {
		return fn(f)
	}
	f, err := s.lock(name)
	if err != nil {
		return err
	}
	defer func() {
		unlock(f)
		f.Close()
	}()
	return fn(f)
}

// Get implements Store.
func (s *Files) Get(ctx context.Context, name string) (Image, error) {
	p, err := s.path(name)
	if err != nil {
		return Image{}, err
	}
	var img Image
	if f, err := os.Open(p + ".lock"); err == nil {
		st, _ := readState(f)
		f.Close()
		img.Gen = st.Gen
	}
	img.Data, err = os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return img, fmt.Errorf("%s: %w", p, ErrNotFound)
	}
	if err != nil {
		return Image{}, err
	}
	return img, nil
}

// Put implements Store: the image is written to a temporary file beside
// the target, synced, and renamed over it.
func (s *Files) Put(ctx context.Context, name string, data []byte, expect int64) (gen int64, err error) {
	p, err := s.path(name)
	if err != nil {
		return 0, err
	}
	err = s.withLock(name, func(f *os.File) error {
		st, err := readState(f)
		if err != nil {
			return err
		}
		if st.Gen != expect {
			return fmt.Errorf("%s: %w", p, ErrStale)
		}
		if err := writeAtomic(p, data); err != nil {
			return err
		}
		st.Gen++
		gen = st.Gen
		return writeState(f, st)
	})
	return gen, err
}

// Delete implements Store.
func (s *Files) Delete(ctx context.Context, name string, expect int64) error {
	p, err := s.path(name)
	if err != nil {
		return err
	}
	return s.withLock(name, func(f *os.File) error {
		st, err := readState(f)
		if err != nil {
			return err
		}
		if st.Gen != expect {
			return fmt.Errorf("%s: %w", p, ErrStale)
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		syncDir(s.dir)
		st.Gen++
		return writeState(f, st)
	})
}

// imageMagic opens every image file (see the image package's container).
const imageMagic = "\x89STASIS\n"

// List implements Store: the image files in the directory.
func (s *Files) List(ctx context.Context) ([]Entry, error) {
	des, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, de := range des {
		name := de.Name()
		if !de.Type().IsRegular() || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".lock") {
			continue
		}
		p := filepath.Join(s.dir, name)
		if !hasMagic(p) {
			continue
		}
		e := Entry{Name: name}
		if fi, err := de.Info(); err == nil {
			e.Size = fi.Size()
		}
		if f, err := os.Open(p + ".lock"); err == nil {
			st, _ := readState(f)
			e.Gen = st.Gen
			if ok, err := tryLockShared(f); err == nil && !ok {
				e.Holder = &Holder{Host: st.Host, PID: st.PID, Process: st.Process}
			}
			f.Close()
		}
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func hasMagic(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, len(imageMagic))
	_, err = io.ReadFull(f, b)
	return err == nil && string(b) == imageMagic
}

// Lease implements Store.
func (s *Files) Lease(ctx context.Context, name string) (*Lease, error) {
	s.mu.Lock()
	_, mine := s.held[name]
	s.mu.Unlock()
	me := Me()
	if mine {
		return nil, &HeldError{Name: name, Holder: me}
	}
	f, err := s.lock(name)
	if err != nil {
		return nil, err
	}
	st, err := readState(f)
	if err == nil {
		st = lockState{Gen: st.Gen + 1, Host: me.Host, PID: me.PID, Process: me.Process}
		err = writeState(f, st)
	}
	if err != nil {
		unlock(f)
		f.Close()
		return nil, err
	}
	s.mu.Lock()
	s.held[name] = f
	s.mu.Unlock()
	return &Lease{Name: name, Holder: me, st: s, gen: st.Gen, release: func(gen int64) error {
		s.mu.Lock()
		delete(s.held, name)
		s.mu.Unlock()
		err := writeState(f, lockState{Gen: gen})
		unlock(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	}}, nil
}

// Close implements Store; it releases nothing (a lease is released by
// Lease.Release, or by the process's end).
func (s *Files) Close() error { return nil }

// writeAtomic writes data to path without ever leaving a broken file there:
// a temporary file in the same directory is written, synced and renamed
// over path, and the directory is synced.
func writeAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		perm = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
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
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
