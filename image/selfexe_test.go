//go:build linux

package image

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/stasisvm/stasis/vm"
)

// selfSetup builds a world whose script is large (its image is over
// minMapped, its source over compileBelow, so its code is stored), with
// functions whose text, stack positions and buffers a probe reads.
func selfSetup() string {
	var b strings.Builder
	b.WriteString("var buf = new Uint8Array(16); buf[1] = 41;\n")
	for i := range 3000 {
		fmt.Fprintf(&b, "function f%d(x) { return x * %d + %q.length; }\n", i, i, strings.Repeat("é", i%7))
	}
	b.WriteString("function thrower(n) {\n  if (n > 0) return thrower(n - 1);\n  throw new Error('deep ' + f2999(2));\n}\n")
	return b.String()
}

const selfProbe = `console.log(f2999.toString(), f12(3), f2998(1));
try { thrower(3) } catch (e) { console.log(e.stack) }
buf[0] = 7; buf[1]++; console.log(buf[0], buf[1]);
`

// TestBundleReadsItsImageInPlace: a process whose executable is a bundle
// reads its image in place (the payload, stored raw by WriteBundle, is the
// mapping of the executable's own file, kept for the life of the process)
// and resumes the same world as an image read from memory: functions'
// texts and stack positions come from sources in the mapping, buffers are
// writable, and the world saves again to an image that loads the same.
func TestBundleReadsItsImageInPlace(t *testing.T) {
	if os.Getenv("STASIS_TEST_SELF_BUNDLE") != "" {
		selfBundleChild(t)
		return
	}
	v, _ := newTestWorld(t)
	run(t, v, "big.js", selfSetup())
	var img bytes.Buffer
	if err := Save(&img, v, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	want := probeOut(t, img.Bytes())

	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	src, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(t.TempDir(), "app")
	var bundle bytes.Buffer
	if err := WriteBundle(&bundle, src, fi.Size(), img.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(app, bundle.Bytes(), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(app, "-test.run=^TestBundleReadsItsImageInPlace$", "-test.count=1")
	cmd.Env = append(os.Environ(), "STASIS_TEST_SELF_BUNDLE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the bundle: %v\n%s", err, out)
	}
	for _, line := range []string{"payload in place: true", "first run:\n" + want, "saved again:\n" + want} {
		if !strings.Contains(string(out), line) {
			t.Errorf("the bundle's output lacks %q:\n%s", line, out)
		}
	}
	// The probe read what it should (and the original world agrees).
	for _, s := range []string{"function f2999(x) { return x * 2999 + \"ééé\".length; }", "Error: deep 6001", "at thrower (big.js:3004:9", "7 42"} {
		if !strings.Contains(want, s) {
			t.Errorf("the probe printed %q, without %q", want, s)
		}
	}
	run(t, v, "probe.js", selfProbe)
}

// probeOut loads img from memory and returns what the probe prints in the
// world.
func probeOut(t *testing.T, img []byte) string {
	var out bytes.Buffer
	v, _, err := Load(bytes.NewReader(img), LoadOptions{VM: vm.Options{Stdout: &out, Stderr: &out}})
	if err != nil {
		t.Fatal(err)
	}
	run(t, v, "probe.js", selfProbe)
	return out.String()
}

// selfBundleChild runs in the bundle that TestBundleReadsItsImageInPlace
// made of this test binary.
func selfBundleChild(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f, sec, err := OpenBundle(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, payload, err := readImage(sec, LoadOptions{}.Limits)
	if err != nil {
		t.Fatal(err)
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(self.b)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(payload)))
	fmt.Printf("payload in place: %v\n", p >= lo && p+uintptr(len(payload)) <= lo+uintptr(len(self.b)))
	var out bytes.Buffer
	v, _, err := Load(sec, LoadOptions{VM: vm.Options{Stdout: &out, Stderr: &out}})
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := Save(&again, v, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	run(t, v, "probe.js", selfProbe)
	fmt.Printf("first run:\n%s", out.String())
	fmt.Printf("saved again:\n%s", probeOut(t, again.Bytes()))
}

// TestRunningExecutableReplaced: once the path a process was started from
// names another file (a deploy renamed a new build over it), that file is
// not the running executable, though os.Executable still gives the path:
// it may be written or truncated while the process runs, so its image must
// not be kept mapped and read in place (a fault, later, on reading a
// function's source), and OpenSelf still opens the process's own bundle.
func TestRunningExecutableReplaced(t *testing.T) {
	if os.Getenv("STASIS_TEST_SELF_REPLACED") != "" {
		replacedChild(t)
		return
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	// The child is a bundle of this test binary; what is renamed over it
	// is the plain binary.
	var bundle bytes.Buffer
	if err := WriteBundle(&bundle, bytes.NewReader(b), int64(len(b)), savedImage(t, "var answer = 42")); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(t.TempDir(), "app")
	if err := os.WriteFile(app, bundle.Bytes(), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(app+".plain", b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(app, "-test.run=^TestRunningExecutableReplaced$", "-test.count=1")
	cmd.Env = append(os.Environ(), "STASIS_TEST_SELF_REPLACED=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the child: %v\n%s", err, out)
	}
	if want := "before: true\nafter: false\nits own bundle: true <nil>\nthe path: not a Stasis bundle\n"; !strings.Contains(string(out), want) {
		t.Errorf("the child printed\n%s\nwant %q", out, want)
	}
}

// replacedChild runs in the bundle TestRunningExecutableReplaced starts:
// it asks whether the file at its own path is the running executable, then
// renames the plain test binary over that path, asks again, and opens its
// bundle with OpenSelf and by the path.
func replacedChild(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	running := func() bool {
		f, err := os.Open(exe)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		return isRunningExecutable(f)
	}
	fmt.Printf("before: %v\n", running())
	if err := os.Rename(exe+".plain", exe); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("after: %v\n", running())
	// OpenSelf still opens this process's own bundle; its path names a
	// plain executable now.
	f, sec, err := OpenSelf()
	if err == nil {
		defer f.Close()
		_, _, err = ReadContainer(sec)
	}
	fmt.Printf("its own bundle: %v %v\n", err == nil && isRunningExecutable(f), err)
	if _, _, err := OpenBundle(exe); err != nil {
		fmt.Printf("the path: %v\n", err)
	}
}
