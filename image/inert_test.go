package image

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// Load touches nothing outside the JavaScript heap: the descriptors an
// image holds are opened again, and the file operations it had in flight
// started again, only when the world is resumed, and then under the
// resuming world's grants.
func TestLoadIsInert(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("open.txt", "x")
	write("read.txt", "before")
	options := func(out *bytes.Buffer, perms *vm.Permissions) vm.Options {
		return vm.Options{Stdout: out, Stderr: out, Permissions: perms,
			Setup: []func(*vm.VM) error{natives.Setup(natives.Default()...)}}
	}
	var out bytes.Buffer
	v, err := NewWorld(options(&out, nil))
	if err != nil {
		t.Fatal(err)
	}
	_ = v.Runtime().Set("D", dir)
	if _, err := v.RunScript("w.js", `
		var fs = require("fs");
		var fd = fs.openSync(D + "/open.txt", "r");
		fs.readFile(D + "/read.txt", "utf8", (err, data) => console.log("read:", err ? err.code : data));
	`); err != nil {
		t.Fatal(err)
	}
	var img bytes.Buffer
	if err := Save(&img, v, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	// Between the load and the resume the files change: what the resumed
	// world sees shows when it touched them.
	load := func(perms *vm.Permissions) (*vm.VM, *bytes.Buffer) {
		var out bytes.Buffer
		w, _, err := Load(bytes.NewReader(img.Bytes()), LoadOptions{VM: options(&out, perms)})
		if err != nil {
			t.Fatal(err)
		}
		if out.Len() != 0 || !w.Loop().Idle() {
			t.Fatalf("Load acted on the host: printed %q, loop idle %v", out.String(), w.Loop().Idle())
		}
		return w, &out
	}
	resume := func(w *vm.VM) {
		if err := RunResumeHooks(w); err != nil {
			t.Fatal(err)
		}
		if err := w.Loop().Run(context.Background()); err != nil {
			t.Fatal(err)
		}
	}

	w, wout := load(nil)
	if err := os.Remove(filepath.Join(dir, "open.txt")); err != nil {
		t.Fatal(err)
	}
	write("read.txt", "after")
	resume(w)
	got := strings.ReplaceAll(wout.String(), dir, "D")
	want := "stasis: warning: file descriptor 3 (D/open.txt) cannot be opened again: no such file or directory\nread: after\n"
	if got != want {
		t.Errorf("resumed world printed\n%s\nwant\n%s", got, want)
	}

	// Resumed under grants that do not cover the files, the world's
	// operation fails as a denied read, and its descriptor is stale.
	write("open.txt", "x")
	w, wout = load(&vm.Permissions{Enabled: true})
	resume(w)
	if _, err := w.RunScript("probe.js", `try { fs.readSync(fd, new Uint8Array(1)) } catch (e) { console.log("fd:", e.code) }`); err != nil {
		t.Fatal(err)
	}
	got = strings.ReplaceAll(wout.String(), dir, "D")
	for _, want := range []string{"file descriptor 3 (D/open.txt) cannot be opened again: Access to this API has been restricted", "read: ERR_ACCESS_DENIED\n", "fd: ERR_ACCESS_DENIED\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("resumed world under grants printed\n%s\nwithout %q", got, want)
		}
	}
}
