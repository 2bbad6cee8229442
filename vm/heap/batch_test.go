package heap

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
)

// TestFastMapsOnThisGo: the Go release this module is built with is one
// whose maps MapTemplate knows, and its probe passes: a toolchain upgrade
// that turns the copied maps off (loads then make maps as usual, correctly
// but slower) fails here, to be looked at.
func TestFastMapsOnThisGo(t *testing.T) {
	if !strings.HasPrefix(runtime.Version(), "go1.26") {
		t.Skipf("%s: MapTemplate knows the maps of %v only", runtime.Version(), mapReleases)
	}
	if !FastMaps() {
		t.Fatalf("%s: the probe of Go's map layout failed", runtime.Version())
	}
}

func testKeys(n int) []unistring.String {
	keys := make([]unistring.String, n)
	for i := range keys {
		keys[i] = unistring.String(fmt.Sprintf("key%d", i))
	}
	return keys
}

// TestMapTemplate: maps copied from a template of 1 to 8 keys behave as
// maps the runtime made with the same entries, through every operation
// goja's objects make on their property maps.
func TestMapTemplate(t *testing.T) {
	if !FastMaps() {
		t.Skip("maps are not copied on this Go runtime")
	}
	ops := []struct {
		name string
		do   func(m map[unistring.String]goja.Value, vals []goja.Value)
	}{
		{"none", func(map[unistring.String]goja.Value, []goja.Value) {}},
		{"replace", func(m map[unistring.String]goja.Value, v []goja.Value) { m["key0"] = v[len(v)-1] }},
		{"delete first", func(m map[unistring.String]goja.Value, _ []goja.Value) { delete(m, "key0") }},
		{"delete all, add", func(m map[unistring.String]goja.Value, v []goja.Value) {
			for k := range m {
				delete(m, k)
			}
			m["new"] = v[0]
		}},
		{"grow past a group", func(m map[unistring.String]goja.Value, v []goja.Value) {
			for i := 0; i < 40; i++ {
				m[unistring.String(fmt.Sprintf("more%d", i))] = v[i%len(v)]
			}
			delete(m, "more7")
		}},
		{"clear", func(m map[unistring.String]goja.Value, _ []goja.Value) { clear(m) }},
	}
	for n := 1; n <= mapGroupSlots; n++ {
		keys := testKeys(n)
		tmpl := NewMapTemplate(keys)
		if tmpl == nil || tmpl.Len() != n {
			t.Fatalf("no template for %d keys", n)
		}
		for _, op := range ops {
			t.Run(fmt.Sprintf("%d keys/%s", n, op.name), func(t *testing.T) {
				vals := make([]goja.Value, n)
				want := map[unistring.String]goja.Value{}
				for i := range vals {
					vals[i] = goja.New().ToValue(i*10 + n)
					want[keys[i]] = vals[i]
				}
				got := tmpl.New(vals)
				// Another map of the template stays as it was.
				other := tmpl.New(vals)
				op.do(got, vals)
				op.do(want, vals)
				if !maps.Equal(got, want) || len(got) != len(want) {
					t.Fatalf("got %v, want %v", got, want)
				}
				for k, v := range want {
					if g, ok := got[k]; !ok || g != v {
						t.Fatalf("%s: got %v %v, want %v", k, g, ok, v)
					}
				}
				if _, ok := got["absent"]; ok {
					t.Fatal("a key never put in is found")
				}
				if c := maps.Clone(got); !maps.Equal(c, want) {
					t.Fatalf("clone %v, want %v", c, want)
				}
				if len(other) != n || other["key0"] != vals[0] {
					t.Fatalf("a map of the same template changed: %v", other)
				}
			})
		}
	}
	for _, n := range []int{0, 9, 20} {
		if NewMapTemplate(testKeys(n)) != nil {
			t.Errorf("a template for %d keys: maps of more than a group's keys or of none are made as usual", n)
		}
	}
}

