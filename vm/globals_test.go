package vm

import (
	"reflect"
	"slices"
	"testing"

	"github.com/dop251/goja"
)

func TestGlobalNamesAndLexicals(t *testing.T) {
	v, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.RunScript("setup", `
		var aVar = 1; let aLet = 2; const aConst = 3; class AClass {}
		globalThis.aProp = 4;
		Object.setPrototypeOf(globalThis, new Proxy(Object.getPrototypeOf(globalThis), {
			ownKeys() { throw new Error('trap ran') },
		}));
	`); err != nil {
		t.Fatal(err)
	}
	// A let whose initialiser threw stays in its temporal dead zone: it
	// is listed, without a value.
	if _, err := v.RunScript("tdz", `let dead = (() => { throw 1 })()`); err == nil {
		t.Fatal("the tdz script did not throw")
	}
	names := v.GlobalNames()
	for _, want := range []string{"aVar", "aLet", "aConst", "AClass", "aProp", "Math", "console", "stasis", "dead"} {
		if !slices.Contains(names, want) {
			t.Errorf("GlobalNames lacks %q", want)
		}
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Errorf("GlobalNames is not sorted and unique: %q", names)
	}
	if slices.Contains(names, "hasOwnProperty") {
		t.Error("GlobalNames went past the Proxy in the global object's prototype chain")
	}

	got := map[string]Binding{}
	var order []string
	for _, b := range v.Lexicals() {
		got[b.Name] = b
		order = append(order, b.Name)
	}
	slices.Sort(order)
	if want := []string{"AClass", "aConst", "aLet", "dead"}; !reflect.DeepEqual(order, want) {
		t.Errorf("Lexicals are %q, want %q", order, want)
	}
	if b := got["aConst"]; !b.Const || b.Value.ToInteger() != 3 {
		t.Errorf("aConst: %+v", b)
	}
	if b := got["aLet"]; b.Const || b.Value.ToInteger() != 2 {
		t.Errorf("aLet: %+v", b)
	}
	if b := got["dead"]; b.Value != nil {
		t.Errorf("dead, in its temporal dead zone, has the value %v", b.Value)
	}
}

func TestKindOf(t *testing.T) {
	v, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		src  string
		want Kind
	}{
		{`({})`, KindObject},
		{`[1, 2]`, KindArray},
		{`(() => { const a = []; a[1e6] = 1; return a })()`, KindArray},
		{`(function () {})`, KindFunction},
		{`(() => 1)`, KindFunction},
		{`({asyncLoad() {}}).asyncLoad`, KindFunction},
		{`Math.max`, KindFunction},
		{`(function () {}).bind(null)`, KindFunction},
		{`(async function () {})`, KindAsyncFunction},
		{`(async () => {})`, KindAsyncFunction},
		{`({async m() {}}).m`, KindAsyncFunction},
		{`(function* () {})`, KindGeneratorFunction},
		{`({*m() {}}).m`, KindGeneratorFunction},
		{`(class {})`, KindClass},
		{`({classify() {}}).classify`, KindFunction},
		{`new Proxy({}, {})`, KindProxy},
		{`new Proxy(function () {}, {})`, KindProxy},
		{`new Map()`, KindObject},
	} {
		val, err := v.RunScript("case", tt.src)
		if err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		if got := KindOf(val.(*goja.Object)); got != tt.want {
			t.Errorf("KindOf(%s) = %v, want %v", tt.src, got, tt.want)
		}
	}
}
