package heap

import (
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
)

// TestFactoryFunctionsAreGojas makes a function of each kind in Go and
// compares it with one goja made: the same Go type, class and kind, and,
// given the prototype the loader would give it, the same answers to typeof
// and Object.prototype.toString.
func TestFactoryFunctionsAreGojas(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	rt := goja.New()
	v, err := rt.RunString(`[function () {}, function* () {}, async function () {}, class {}, ({ m() {} }).m,
		({ *m() {} }).m, ({ async m() {} }).m, () => {}, async () => {}]`)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []Kind{KindFunction, KindGeneratorFunction, KindAsyncFunction, KindClass, KindMethod,
		KindGeneratorMethod, KindAsyncMethod, KindArrow, KindAsyncArrow}
	f, err := NewFunctionFactory(rt)
	if err != nil {
		t.Fatal(err)
	}
	describe, err := rt.RunString(`(function (f) { return typeof f + " " + Object.prototype.toString.call(f) })`)
	if err != nil {
		t.Fatal(err)
	}
	describeFn, _ := goja.AssertFunction(describe)
	for i, k := range kinds {
		t.Run(k.String(), func(t *testing.T) {
			want := v.(*goja.Object).Get(strconv.Itoa(i)).(*goja.Object)
			got, err := f.New(k)
			if err != nil {
				t.Fatal(err)
			}
			if KindOf(got) != k || GoTypeName(got) != GoTypeName(want) {
				t.Fatalf("made a %s (%s), want a %s (%s)", KindOf(got), GoTypeName(got), k, GoTypeName(want))
			}
			if *BaseOf(got).Class() != *BaseOf(want).Class() || *BaseOf(got).Val() != got {
				t.Fatalf("class %q, want %q; val is itself: %v", *BaseOf(got).Class(), *BaseOf(want).Class(), *BaseOf(got).Val() == got)
			}
			*BaseOf(got).Prototype() = *BaseOf(want).Prototype()
			g, err1 := describeFn(goja.Undefined(), got)
			w, err2 := describeFn(goja.Undefined(), want)
			if err1 != nil || err2 != nil || g.String() != w.String() {
				t.Fatalf("described as %v (%v), want %v (%v)", g, err1, w, err2)
			}
			// The spare property record comes with a function New made
			// of that kind, and with no other function.
			if _, _, ok := SpareProperty(want, k); ok {
				t.Fatal("a spare record for a function goja made")
			}
			if _, _, ok := SpareProperty(got, kinds[(i+1)%len(kinds)]); ok {
				t.Fatalf("a spare record for a %s asked as a %s", k, kinds[(i+1)%len(kinds)])
			}
			pv, p, ok := SpareProperty(got, k)
			if !ok {
				t.Fatal("no spare record")
			}
			*p.Value(), *p.Configurable() = rt.ToValue("spare"+strconv.Itoa(i)), true
			*BaseOf(got).Values() = map[unistring.String]goja.Value{"name": pv}
			*BaseOf(got).PropNames() = []unistring.String{"name"}
			runtime.GC()
			if n := got.Get("name"); n == nil || n.String() != "spare"+strconv.Itoa(i) {
				t.Fatalf("name %v through the spare record", n)
			}
			if IsInteriorProperty(got, p) || !IsInteriorProperty(got, FuncBaseOf(got).LenProp()) {
				t.Fatal("the spare record is taken for the interior length, or the length for not")
			}
		})
	}
}

// TestFunctionFieldsKnown refuses a function struct with a field that
// neither New nor the loader sets.
func TestFunctionFieldsKnown(t *testing.T) {
	type inner struct{ class, lenProp int }
	type fine struct {
		inner
		stash, derived int
	}
	type extra struct {
		inner
		stash, cache int
	}
	if err := knownFields(reflect.TypeFor[fine]()); err != nil {
		t.Errorf("fine: %v", err)
	}
	if err := knownFields(reflect.TypeFor[extra]()); err == nil || !strings.Contains(err.Error(), "extra.cache") {
		t.Errorf("extra: got %v, want an error naming extra.cache", err)
	}
}
