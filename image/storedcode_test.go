package image

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/image/imagetest"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// storedWorld holds functions whose behaviour depends on their compiled
// code: positions in stack traces, their own text, generators, classes,
// RegExp literals, tagged templates.
const storedWorld = `
function thrower(x) {
  if (x > 1) throw new Error('deep ' + x);
  return thrower(x + 1);
}
class Counter { #n = 0; inc() { return ++this.#n } static of(n) { const c = new Counter(); while (n--) c.inc(); return c } }
function* fib() { let [a, b] = [0, 1]; for (;;) { yield a; [a, b] = [b, a + b] } }
const words = s => s.match(/[a-z]+/gi);
const tag = (s, ...v) => s.raw.join('|') + v.join(',');
var later = async (x) => (await x) * 2;
`

const storedProbe = `
try { thrower(0) } catch (e) { console.log(e.stack) }
console.log(thrower.toString());
console.log(Counter.of(3).inc(), String(Counter).length);
const g = fib(); console.log([g.next().value, g.next().value, g.next().value, g.next().value].join());
console.log(words('Hello, big World').join('/'), tag` + "`a${1}b\\n`" + `);
later(21).then(v => console.log('later', v));
`

// pastCompileBelow pads a script with a comment, so that a load reads its
// stored code rather than compiling it (compileBelow).
func pastCompileBelow(src string) string {
	return src + "/*" + strings.Repeat(" ", compileBelow) + "*/\n"
}

// loadWith saves the world src builds, loads it with opts, runs the probe
// and returns what it printed.
func loadWith(t *testing.T, img []byte, compileSource bool) string {
	t.Helper()
	var out bytes.Buffer
	v, _, err := Load(bytes.NewReader(img), LoadOptions{VM: vm.Options{Stdout: &out, Stderr: &out}, CompileSource: compileSource})
	if err != nil {
		t.Fatal(err)
	}
	run(t, v, "probe.js", storedProbe)
	if err := v.Loop().Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestStoredCodeBehavesAsSource(t *testing.T) {
	orig, origOut := newTestWorld(t)
	run(t, orig, "lib.js", pastCompileBelow(storedWorld))
	var img bytes.Buffer
	if err := Save(&img, orig, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	_, p := imagetest.Open(t, img.Bytes())
	if p.Code == nil || p.Code.Key != heap.CodeKey() || len(p.Code.Programs) != len(p.Scripts) {
		t.Fatalf("code section: %+v for %d scripts", p.Code, len(p.Scripts))
	}
	for i, sc := range p.Scripts {
		if sc.Digest == nil && len(p.Code.Programs[i]) == 0 {
			t.Errorf("script %s is stored without code", sc.Name)
		}
	}
	run(t, orig, "probe.js", storedProbe)
	if err := orig.Loop().Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := origOut.String()
	if !strings.Contains(want, "lib.js:3") || !strings.Contains(want, "later 42") {
		t.Fatalf("the probe did not run as expected:\n%s", want)
	}
	if got := loadWith(t, img.Bytes(), false); got != want {
		t.Errorf("from stored code:\n%s\nwant:\n%s", got, want)
	}
	if got := loadWith(t, img.Bytes(), true); got != want {
		t.Errorf("compiled from source (CompileSource):\n%s\nwant:\n%s", got, want)
	}
}

func TestStoredCodeOfAnotherBuildIsIgnored(t *testing.T) {
	err := craft(t, pastCompileBelow(storedWorld), func(p *payload) {
		p.Code.Key = "goja-code-1:another-build"
		for i := range p.Code.Programs {
			if len(p.Code.Programs[i]) > 0 {
				p.Code.Programs[i] = []byte{0xff} // never read
			}
		}
	})
	if err != nil {
		t.Fatalf("an image with another build's code: %v", err)
	}
}

func TestTamperedCodeIsRefused(t *testing.T) {
	cases := []struct {
		name   string
		mutate func([]byte) []byte
		want   string
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }, "stored code"},
		{"unknown type", func(b []byte) []byte {
			return bytes.Replace(b, []byte("goja."), []byte("evil."), 1)
		}, "unknown to this build"},
		{"trailing", func(b []byte) []byte { return append(b, 1, 2, 3) }, "after the program"},
	}
	for _, c := range cases {
		err := craft(t, pastCompileBelow(storedWorld), func(p *payload) {
			for i := range p.Code.Programs {
				if len(p.Code.Programs[i]) > 0 {
					p.Code.Programs[i] = c.mutate(append([]byte(nil), p.Code.Programs[i]...))
				}
			}
		})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want a one-line corrupt image error saying %q", c.name, err, c.want)
		}
	}
}

// TestSmallScriptsCompile checks that a load compiles the scripts of an
// image that holds little source (compileBelow) rather than reading their
// stored code, which it does not even read (a tampered code section does
// not refuse it), and that the world behaves as the one saved; and that
// past compileBelow the stored code is read.
func TestSmallScriptsCompile(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		read      bool
	}{
		{"small", storedWorld, false},
		{"at the limit", storedWorld + "/*" + strings.Repeat(" ", compileBelow-len(storedWorld)-4) + "*/", false},
		{"past the limit", pastCompileBelow(storedWorld), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig, origOut := newTestWorld(t)
			run(t, orig, "lib.js", tc.src)
			var img bytes.Buffer
			if err := Save(&img, orig, SaveOptions{}); err != nil {
				t.Fatal(err)
			}
			run(t, orig, "probe.js", storedProbe)
			if err := orig.Loop().Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			tampered := imagetest.Rewrite(t, img.Bytes(), func(p *payload) {
				if n := len(p.Scripts[len(p.Scripts)-1].Source); n > compileBelow != tc.read {
					t.Fatalf("the script has %d bytes", n)
				}
				for i, c := range p.Code.Programs {
					if len(c) > 0 {
						p.Code.Programs[i] = c[:len(c)/2]
					}
				}
			})
			if !tc.read {
				if got, want := loadWith(t, tampered, false), origOut.String(); got != want {
					t.Errorf("compiled from source:\n%s\nwant:\n%s", got, want)
				}
				return
			}
			_, _, err := Load(bytes.NewReader(tampered), LoadOptions{VM: vm.Options{Stdout: io.Discard, Stderr: io.Discard}})
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "stored code") {
				t.Errorf("tampered stored code past compileBelow: got %v, want it refused", err)
			}
		})
	}
}

// BenchmarkStoredCode compares, for real libraries, compiling a script
// (goja.Compile through the process's cache, bypassed here) with decoding
// its stored code: Compile/NAME against Decode/NAME.
func BenchmarkStoredCode(b *testing.B) {
	libs := []struct{ name, spec, file string }{
		{"lodash", "lodash@4.17.21", "lodash.js"},
		{"typescript", "typescript@5.4.5", "lib/typescript.js"},
	}
	for _, lib := range libs {
		path := filepath.Join(imagetest.Package(b, lib.spec), lib.file)
		src, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		s := string(src)
		p, err := goja.Compile(lib.file, s, false)
		if err != nil {
			b.Fatal(err)
		}
		code, err := heap.EncodeProgram(p, lib.file, s)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("Compile/"+lib.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := goja.Compile(lib.file, s, false); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Decode/"+lib.name, func(b *testing.B) {
			b.ReportMetric(float64(len(code))/float64(len(s)), "code/source")
			for i := 0; i < b.N; i++ {
				if _, err := heap.DecodeProgram(lib.file, s, code); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Encode/"+lib.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := heap.EncodeProgram(p, lib.file, s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
