package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A hostile image, resumed with --permission and no write grant, writes
// nothing and reads only what was allowed: not in its resume hook, not in
// its main, not through a descriptor or a read it had in flight, not with
// stasis.saveImage, and the same as a bundle under $STASIS_OPTIONS.
func TestHostileImageUnderGrants(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"secret/key.txt": "the secret",
		"public/hi.txt":  "hello",
		"victim.txt":     "precious",
		"hostile.js": `
			const fs = require("fs");
			const D = ` + "`" + dir + "`" + `;
			const log = (what, f) => { try { console.log(what, "did:", f()) } catch (e) { console.log(what, "denied:", e.code, e.permission) } };
			var fd = fs.openSync(D + "/secret/key.txt", "r");
			fs.readFile(D + "/secret/key.txt", "utf8", (e, d) => console.log("in flight:", e ? e.code : d));
			stasis.onResume(() => {
				log("hook read", () => fs.readFileSync(D + "/secret/key.txt", "utf8"));
				log("hook write", () => fs.writeFileSync(D + "/victim.txt", "owned"));
			});
			stasis.setMain(() => {
				log("main public read", () => fs.readFileSync(D + "/public/hi.txt", "utf8"));
				log("main fd read", () => fs.readFileSync(fd, "utf8"));
				log("main unlink", () => fs.unlinkSync(D + "/victim.txt"));
				log("main create", () => fs.writeFileSync(D + "/public/new.txt", "x"));
				stasis.saveImage(D + "/victim.txt").catch(e => console.log("saveImage:", e.message.includes("no permission to write"), e.message.slice(e.message.indexOf("(grant"))));
			});
		`,
	})
	if status, _, stderr := runStatus(t, dir, "save-image", "-o", "hostile.img", "hostile.js"); status != 0 {
		t.Fatalf("save-image: %d %s", status, stderr)
	}
	if err := os.Remove(filepath.Join(dir, "hostile.js")); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"hook read denied: ERR_ACCESS_DENIED FileSystemRead",
		"hook write denied: ERR_ACCESS_DENIED FileSystemWrite",
		"main public read did: hello",
		"main fd read denied: ERR_ACCESS_DENIED FileSystemRead",
		"main unlink denied: ERR_ACCESS_DENIED FileSystemWrite",
		"main create denied: ERR_ACCESS_DENIED FileSystemWrite",
		"in flight: ERR_ACCESS_DENIED",
	}
	check := func(how, stdout string) {
		t.Helper()
		hint := "(grant it with --allow-fs-write)"
		if strings.HasPrefix(how, "bundle") {
			hint = "(grant it with --allow-fs-write in $STASIS_OPTIONS)"
		}
		for _, w := range append(want, "saveImage: true "+hint) {
			if !strings.Contains(stdout, w+"\n") {
				t.Errorf("%s: output lacks %q:\n%s", how, w, stdout)
			}
		}
		if strings.Contains(stdout, "the secret") {
			t.Errorf("%s: the secret was read:\n%s", how, stdout)
		}
		if b, err := os.ReadFile(filepath.Join(dir, "victim.txt")); err != nil || string(b) != "precious" {
			t.Fatalf("%s: victim.txt is now %q (%v)", how, b, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "public", "new.txt")); err == nil {
			t.Fatalf("%s: a file was created", how)
		}
	}

	status, stdout, stderr := runStatus(t, dir, "load-image", "--permission", "--allow-fs-read="+filepath.Join(dir, "public"), "hostile.img")
	if status != 0 {
		t.Fatalf("load-image: %d %s", status, stderr)
	}
	check("load-image --permission", stdout)
	if !strings.Contains(stderr, "file descriptor 3") || !strings.Contains(stderr, "Access to this API has been restricted") {
		t.Errorf("no warning for the denied descriptor: %q", stderr)
	}

	if status, _, stderr := runStatus(t, dir, "bundle", "-o", "hostile-app", "hostile.img"); status != 0 {
		t.Fatalf("bundle: %d %s", status, stderr)
	}
	app := proc{dir: dir, env: []string{"STASIS_OPTIONS=--permission --allow-fs-read=" + filepath.Join(dir, "public")}}
	check("bundle with STASIS_OPTIONS", app.mustRun(t, filepath.Join(dir, "hostile-app")))

	// Without --permission the same image can do what the user can (as
	// node without --permission): the README says so plainly.
	status, stdout, _ = runStatus(t, dir, "load-image", "hostile.img")
	if status != 0 || !strings.Contains(stdout, "hook write did: undefined") {
		t.Errorf("without --permission: %d\n%s", status, stdout)
	}
}

func TestGrantFlagErrors(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a.js": "1"})
	for _, tt := range []struct {
		env  string
		args []string
		want string
	}{
		{"", []string{"run", "--allow-fs-read=/tmp", "a.js"}, "run: --allow-fs-read and --allow-fs-write need --permission\n"},
		{"--inspect", []string{"run", "a.js"}, `run: STASIS_OPTIONS: "--inspect" is not allowed there (only --permission, --allow-fs-read=PATH, --allow-fs-write=PATH, --compile-source and the load limits --max-image-size=SIZE, --max-objects=N, --max-string-size=SIZE, --max-buffer-size=SIZE)` + "\n"},
	} {
		t.Setenv("STASIS_OPTIONS", tt.env)
		status, _, stderr := stasis(t, dir, "", tt.args...)
		if status != exitError || stderr != tt.want {
			t.Errorf("%v with STASIS_OPTIONS=%q: %d %q, want %q", tt.args, tt.env, status, stderr, tt.want)
		}
	}
}
