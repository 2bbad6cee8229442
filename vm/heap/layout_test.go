package heap

import (
	"os"
	"reflect"
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

// TestLayoutCheckDetectsChange plants mismatching mirrors and expects the
// comparison to name the field that differs.
func TestLayoutCheckDetectsChange(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	type badStash struct {
		Values    []goja.Value
		ExtraArgs []goja.Value
		Namez     map[string]uint32
		Obj       *goja.Object
		Outer     *Stash
		FuncType  uint8
	}
	type shortStash struct{ Values []goja.Value }
	cases := []struct {
		mirror reflect.Type
		want   string
	}{
		{reflect.TypeOf(badStash{}), "names"},
		{reflect.TypeOf(shortStash{}), "size"},
		{reflect.TypeOf(Base{}), "size"},
	}
	for _, c := range cases {
		err := compareLayout(c.mirror, layout.types["stash"], "stash", discard{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error mentioning %q", c.mirror, err, c.want)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func TestGojaVersionMatchesGoMod(t *testing.T) {
	b, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "github.com/dop251/goja "+GojaVersion) {
		t.Fatalf("go.mod does not pin goja %s: bump GojaVersion and re-run the heap tests", GojaVersion)
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
	if arr.Length != 3 || arr.Values[1] != nil {
		t.Errorf("array mirror: length %d, values %v", arr.Length, arr.Values)
	}
	fn := JSFuncOf(a.Get("2").(*goja.Object))
	if ProgramName(fn.Prg) != "f" || fn.Src != "function f(a,b){}" {
		t.Errorf("function mirror: name %q src %q", ProgramName(fn.Prg), fn.Src)
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
	_ = m.M.ForEachEntry(func(k, v goja.Value) error { n++; return nil })
	if n != 1 {
		t.Errorf("map entries %d", n)
	}
}
