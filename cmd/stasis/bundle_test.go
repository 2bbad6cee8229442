package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stasisvm/stasis/image/imagetest"
)

const bundleApp = `var greeting = "hello from the image";
stasis.onResume(function () { console.log("resumed") });
stasis.setMain(function main(...args) {
	console.log(greeting, JSON.stringify(args), JSON.stringify(stasis.args));
	if (args[0] === "throw") throw new Error("thrown by main");
	if (typeof stasis.exit === "function") stasis.exit(args.length);
});
`

// TestBundle builds a bundle, moves it alone into an empty directory and
// runs it with arguments that look like Stasis's own flags.
func TestBundle(t *testing.T) {
	stasisBinary(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"app.js": bundleApp})
	runBinary(t, dir, "save-image", "-o", "app.img", "app.js")
	runBinary(t, dir, "bundle", "-o", "app", "app.img")

	empty := t.TempDir()
	app := filepath.Join(empty, "app")
	if err := os.Rename(filepath.Join(dir, "app"), app); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(app); err != nil || fi.Mode().Perm()&0o111 == 0 {
		t.Fatalf("bundle is not executable: %v %v", fi.Mode(), err)
	}
	// With no stasis.exit in the world, a bundle exits 0 after main returns.
	hasExit := strings.Contains(runBinary(t, dir, "run", writeProbe(t, dir)), "function")

	args := []string{"--help", "-o", "x y", "--", "load-image"}
	status, stdout, stderr := proc{dir: empty}.run(t, app, args...)
	want := "resumed\nhello from the image " + `["--help","-o","x y","--","load-image"] ["--help","-o","x y","--","load-image"]` + "\n"
	if stdout != want || stderr != "" {
		t.Errorf("bundle printed %q (stderr %q), want %q", stdout, stderr, want)
	}
	wantStatus := 0
	if hasExit {
		wantStatus = len(args)
	}
	if status != wantStatus {
		t.Errorf("bundle exited %d, want %d", status, wantStatus)
	}

	// No arguments at all: still the app, not a REPL.
	status, stdout, _ = proc{dir: empty}.run(t, app)
	if status != 0 || stdout != "resumed\nhello from the image [] []\n" {
		t.Errorf("bundle without arguments: status %d, stdout %q", status, stdout)
	}

	// An uncaught error: its message and JavaScript stack on stderr, status 1.
	status, stdout, stderr = proc{dir: empty}.run(t, app, "throw")
	if status != 1 || !strings.Contains(stderr, "app: main: Error: thrown by main\n") || !strings.Contains(stderr, "app.js:5") {
		t.Errorf("bundle throw: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}

	// load-image, save-image -i and repl take the bundle as they take the image.
	t.Chdir(empty)
	var loaded, loadedErr bytes.Buffer
	run([]string{"load-image", "app", "--", "x"}, strings.NewReader(""), &loaded, &loadedErr)
	if want := "resumed\nhello from the image " + `["x"] ["x"]` + "\n"; loaded.String() != want || loadedErr.String() != "" {
		t.Errorf("load-image app printed %q (stderr %q), want %q", loaded.String(), loadedErr.String(), want)
	}
	if err := os.WriteFile(filepath.Join(empty, "more.js"), []byte("var more = greeting + '!';\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	loaded.Reset()
	if status := run([]string{"save-image", "-i", "app", "-o", "more.img", "more.js"}, strings.NewReader(""), &loaded, &loadedErr); status != 0 {
		t.Fatalf("save-image -i app: status %d: %s", status, loadedErr.String())
	}
	loaded.Reset()
	run([]string{"repl", "more.img"}, strings.NewReader("more\n"), &loaded, &loadedErr)
	if !strings.HasSuffix(loaded.String(), "'hello from the image!'\n") {
		t.Errorf("repl more.img printed %q (stderr %q)", loaded.String(), loadedErr.String())
	}

	// inspect works on the bundle as on the image.
	for _, args := range [][]string{{"inspect", "app"}, {"inspect", filepath.Join(dir, "app.img")}} {
		var out, errOut bytes.Buffer
		if status := run(args, strings.NewReader(""), &out, &errOut); status != 0 {
			t.Fatalf("%v: status %d: %s", args, status, errOut.String())
		}
		for _, s := range []string{"format     " + formatVersion, "built from app.js", "main main()", "onResume 1", "app.js", "greeting"} {
			if !strings.Contains(out.String(), s) {
				t.Errorf("%v lacks %q:\n%s", args, s, out.String())
			}
		}
		if isBundle := strings.HasPrefix(out.String(), "bundle     app: "); isBundle != (args[1] == "app") {
			t.Errorf("%v: first line %q", args, strings.SplitN(out.String(), "\n", 2)[0])
		}
	}
	var out, errOut bytes.Buffer
	if status := run([]string{"inspect", "--json", "app"}, strings.NewReader(""), &out, &errOut); status != 0 {
		t.Fatalf("inspect --json app: status %d: %s", status, errOut.String())
	}
	var sum struct {
		Format string
		Sizes  struct{ File, Bundle int64 }
		Hooks  struct {
			OnResume int
			Main     bool
			MainName string
		}
		GlobalProperties []string
	}
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil {
		t.Fatalf("inspect --json app: %v\n%s", err, out.String())
	}
	if fi, _ := os.Stat(app); sum.Format != formatVersion || sum.Sizes.Bundle != fi.Size() || sum.Sizes.File <= 0 || sum.Sizes.File >= sum.Sizes.Bundle ||
		sum.Hooks.OnResume != 1 || !sum.Hooks.Main || sum.Hooks.MainName != "main" || strings.Join(sum.GlobalProperties, ",") != "greeting" {
		t.Errorf("inspect --json app: %+v", sum)
	}

	// A bundle cannot be bundled into a bundle by accident, but its image can.
	runBinary(t, empty, "bundle", "-o", "again", "app")
	if status, stdout, _ := (proc{dir: empty}).run(t, filepath.Join(empty, "again"), "a"); !strings.Contains(stdout, `["a"]`) {
		t.Errorf("re-bundled app: status %d, stdout %q", status, stdout)
	}
}

// writeProbe writes a script that tells whether the CLI's worlds have stasis.exit.
func writeProbe(t *testing.T, dir string) string {
	writeTree(t, dir, map[string]string{"probe-exit.js": "console.log(typeof stasis.exit)\n"})
	return "probe-exit.js"
}

func TestBundleErrors(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, scripts)
	tests := []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{"bundle", "app.img"}, 2, "stasis bundle: "},
		{[]string{"bundle", "-o", "app"}, 2, "stasis bundle: "},
		{[]string{"bundle", "-o", "app", "missing.img"}, 1, "bundle: missing.img: no such file or directory\n"},
		{[]string{"bundle", "-o", "app", "broken.img"}, 1, "bundle: broken.img: not a Stasis image: bad magic bytes\n"},
	}
	for _, tt := range tests {
		status, _, stderr := stasis(t, dir, "", tt.args...)
		if status != tt.status || !strings.HasPrefix(stderr, tt.stderr) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: status %d, stderr %q; want %d, %q", tt.args, status, stderr, tt.status, tt.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "app")); !os.IsNotExist(err) {
		t.Errorf("a failed bundle left a file: %v", err)
	}
}

