package stasis_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stasisvm/stasis"
	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/vm"
)

// saved makes a world with opts, runs src in it and saves it to a file in
// a temporary directory, whose path it returns.
var time0 = time.Unix(0, 0)

func saved(t *testing.T, opts stasis.Options, src string) string {
	t.Helper()
	w, err := stasis.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.RunScript("setup.js", src); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "w.img")
	if err := w.SaveImage(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestResumeRunsHooksAndMainWithArgs(t *testing.T) {
	path := saved(t, stasis.Options{}, `
		stasis.onResume(() => console.log("hook"));
		stasis.setMain((...args) => console.log("main", args.join(",")));
	`)
	for _, tc := range []struct {
		name   string
		resume func(*stasis.World) error
		want   string
	}{
		{"Resume", (*stasis.World).Resume, "hook\nmain a,b\n"},
		{"ResumeHooks", (*stasis.World).ResumeHooks, "hook\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			w, err := stasis.Load(context.Background(), path, stasis.Options{Stdout: &out, Args: []string{"a", "b"}})
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.resume(w); err != nil {
				t.Fatal(err)
			}
			if out.String() != tc.want {
				t.Errorf("printed %q, want %q", out.String(), tc.want)
			}
		})
	}
}

func TestLoadRefuses(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.img")
	good := saved(t, stasis.Options{}, `let x = 1`)
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-3] ^= 0xff
	if err := os.WriteFile(corrupt, data, 0o644); err != nil {
		t.Fatal(err)
	}
	withPlugin := saved(t, stasis.Options{Plugins: []stasis.Plugin{&Logs{}}}, `const l = logs.open()`)
	for _, tc := range []struct {
		name, path string
		is         error
		says       string
	}{
		{"missing", filepath.Join(dir, "missing.img"), fs.ErrNotExist, "missing.img"},
		{"corrupt", corrupt, image.ErrCorrupt, "corrupt.img"},
		{"plugin the loader lacks", withPlugin, nil, "logs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := stasis.Load(context.Background(), tc.path, stasis.Options{})
			if err == nil || w != nil {
				t.Fatalf("Load = %v, %v; want an error and no world", w, err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not name %q", err, tc.says)
			}
		})
	}
}

func TestRunScriptSyntaxError(t *testing.T) {
	w, err := stasis.New(stasis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.RunScript("bad.js", "let a = 1;\na +* 2;\n")
	var se *vm.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *vm.SyntaxError", err, err)
	}
	if se.Script != "bad.js" || se.Line != 2 {
		t.Errorf("syntax error at %s:%d, want bad.js:2", se.Script, se.Line)
	}
}

func TestFinishStatus(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		status    int
		report    bool
	}{
		{"idle", `setTimeout(() => {}, 1)`, 0, false},
		{"process.exit", `setTimeout(() => process.exit(3), 1)`, 3, false},
		{"process.exitCode", `process.exitCode = 4`, 4, false},
		{"stasis.exit", `setTimeout(() => stasis.exit(5), 1)`, 5, false},
		{"uncaught in a timer", `setTimeout(() => { throw new Error("boom") }, 1)`, 1, true},
		{"unhandled rejection", `Promise.reject(new Error("no"))`, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := stasis.New(stasis.Options{Clock: vm.NewVirtualClock(time0)})
			if err != nil {
				t.Fatal(err)
			}
			_, err = w.RunScript("app.js", tc.src)
			if err == nil {
				err = w.RunLoop(context.Background())
			}
			status, report := w.Finish(err)
			if status != tc.status || (report != nil) != tc.report {
				t.Errorf("Finish = %d, %v; want %d and a report: %v", status, report, tc.status, tc.report)
			}
		})
	}
}

func TestPermissionsOfTheLoadingWorld(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.txt")
	if err := os.WriteFile(secret, []byte("s3cret"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := saved(t, stasis.Options{Args: []string{secret}}, `
		const fs = require("fs");
		const file = stasis.args[0];
		function peek() {
			try { return fs.readFileSync(file, "utf8") } catch (e) { return e.code }
		}
	`)
	for _, tc := range []struct {
		name  string
		perms *stasis.Permissions
		want  string
	}{
		{"no restrictions", nil, "s3cret"},
		{"granted", &stasis.Permissions{Enabled: true, FSRead: []string{dir}}, "s3cret"},
		{"not granted", &stasis.Permissions{Enabled: true}, "ERR_ACCESS_DENIED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := stasis.Load(context.Background(), path, stasis.Options{Permissions: tc.perms})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Resume(); err != nil {
				t.Fatal(err)
			}
			got, err := w.RunScript("probe.js", `peek()`)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tc.want {
				t.Errorf("peek() = %q, want %q", got, tc.want)
			}
		})
	}
}

// SaveImage makes the saves scripts asked for first, so that their promises
// are settled in the image it writes.
func TestSaveImageAfterRequestedSaves(t *testing.T) {
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.img"), filepath.Join(dir, "second.img")
	w, err := stasis.New(stasis.Options{Args: []string{first}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.RunScript("app.js", `
		let state = "asked";
		stasis.saveImage(stasis.args[0]).then(({ resumed }) => { state = resumed ? "resumed" : "saved" });
	`); err != nil {
		t.Fatal(err)
	}
	if err := w.SaveImage(context.Background(), second); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{first: "resumed", second: "saved"} {
		r, err := stasis.Load(context.Background(), path, stasis.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Resume(); err != nil {
			t.Fatal(err)
		}
		if err := r.RunLoop(context.Background()); err != nil {
			t.Fatal(err)
		}
		got, err := r.RunScript("probe.js", `state`)
		if err != nil {
			t.Fatal(err)
		}
		if got.String() != want {
			t.Errorf("%s: state = %q, want %q", filepath.Base(path), got, want)
		}
	}
}

func TestRunFile(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"lib.js":    `module.exports = (who) => "hello " + who;`,
		"app.js":    `const hello = require("./lib"); console.log(hello(stasis.args[0]));`,
		"broken.js": "let a = ;\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	w, err := stasis.New(stasis.Options{Stdout: &out, Args: []string{"ada"}})
	if err != nil {
		t.Fatal(err)
	}
	// require resolves from the script's directory, not the working one.
	if err := w.RunFile(filepath.Join(dir, "app.js")); err != nil {
		t.Fatal(err)
	}
	if out.String() != "hello ada\n" {
		t.Errorf("app.js printed %q", out.String())
	}
	var se *vm.SyntaxError
	if err := w.RunFile(filepath.Join(dir, "broken.js")); !errors.As(err, &se) || se.Line != 1 {
		t.Errorf("broken.js: error %v, want a *vm.SyntaxError on line 1", err)
	}
	missing := filepath.Join(dir, "missing.js")
	if err := w.RunFile(missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing.js: error %v, want one naming the file that does not exist", err)
	}
}
