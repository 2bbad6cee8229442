package image

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "world.img")
	if err := os.WriteFile(path, []byte("old image"), 0o600); err != nil {
		t.Fatal(err)
	}
	failing := errors.New("disk on fire")
	err := WriteFileAtomic(path, 0o644, func(w io.Writer) error {
		w.Write([]byte("half a new ima"))
		return failing
	})
	if !errors.Is(err, failing) {
		t.Fatalf("got %v, want the writer's error", err)
	}
	assertDir := func(wantContent string) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil || string(b) != wantContent {
			t.Fatalf("file holds %q (%v), want %q", b, err, wantContent)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Fatalf("directory holds %d entries, want only the image", len(entries))
		}
	}
	assertDir("old image")
	if err := WriteFileAtomic(path, 0o644, func(w io.Writer) error { _, err := w.Write([]byte("new image")); return err }); err != nil {
		t.Fatal(err)
	}
	assertDir("new image")
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the old file's 0600", fi.Mode().Perm())
	}
}

// A save killed with -9 leaves its temporary file; the next save to the
// same path removes it (and leaves other files alone).
func TestWriteFileAtomicRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w[1].img")
	files := map[string]bool{
		".w[1].img.tmp-123456": false, // stale: removed
		".w[1].img.tmp-":       false,
		".other.img.tmp-99":    true, // another target's: kept
		"w[1].img.tmp-1":       true, // not hidden: not ours
	}
	for f := range files {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("half an image"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFileAtomic(path, 0o644, func(w io.Writer) error { _, err := w.Write([]byte("image")); return err }); err != nil {
		t.Fatal(err)
	}
	for f, kept := range files {
		_, err := os.Stat(filepath.Join(dir, f))
		if exists := err == nil; exists != kept {
			t.Errorf("%s: exists %v, want %v", f, exists, kept)
		}
	}
}

// A save to a symbolic link replaces the file it points to; the link stays.
func TestWriteFileAtomicFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(dir, "images", "v1.img")
	if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "current.img")
	if err := os.Symlink("images/v1.img", link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "next.img")
	if err := os.Symlink("images/v2.img", dangling); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ link, target string }{{link, real}, {dangling, filepath.Join(dir, "images", "v2.img")}} {
		if err := WriteFileAtomic(c.link, 0o644, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(c.link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link (%v)", c.link, err)
		}
		if b, err := os.ReadFile(c.target); err != nil || string(b) != "new" {
			t.Errorf("%s holds %q (%v), want the new image", c.target, b, err)
		}
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the old file's 0600", fi.Mode().Perm())
	}
}

// Two saves to one path take turns: the second starts writing only when
// the first has finished, and both succeed.
func TestWriteFileAtomicSerialisesSaves(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	path := filepath.Join(t.TempDir(), "w.img")
	var mu sync.Mutex
	var events []string
	event := func(e string) { mu.Lock(); events = append(events, e); mu.Unlock() }
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 2)
	go func() {
		done <- WriteFileAtomic(path, 0o644, func(w io.Writer) error {
			event("first starts")
			close(started)
			<-release
			event("first ends")
			_, err := w.Write([]byte("first"))
			return err
		})
	}()
	<-started
	go func() {
		done <- WriteFileAtomic(path, 0o644, func(w io.Writer) error {
			event("second starts")
			_, err := w.Write([]byte("second"))
			return err
		})
	}()
	// Give the second save every chance to start too early.
	for i := 0; i < 100; i++ {
		runtime.Gosched()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	for i := 0; i < 2; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(events, ", "); got != "first starts, first ends, second starts" {
		t.Errorf("events: %s", got)
	}
	if b, _ := os.ReadFile(path); string(b) != "second" {
		t.Errorf("the file holds %q, want the second save", b)
	}
}

func TestWriteFileAtomicMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nodir", "a.img")
	err := WriteFileAtomic(path, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err })
	// The error names the file asked for, not a temporary file or a lock.
	want := "write " + path + ": directory " + filepath.Dir(path) + " does not exist"
	if err == nil || err.Error() != want || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("got %v, want %q", err, want)
	}
}