// BenchmarkBundleStartup compares, in the same run, starting: a bundle
// whose image holds lodash, against `stasis run` of lodash's source and the
// same call; and a bundle of an almost empty world (its main prints one
// number), against `stasis --version`, a process that starts and exits.
// bench: go test ./cmd/stasis -run '^$' -bench BundleStartup -benchtime 20x
func BenchmarkBundleStartup(b *testing.B) {
	bin := stasisBinary(b)
	lodash := filepath.Join(imagetest.Package(b, "lodash@4.17.21"), "lodash.js")
	src, err := os.ReadFile(lodash)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	main := "stasis.setMain(function (n) { console.log(_.sum(_.map(_.range(+n), x => x * 2))) });\n"
	call := "stasis.args.length && console.log(_.sum(_.map(_.range(+stasis.args[0]), x => x * 2)));\n"
	empty := "stasis.setMain(function (n) { console.log(n * 9) });\n"
	for name, content := range map[string]string{"lodash.js": string(src), "main.js": main, "call.js": call, "empty.js": empty} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"save-image", "-o", "lodash.img", "lodash.js", "main.js"}, {"bundle", "-o", "app", "lodash.img"},
		{"save-image", "-o", "empty.img", "empty.js"}, {"bundle", "-o", "empty", "empty.img"},
	} {
		if status, _, stderr := (proc{dir: dir}).run(b, bin, args...); status != 0 {
			b.Fatalf("%v: %s", args, stderr)
		}
	}
	cases := []startCase{
		{"Version", "", bin, []string{"--version"}},
		{"EmptyBundle", "90\n", filepath.Join(dir, "empty"), []string{"10"}},
		{"RunSource", "90\n", bin, []string{"run", "lodash.js", "call.js", "--", "10"}},
		{"Bundle", "90\n", filepath.Join(dir, "app"), []string{"10"}},
	}
	benchStarts(b, dir, cases)
}

