package heap

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/dop251/goja"
)

// TestPrivateMapTyped: goja's map of an object's private elements is read
// and written as the map of their mirrors on this goja (not through
// reflection, a tenth of a load of many instances with #fields), and what
// PrivateElementsOf reads so is what reflection reads; an object given
// elements by SetPrivateElements answers for them.
func TestPrivateMapTyped(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
	rt := goja.New()
	v, err := rt.RunString(`class A { #a = 1; get a() { return this.#a } }
		class B extends A { #b = 2; get b() { return this.#b } static has(o) { return #b in o } }
		[new B(), new B()]`)
	if err != nil {
		t.Fatal(err)
	}
	arr := v.(*goja.Object)
	src, dst := arr.Get("0").(*goja.Object), arr.Get("1").(*goja.Object)
	if privateMap(BaseOf(src)) == nil {
		t.Fatal("goja's map of private elements is not read as the mirrors' map")
	}
	got := PrivateElementsOf(src)
	rv := reflect.NewAt(reflect.MapOf(reflect.PointerTo(layout.types["privateEnvType"]), reflect.PointerTo(layout.types["privateElements"])), unsafe.Pointer(BaseOf(src).PrivateElements())).Elem()
	if len(got) != 2 || rv.Len() != 2 {
		t.Fatalf("%d private elements read, %d by reflection, want 2", len(got), rv.Len())
	}
	for it := rv.MapRange(); it.Next(); {
		if got[(*PrivateEnvType)(it.Key().UnsafePointer())] != (*PrivateElements)(it.Value().UnsafePointer()) {
			t.Errorf("brand %p: not what reflection reads", it.Key().UnsafePointer())
		}
	}
	// dst takes src's elements with new fields.
	var brands []*PrivateEnvType
	var elems []*PrivateElements
	for br, el := range got {
		e := NewPrivateElements()
		*e.Methods() = *el.Methods()
		*e.Fields() = []goja.Value{rt.ToValue(int64(len(*el.Fields())) * 10)}
		brands, elems = append(brands, br), append(elems, e)
	}
	SetPrivateElements(dst, brands, elems)
	probe, err := rt.RunString(`(o) => [o.a, o.b, B.has(o)].join()`)
	if err != nil {
		t.Fatal(err)
	}
	fn, _ := goja.AssertFunction(probe)
	out, err := fn(goja.Undefined(), dst)
	if err != nil || out.String() != "10,10,true" {
		t.Fatalf("after SetPrivateElements: %v (%v), want 10,10,true", out, err)
	}
}