// TestObjectMaker: objects and arrays made by an ObjectMaker, with maps
// from templates and shared names, are objects goja works with as with its
// own, each changed alone.
func TestObjectMaker(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	rt := goja.New()
	b := NewObjectMaker(rt)
	keys := testKeys(3)
	names := SharedPropNames(keys)
	tmpl := NewMapTemplate(keys)
	var objs, arrs []*goja.Object
	const n = 100
	for i := 0; i < n; i++ {
		o := b.Object()
		base := BaseOf(o)
		*base.Prototype() = rt.Get("Object").(*goja.Object).Get("prototype").(*goja.Object)
		vals := []goja.Value{rt.ToValue(i), rt.ToValue(fmt.Sprint("s", i)), rt.ToValue(i%2 == 0)}
		if tmpl != nil {
			*base.Values() = tmpl.New(vals)
		} else {
			*base.Values() = map[unistring.String]goja.Value{}
			for j, k := range keys {
				(*base.Values())[k] = vals[j]
			}
		}
		*base.PropNames() = names
		objs = append(objs, o)

		a := b.Array()
		arr := ArrayOf(a)
		*arr.Prototype() = rt.Get("Array").(*goja.Object).Get("prototype").(*goja.Object)
		*arr.Values() = []goja.Value{rt.ToValue(i), rt.ToValue("x")}
		*arr.Length() = 2
		*arr.ObjCount() = 2
		*arr.LengthProp().Value() = rt.ToValue(2)
		*arr.Base.Values() = map[unistring.String]goja.Value{"length": PropertyValue(arr.LengthProp())}
		*arr.Base.PropNames() = SharedPropNames([]unistring.String{"length"})
		arrs = append(arrs, a)
	}
	if KindOf(objs[0]) != KindOrdinary || KindOf(arrs[0]) != KindArray {
		t.Fatalf("kinds %s and %s", KindOf(objs[0]), KindOf(arrs[0]))
	}
	rt.Set("objs", objs)
	rt.Set("arrs", arrs)
	res, err := rt.RunString(`
		objs = Array.from(objs); arrs = Array.from(arrs);
		objs[0].added = 1; delete objs[1].key1; objs[2][3] = "three"; objs[3].key0 = "set";
		for (var k in objs[4]) { if (k == "key0") delete objs[4].key2; objs[4]["in_" + k] = 1 }
		arrs[0].push(3); arrs[1].length = 0; arrs[2].prop = 1;
		[objs.slice(0, 6).map(o => JSON.stringify(Object.keys(o)) + JSON.stringify(o)).join(" "),
		 arrs.slice(0, 4).map(a => a.length + JSON.stringify(a) + Object.keys(a)).join(" "),
		 objs[objs.length - 1].key1, Array.isArray(arrs[9]), objs[7] instanceof Object,
		 Object.getOwnPropertyNames(arrs[5]).join()].join("\n")`)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		`["key0","key1","key2","added"]{"key0":0,"key1":"s0","key2":true,"added":1} ` +
			`["key0","key2"]{"key0":1,"key2":false} ` +
			`["3","key0","key1","key2"]{"3":"three","key0":2,"key1":"s2","key2":true} ` +
			`["key0","key1","key2"]{"key0":"set","key1":"s3","key2":false} ` +
			`["key0","key1","in_key0","in_key1"]{"key0":4,"key1":"s4","in_key0":1,"in_key1":1} ` +
			`["key0","key1","key2"]{"key0":5,"key1":"s5","key2":false}`,
		`3[0,"x",3]0,1,2 0[] 2[2,"x"]0,1,prop 2[3,"x"]0,1`,
		fmt.Sprint("s", n-1), "true", "true", "0,1,length",
	}, "\n")
	if got := res.String(); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if !slices.Equal(names, keys) {
		t.Fatalf("the shared names changed: %v", names)
	}
}

// TestObjectMakerAllocations: an ordinary object is one allocation (its
// Object and baseObject together), an array two (goja may give an array
// another implementation).
func TestObjectMakerAllocations(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	b := NewObjectMaker(goja.New())
	keep := make([]*goja.Object, 1)
	for _, c := range []struct {
		what string
		make func() *goja.Object
		want float64
	}{{"an object", b.Object, 1}, {"an array", b.Array, 2}} {
		if n := testing.AllocsPerRun(100, func() { keep[0] = c.make() }); n != c.want {
			t.Errorf("%s: %v allocations, want %v", c.what, n, c.want)
		}
	}
}

// TestNumbers: numbers boxed in batches are the numbers goja makes: the
// same type, value, and behaviour in JavaScript, goja's shared ones where
// goja shares them.
func TestNumbers(t *testing.T) {
	rt := goja.New()
	n := NewNumbers(rt)
	ints := []int64{0, 1, 255, 256, -1, -256, -257, 1000, -123456789, maxSafeInt, -maxSafeInt, maxSafeInt + 1, -maxSafeInt - 5, math.MaxInt64, math.MinInt64}
	floats := []float64{0.5, -0.25, 1e300, -1e-300, 3, -7, 0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1 << 60, 2.5e15 + 0.5}
	var got, want []goja.Value
	for i := 0; i < 3*numberBatch; i++ { // past a batch
		x := ints[i%len(ints)]
		got, want = append(got, n.Int(x)), append(want, rt.ToValue(x))
		f := floats[i%len(floats)]
		got, want = append(got, n.Float(f)), append(want, rt.ToValue(f))
	}
	for i := range got {
		g, w := got[i], want[i]
		if reflect.TypeOf(g) != reflect.TypeOf(w) || g.String() != w.String() || !g.SameAs(w) {
			t.Fatalf("%d: got %T %v, want %T %v", i, g, g, w, w)
		}
	}
	rt.Set("got", got)
	rt.Set("want", want)
	res, err := rt.RunString(`got.every((g, i) => Object.is(g, want[i]) && typeof g == "number" && Object.is(g + 1, want[i] + 1) && String(g * 2) == String(want[i] * 2))`)
	if err != nil || !res.ToBoolean() {
		t.Fatalf("in JavaScript the numbers differ: %v %v", res, err)
	}
}
