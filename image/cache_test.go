package image

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stasisvm/stasis/vm"
)

// TestLoadsShareCompiledRegExps loads one image with many RegExps in
// several goroutines at once, twice each (the second load takes every
// pattern from the process's cache), and runs the same matches in each
// world: they must print what the original world prints. Run under -race
// it checks that the shared compiled patterns are safe to share. With
// stored code, the RegExps made by literals share their patterns with the
// literals of the decoded programs, whichever is made first.
func TestLoadsShareCompiledRegExps(t *testing.T) {
	b, err := os.ReadFile("testdata/roundtrip/regexps.js")
	if err != nil {
		t.Fatal(err)
	}
	// The file's first chunk (see roundtrip_test.go) has the RegExps.
	first, _, _ := strings.Cut(string(b), "\n---\n")
	setup, probe, ok := strings.Cut(first, "// save\n")
	if !ok {
		t.Fatal("regexps.js has no // save line")
	}
	for _, tc := range []struct{ name, setup string }{
		{"compiled", setup},
		// Some patterns no other test uses (an empty group matches
		// nothing more), so that the process's caches start without them.
		{"stored code", pastCompileBelow(strings.ReplaceAll(setup, "/ab+c/", "/(?:)ab+c/"))},
	} {
		t.Run(tc.name, func(t *testing.T) { loadRegExpsConcurrently(t, tc.setup, probe) })
	}
}

func loadRegExpsConcurrently(t *testing.T, setup, probe string) {
	orig, origOut := newTestWorld(t)
	run(t, orig, "setup.js", setup)
	var img bytes.Buffer
	if err := Save(&img, orig, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	origOut.Reset()
	run(t, orig, "probe.js", probe)
	want := origOut.String()

	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2; i++ {
				var out bytes.Buffer
				v, _, err := Load(bytes.NewReader(img.Bytes()), LoadOptions{VM: vm.Options{Stdout: &out, Stderr: &out}})
				if err != nil {
					errs <- err.Error()
					return
				}
				if _, err := v.RunScript("probe.js", probe); err != nil {
					errs <- err.Error()
					return
				}
				if out.String() != want {
					errs <- "got\n" + out.String() + "want\n" + want
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestScriptCacheComparesScripts checks that an entry is taken only
// for the very script it was made from, also among scripts that share its
// key (name, mode and lengths), and that eviction keeps the cache's bytes
// bounded.
func TestScriptCacheComparesScripts(t *testing.T) {
	c := &scriptCache{m: map[cacheKey][]*compiled{}, limit: 100}
	a, err := c.compile("a.js", "var a = 1", false, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Another script under a's key.
	b, err := c.compile("a.js", "var b = 2", false, 0)
	if err != nil {
		t.Fatal(err)
	}
	if b == a || b.key != a.key || len(c.m[a.key]) != 2 {
		t.Fatalf("a script of the same name and length: entry %p (a is %p), keys equal: %v, %d entries under the key", b, a, b.key == a.key, len(c.m[a.key]))
	}
	cases := []struct {
		name, src string
		strict    bool
		code      []byte
		want      *compiled
	}{
		{"a.js", "var a = 1", false, nil, a},
		{"a.js", "var b = 2", false, nil, b},
		{"a.js", "var a = 1", true, nil, nil},
		{"a.js", "var a = 3", false, nil, nil},
		{"c.js", "var a = 1", false, nil, nil},
		{"a.js", "var a = 1", false, []byte{}, nil},
	}
	for _, tc := range cases {
		e := &compiled{name: tc.name, src: tc.src, strict: tc.strict, code: tc.code}
		if got := c.get(a.key, e); got != tc.want {
			t.Errorf("%s %q strict %v code %v: got entry %p, want %p", tc.name, tc.src, tc.strict, tc.code, got, tc.want)
		}
	}
	again, err := c.compile("a.js", "var a = 1", false, 0)
	if err != nil || again != a {
		t.Errorf("compiling a.js again: got %p (%v), want the cached %p", again, err, a)
	}
	for i := 0; i < 3; i++ {
		if _, err := c.compile("big.js", strings.Repeat(";", 40+i), false, 0); err != nil {
			t.Fatal(err)
		}
	}
	if c.bytes > c.limit || len(c.order) != 2 || c.get(a.key, a) != nil || c.get(b.key, b) != nil {
		t.Errorf("after three scripts of 40 bytes: %d bytes in %d entries (a kept: %v, b kept: %v), want the last two scripts alone", c.bytes, len(c.order), c.get(a.key, a) != nil, c.get(b.key, b) != nil)
	}
	n := 0
	for _, es := range c.m {
		n += len(es)
	}
	if n != len(c.order) {
		t.Errorf("%d entries in the map, %d in the order", n, len(c.order))
	}
}
