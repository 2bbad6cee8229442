package heap

import (
	"os"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

func TestLayoutCheckPasses(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	if len(Fingerprint()) != 16 {
		t.Fatalf("fingerprint %q", Fingerprint())
	}
}

// TestLayoutCheckDetectsChange declares fields that goja does not have, or
// reads them at the wrong type, and expects the check to name them; fields
// that only some goja versions have must not make it fail.
func TestLayoutCheckDetectsChange(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		spec func()
		want string
	}{
		{func() { need[[]goja.Value]("stash", "valuez") }, `stash.valuez: no field "valuez" in goja.stash`},
		{func() { need[map[string]uint32]("stash", "names") }, "stash.names: has type map[unistring.String]uint32, read as map[string]uint32"},
		{func() { need[*Stash]("stash", "values") }, "stash.values: has type []goja.Value, read as *goja.stash"},
		{func() { need[Stash]("funcObject", "stash") }, "funcObject.stash: has type *goja.stash, read as goja.stash"},
		{func() { need[int]("stash", "funcType") }, "stash.funcType: has type goja.funcType, read as int"},
		{func() { need[int]("noSuchType", "x") }, "noSuchType.x: no goja type noSuchType among the samples"},
		{func() { needSlice[Stash]("execCtx", "tryStack") }, "execCtx.tryStack: has type goja.tryFrame, read as goja.stash"},
		{func() { maybe[int]("stash", "valuez") }, ""},
	}
	saved := specs
	defer func() { specs = saved }()
	for _, c := range cases {
		specs = nil
		c.spec()
		err := resolveFields(layout.types)
		if c.want == "" && err != nil || c.want != "" && (err == nil || err.Error() != c.want) {
			t.Errorf("got %v, want %q", err, c.want)
		}
	}
}

// TestFieldsFoundByName checks offsets against the one goja in this build:
// a promoted field's offset is the sum along its path.
func TestFieldsFoundByName(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	fo := layout.types["funcObject"]
	off, typ, err := locate(fo, "stash")
	if err != nil {
		t.Fatal(err)
	}
	js, _ := fo.FieldByName("baseJsFuncObject")
	st, _ := js.Type.FieldByName("stash")
	if off != js.Offset+st.Offset || typ.String() != "*goja.stash" {
		t.Errorf("funcObject.stash at %d (%s), want %d", off, typ, js.Offset+st.Offset)
	}
	rt := goja.New()
	v, err := rt.RunString(`(function(){ let x = 42; return () => x })()`)
	if err != nil {
		t.Fatal(err)
	}
	s := *JSFuncOf(v.(*goja.Object)).Stash()
	if vals := *s.Values(); len(vals) != 1 || vals[0].ToInteger() != 42 {
		t.Errorf("the arrow's stash holds %v", vals)
	}
}

func TestGojaVersionMatchesGoMod(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "github.com/dop251/goja "+GojaVersion()+"\n") {
		t.Fatalf("this build has goja %q, which is not the one go.mod requires", GojaVersion())
	}
}

func TestKindsAndValues(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	rt := goja.New()
	v, err := rt.RunString(`[{}, [1,,3], function f(a,b){}, class A{}, new Map([[1,2]]), "héllo\ud800", 12n, -0, 1.5, 7]`)
	if err != nil {
		t.Fatal(err)
	}
	a := v.(*goja.Object)
	want := []Kind{KindOrdinary, KindArray, KindFunction, KindClass, KindMap}
	for i, k := range want {
		if got := KindOf(a.Get(string(rune('0' + i))).(*goja.Object)); got != k {
			t.Errorf("element %d: kind %s, want %s", i, got, k)
		}
	}
	arr := ArrayOf(a.Get("1").(*goja.Object))
	if *arr.Length() != 3 || (*arr.Values())[1] != nil {
		t.Errorf("array mirror: length %d, values %v", *arr.Length(), *arr.Values())
	}
	fn := JSFuncOf(a.Get("2").(*goja.Object))
	if ProgramName(*fn.Prg()) != "f" || *fn.Src() != "function f(a,b){}" {
		t.Errorf("function mirror: name %q src %q", ProgramName(*fn.Prg()), *fn.Src())
	}
	c := NewValueClassifier()
	s := a.Get("5")
	if c.Class(s) != ValueUnicode || string(rune(UTF16(s)[1])) != "é" || UTF16(s)[5] != 0xd800 {
		t.Errorf("unicode string: class %d units %v", c.Class(s), UTF16(s))
	}
	if c.Class(a.Get("6")) != ValueBigInt || BigInt(a.Get("6")).Int64() != 12 {
		t.Errorf("bigint")
	}
	if c.Class(a.Get("7")) != ValueFloat || c.Class(a.Get("8")) != ValueFloat || c.Class(a.Get("9")) != ValueInt || Int(a.Get("9")) != 7 {
		t.Errorf("numbers: %d %d %d", c.Class(a.Get("7")), c.Class(a.Get("8")), c.Class(a.Get("9")))
	}
	m := MapOf(a.Get("4").(*goja.Object))
	n := 0
	_ = (*m.M()).ForEachEntry(func(k, v goja.Value) error { n++; return nil })
	if n != 1 {
		t.Errorf("map entries %d", n)
	}
}
