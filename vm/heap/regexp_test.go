package heap

import (
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/dop251/goja"
)

// compiledBy returns a compile function for SharedPattern that makes
// new RegExp(source, flags) in rt and counts its calls in n.
func compiledBy(rt *goja.Runtime, source, flags string, n *atomic.Int32) func() (RegExpPattern, error) {
	return func() (RegExpPattern, error) {
		n.Add(1)
		o, err := rt.New(rt.Get("RegExp").ToObject(rt), rt.ToValue(source), rt.ToValue(flags))
		if err != nil {
			return RegExpPattern{}, err
		}
		return RegExpPatternOf(o), nil
	}
}

// TestSharedPatterns checks the table that decoded programs and an image's
// RegExps share their compiled patterns through: a pattern compiled for a
// source and flags is found for the same source and set of flags in any
// order, for nothing else, and patterns goja would refuse are not keys; a
// RegExp given a shared pattern matches as one made by new RegExp does;
// and objects add at most maxSharedPatterns patterns.
func TestSharedPatterns(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	rt := goja.New()
	// The table is the process's: take out what an earlier run of this
	// test (-count) shared, so that this run's pattern is the one found.
	k, _ := literalKey("shared(?<=d)x+", "gi")
	patterns.Delete(k)
	var n atomic.Int32
	p, compiled, err := SharedPattern("shared(?<=d)x+", "gi", compiledBy(rt, "shared(?<=d)x+", "gi", &n))
	if err != nil || !compiled || n.Load() != 1 {
		t.Fatalf("first SharedPattern: compiled %v (%d times), %v", compiled, n.Load(), err)
	}
	for _, tc := range []struct {
		source, flags string
		found         bool
	}{
		{"shared(?<=d)x+", "gi", true},
		{"shared(?<=d)x+", "ig", true},
		{"shared(?<=d)x+", "g", false},
		{"shared(?<=d)x+", "gim", false},
		{"shared(?<=d)x+", "gig", false},
		{"shared(?<=d)x+", "gq", false},
		{"shared(?<=d)X+", "gi", false},
	} {
		var calls atomic.Int32
		got, compiled, err := SharedPattern(tc.source, tc.flags, compiledBy(rt, tc.source, tc.flags, &calls))
		found := !compiled && calls.Load() == 0
		if found != tc.found || (found && got != p) || (!found && err == nil && got == p) {
			t.Errorf("SharedPattern(%q, %q) = %v, compiled %v (%d calls), %v; want found %v", tc.source, tc.flags, got, compiled, calls.Load(), err, tc.found)
		}
		if !tc.found {
			if k, ok := literalKey(tc.source, tc.flags); ok {
				patterns.Delete(k)
				sharedPatterns.Add(-1)
			}
		}
	}
	blank, err := rt.RunString(`new RegExp("")`)
	if err != nil {
		t.Fatal(err)
	}
	o := blank.(*goja.Object)
	SetRegExpPattern(o, p, rt.ToValue("shared(?<=d)x+").(goja.String))
	rt.Set("shared", o)
	probe := func(re string) string {
		out, err := rt.RunString(`(function (re) {
			var m = re.exec("xsharedXxX sharedx"), r = [re.source, re.flags, m.index, m[0], re.lastIndex];
			return r.concat("sharedX shareddXX sharedxx".replace(re, "-"), re.lastIndex).join();
		})(` + re + `)`)
		if err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	if got, want := probe("shared"), probe(`new RegExp("shared(?<=d)x+", "gi")`); got != want {
		t.Errorf("a RegExp with the shared pattern gives %q, new RegExp %q", got, want)
	}

	defer func(n int64) { sharedPatterns.Store(n) }(sharedPatterns.Load())
	sharedPatterns.Store(maxSharedPatterns)
	var over atomic.Int32
	for i := 0; i < 2; i++ {
		if _, compiled, err := SharedPattern("over the bound", "", compiledBy(rt, "over the bound", "", &over)); err != nil || !compiled {
			t.Fatalf("SharedPattern past the bound: compiled %v, %v", compiled, err)
		}
	}
	if over.Load() != 2 {
		t.Errorf("a pattern past maxSharedPatterns was compiled %d times in two calls, want 2 (not shared)", over.Load())
	}
}

// TestSharedPatternOnce checks that a pattern is compiled once however
// many ask for it at the same time, whether a decoder (a program's
// literal) or an image's object (SharedPattern) asks first, and that a
// failed compile is not shared: each asker then compiles for itself.
func TestSharedPatternOnce(t *testing.T) {
	if err := CodeUnavailable(); err != nil {
		t.Fatal(err)
	}
	const source, flags = "once+(?=d)", "y"
	k, _ := literalKey(source, flags)
	const askers = 8
	for _, first := range []string{"object", "decoder"} {
		t.Run(first+" first", func(t *testing.T) {
			patterns.Delete(k)
			var calls atomic.Int32
			release := make(chan struct{})
			compile := func() (RegExpPattern, error) {
				calls.Add(1)
				<-release
				q, err := compilePattern(k)
				return RegExpPattern{(*regexpPattern)(q)}, err
			}
			got := make([]unsafe.Pointer, 2*askers)
			var started, done sync.WaitGroup
			ask := func(i int, kind string) {
				defer done.Done()
				started.Done()
				if kind == "object" {
					p, _, err := SharedPattern(source, flags, compile)
					if err != nil {
						t.Error(err)
					}
					got[i] = unsafe.Pointer(p.p)
					return
				}
				q, _, err := sharedPattern(k, false, func() (unsafe.Pointer, error) {
					p, err := compile()
					return unsafe.Pointer(p.p), err
				})
				if err != nil {
					t.Error(err)
				}
				got[i] = q
			}
			started.Add(1)
			done.Add(1)
			go ask(0, first)
			started.Wait()
			// The first asker's compile is held until every other asker has
			// started (some then wait for it, some may find it done).
			for !calledOnce(&calls) {
				runtime.Gosched()
			}
			started.Add(2*askers - 1)
			done.Add(2*askers - 1)
			for i := 1; i < 2*askers; i++ {
				kind := "object"
				if i%2 == 1 {
					kind = "decoder"
				}
				go ask(i, kind)
			}
			started.Wait()
			close(release)
			done.Wait()
			if calls.Load() != 1 {
				t.Errorf("the pattern was compiled %d times, want once", calls.Load())
			}
			for i, q := range got {
				if q == nil || q != got[0] {
					t.Errorf("asker %d got pattern %p, the first %p", i, q, got[0])
				}
			}
		})
	}

	t.Run("failed", func(t *testing.T) {
		k, _ := literalKey("fails", "")
		patterns.Delete(k)
		var calls atomic.Int32
		bad := errors.New("no pattern")
		for i := 0; i < 3; i++ {
			_, compiled, err := SharedPattern("fails", "", func() (RegExpPattern, error) {
				calls.Add(1)
				return RegExpPattern{}, bad
			})
			if !compiled || !errors.Is(err, bad) {
				t.Fatalf("call %d: compiled %v, %v; want compiled, %v", i, compiled, err, bad)
			}
		}
		if calls.Load() != 3 {
			t.Errorf("a failing compile ran %d times in three calls, want 3", calls.Load())
		}
		if _, ok := patterns.Load(k); ok {
			t.Error("a failed compile left an entry in the table")
		}
	})
}

func calledOnce(n *atomic.Int32) bool { return n.Load() >= 1 }