// startCase is a process whose start-up a benchmark measures.
type startCase struct {
	name, want string
	exe        string
	args       []string
}

// benchStarts runs each case b.N times in dir, as a sub-benchmark.
func benchStarts(b *testing.B, dir string, cases []startCase) {
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			// Besides wall time, the CPU time of the child processes: on a
			// busy machine it varies much less.
			var cpu time.Duration
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(c.exe, c.args...)
				cmd.Dir = dir
				var out, errOut bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &errOut
				if err := cmd.Run(); err != nil || (c.want != "" && out.String() != c.want) {
					b.Fatalf("%s %v: %v, stdout %q, stderr %q", c.exe, c.args, err, out.String(), errOut.String())
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkTypeScriptStartup starts processes that have the TypeScript 5
// compiler loaded and transpile one snippet: a bundle of a world that
// loaded it, `stasis run typescript.js main.js`, node running the same
// scripts, and node from a user-land startup snapshot that loaded it
// (node --snapshot-blob snap.blob --build-snapshot entry.js, then node
// --snapshot-blob snap.blob main.js). bench/startup.sh prints the ratios.
func BenchmarkTypeScriptStartup(b *testing.B) {
	bin := stasisBinary(b)
	tsSrc, err := os.ReadFile(filepath.Join(imagetest.Package(b, "typescript@5.4.5"), "lib", "typescript.js"))
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	transpile := "ts.transpileModule('const x: number = 1; export default x', { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText"
	files := map[string]string{
		"typescript.js": string(tsSrc),
		"main.js":       "console.log(" + transpile + ");\n",
		"setmain.js":    "stasis.setMain(function () { console.log(" + transpile + ") });\n",
		// node's snapshot entry may require only built-in modules: it
		// evaluates the library as CommonJS itself.
		"entry.js": "const src = require('fs').readFileSync(require('path').join(process.cwd(), 'typescript.js'), 'utf8');\n" +
			"const m = { exports: {} };\n" +
			"new Function('module', 'exports', 'require', '__filename', '__dirname', src)(m, m.exports, require, 'typescript.js', '.');\n" +
			"globalThis.ts = m.exports;\n",
		"node-main.js": "globalThis.ts = require('./typescript.js');\nrequire('./main.js');\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for _, args := range [][]string{{"save-image", "-o", "ts.img", "typescript.js", "setmain.js"}, {"bundle", "-o", "tsapp", "ts.img"}} {
		if status, _, stderr := (proc{dir: dir}).run(b, bin, args...); status != 0 {
			b.Fatalf("%v: %s", args, stderr)
		}
	}
	want := "\"use strict\";\nObject.defineProperty(exports, \"__esModule\", { value: true });\nvar x = 1;\nexports.default = x;\n\n"
	cases := []startCase{
		{"RunSource", want, bin, []string{"run", "typescript.js", "main.js"}},
		{"Bundle", want, filepath.Join(dir, "tsapp"), nil},
	}
	if node, err := exec.LookPath("node"); err == nil {
		if status, _, stderr := (proc{dir: dir}).run(b, node, "--snapshot-blob", "snap.blob", "--build-snapshot", "entry.js"); status != 0 {
			b.Fatalf("node --build-snapshot: %s", stderr)
		}
		cases = append(cases, startCase{"Node", want, node, []string{"node-main.js"}},
			startCase{"NodeSnapshot", want, node, []string{"--snapshot-blob", "snap.blob", "main.js"}})
	}
	benchStarts(b, dir, cases)
}

// TestMdtoolExample builds examples/mdtool as README.md says and runs it.
func TestMdtoolExample(t *testing.T) {
	stasisBinary(t)
	marked := filepath.Join(imagetest.Package(t, "marked@4.3.0"), "lib", "marked.umd.js")
	tool, err := filepath.Abs("../../examples/mdtool/mdtool.js")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	runBinary(t, dir, "save-image", "-o", "mdtool.img", marked, tool)
	runBinary(t, dir, "bundle", "-o", "mdtool", "mdtool.img")
	status, stdout, stderr := proc{dir: dir}.run(t, filepath.Join(dir, "mdtool"), "-e", "# Hello", "*world*")
	if status != 0 || stdout != "<h1>Hello <em>world</em></h1>\n" {
		t.Errorf("mdtool -e: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
	writeTree(t, dir, map[string]string{"notes.md": "Some `code` and a [link](https://example.com).\n"})
	status, stdout, stderr = proc{dir: dir}.run(t, filepath.Join(dir, "mdtool"), "notes.md")
	if status != 0 || !strings.HasPrefix(stdout, "<p>") {
		t.Errorf("mdtool notes.md: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
}

// TestBundleHugePagesSettle runs a bundle whose image is large enough for
// its heap to be grown ahead in memory advised for huge pages
// (internal/heapgrow), and checks in its /proc/PID/smaps that the advice
// is still there in a bundle that has not collected since its load, and
// gone, after a collection, in one that keeps allocating (a server's
// life: see atNextCollection).
func TestBundleHugePagesSettle(t *testing.T) {
	if setting, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil || !bytes.Contains(setting, []byte("[madvise]")) {
		t.Skipf("transparent huge pages are not given on advice here (%q, %v)", setting, err)
	}
	bin := stasisBinary(t)
	dir := t.TempDir()
	// About 200 KB of strings: the image is over heapAheadMin.
	app := `var big = Array.from({length: 200}, (_, i) => String(i).padEnd(1000, "x"));
stasis.setMain(function (mode) {
	if (mode === "churn") {
		let keep = [];
		for (let i = 0; i < 80; i++) { keep.push(new Array(1e5).fill(i)); if (keep.length > 10) keep = []; }
	}
	console.log("ready", big.length);
	setInterval(() => {}, 1000);
});
`
	writeTree(t, dir, map[string]string{"app.js": app})
	for _, args := range [][]string{{"save-image", "-o", "app.img", "app.js"}, {"bundle", "-o", "app", "app.img"}} {
		if status, _, stderr := (proc{dir: dir}).run(t, bin, args...); status != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOGC=") && !strings.HasPrefix(kv, "GOMEMLIMIT=") {
			env = append(env, kv)
		}
	}
	advised := func(t *testing.T, mode string, wantAdvised bool) {
		cmd := exec.Command(filepath.Join(dir, "app"), mode)
		cmd.Env = env
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		line := make([]byte, len("ready 200\n"))
		if _, err := io.ReadFull(out, line); err != nil || string(line) != "ready 200\n" {
			t.Fatalf("bundle printed %q, %v", line, err)
		}
		smaps := filepath.Join("/proc", strconv.Itoa(cmd.Process.Pid), "smaps")
		// The advice is taken back on the runtime's cleanup goroutine just
		// after a collection: wait for it (a bound, not a duration asserted).
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
			data, err := os.ReadFile(smaps)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(data, []byte("THPeligible:")) {
				t.Skip("this kernel's smaps says nothing of THPeligible")
			}
			n := 0
			for _, l := range strings.Split(string(data), "\n") {
				if v, ok := strings.CutPrefix(l, "THPeligible:"); ok && strings.TrimSpace(v) == "1" {
					n++
				}
			}
			if wantAdvised {
				if n == 0 {
					t.Fatal("no memory advised for huge pages in a bundle that has not collected since its load")
				}
				return
			}
			if n == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d mappings still advised for huge pages a minute after the bundle collected", n)
			}
		}
	}
	t.Run("idle", func(t *testing.T) { advised(t, "idle", true) })
	t.Run("churn", func(t *testing.T) { advised(t, "churn", false) })
}
