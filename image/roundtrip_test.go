package image

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/vm"
)

// A round-trip case is a chunk of a testdata/roundtrip/*.js file. Chunks are
// separated by a line "---". In a chunk, the lines before "// save" build a
// world; the lines after it are the probe. The probe runs once in the
// original world and once in a world saved and loaded again; what the two
// print must be equal, and not empty. A chunk whose save must fail has a line
// `// save fails: TEXT` instead of "// save": the save error must contain TEXT.
type roundTripCase struct {
	name, setup, probe, wantErr string
}

var saveFailsRE = regexp.MustCompile(`(?m)^// save fails: (.*)$`)

func loadCases(t *testing.T) []roundTripCase {
	files, err := filepath.Glob("testdata/roundtrip/*.js")
	if err != nil || len(files) == 0 {
		t.Fatalf("no round-trip cases: %v", err)
	}
	var cases []roundTripCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, chunk := range regexp.MustCompile(`(?m)^---$`).Split(string(b), -1) {
			c := roundTripCase{name: filepath.Base(f) + "#" + itoa(i+1)}
			if m := saveFailsRE.FindStringSubmatchIndex(chunk); m != nil {
				c.setup, c.wantErr = chunk[:m[0]], chunk[m[2]:m[3]]
			} else {
				parts := strings.SplitN(chunk, "// save\n", 2)
				if len(parts) != 2 {
					t.Fatalf("%s: no // save line", c.name)
				}
				c.setup, c.probe = parts[0], parts[1]
			}
			cases = append(cases, c)
		}
	}
	return cases
}

func itoa(i int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+i/10%10)) + string(rune('0'+i%10)))
}

// newTestWorld makes a world whose console writes to the returned buffer.
func newTestWorld(t testing.TB) (*vm.VM, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	v, err := NewWorld(vm.Options{Stdout: &out, Stderr: &out})
	if err != nil {
		t.Fatal(err)
	}
	return v, &out
}

func run(t testing.TB, v *vm.VM, name, src string) {
	t.Helper()
	if _, err := v.RunScript(name, src); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// roundTrip saves v and loads the image into a new world that prints to the returned buffer.
func roundTrip(t testing.TB, v *vm.VM) (*vm.VM, *bytes.Buffer) {
	t.Helper()
	var img bytes.Buffer
	if err := Save(&img, v, SaveOptions{}); err != nil {
		t.Fatalf("save: %v", err)
	}
	var out bytes.Buffer
	v2, _, err := Load(&img, LoadOptions{VM: vm.Options{Stdout: &out, Stderr: &out}})
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return v2, &out
}

func TestRoundTrip(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			orig, origOut := newTestWorld(t)
			run(t, orig, "setup.js", c.setup)
			if c.wantErr != "" {
				err := Save(&bytes.Buffer{}, orig, SaveOptions{})
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("save error = %v, want one containing %q", err, c.wantErr)
				}
				return
			}
			saved, _ := newTestWorld(t)
			run(t, saved, "setup.js", c.setup)
			resumed, resumedOut := roundTrip(t, saved)
			// A loaded world must save to the very payload it was loaded from.
			p1, err := EncodePayload(saved)
			if err != nil {
				t.Fatal(err)
			}
			p2, err := EncodePayload(resumed)
			if err != nil {
				t.Fatalf("saving the resumed world: %v", err)
			}
			if !bytes.Equal(p1, p2) {
				t.Errorf("the resumed world saves to a different payload (%d bytes, was %d)", len(p2), len(p1))
			}
			origOut.Reset()
			run(t, orig, "probe.js", c.probe)
			run(t, resumed, "probe.js", c.probe)
			if origOut.Len() == 0 {
				t.Fatal("the probe printed nothing")
			}
			if got, want := resumedOut.String(), origOut.String(); got != want {
				t.Errorf("resumed world differs from the original\n--- original\n%s\n--- resumed\n%s", want, got)
			}
		})
	}
}
