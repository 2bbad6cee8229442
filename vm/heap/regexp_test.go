package heap

import (
	"testing"

	"github.com/dop251/goja"
)

// TestSharedPatterns checks the table that decoded programs and an image's
// RegExps share their compiled patterns through: a pattern shared for a
// source and flags is found for the same source and set of flags in any
// order, for nothing else, and patterns goja would refuse are not keys; a
// RegExp given a shared pattern matches as one made by new RegExp does;
// and objects add at most maxSharedPatterns patterns.
func TestSharedPatterns(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	rt := goja.New()
	made, err := rt.RunString(`new RegExp("shared(?<=d)x+", "gi")`)
	if err != nil {
		t.Fatal(err)
	}
	p := RegExpPatternOf(made.(*goja.Object))
	// The table is the process's: take out what an earlier run of this
	// test (-count) shared, so that this run's pattern is the one found.
	k, _ := literalKey("shared(?<=d)x+", "gi")
	patterns.Delete(k)
	SharePattern("shared(?<=d)x+", "gi", p)
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
		got, ok := LiteralPattern(tc.source, tc.flags)
		if ok != tc.found || (ok && got != p) {
			t.Errorf("LiteralPattern(%q, %q) = %v, %v; want found %v", tc.source, tc.flags, got, ok, tc.found)
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
	SharePattern("over the bound", "", p)
	if _, ok := LiteralPattern("over the bound", ""); ok {
		t.Error("a pattern past maxSharedPatterns was shared")
	}
}
