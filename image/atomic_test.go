package image

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
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
