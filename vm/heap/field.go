package heap

import (
	"fmt"
	"reflect"
	"strings"
	"unsafe"
)

// The mechanism behind the mirrors: field declarations (need, maybe,
// needSlice), their resolution by name at start-up (resolveFields), and the
// type rules. mirror.go's opening comment says how to use it.

// noCopy makes go vet refuse copies of mirrors, which would copy nothing.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// place is the place of one goja field of type T, found by Check.
type place[T any] struct{ off uintptr }

// in returns a pointer to the field of the structure at p.
func (f *place[T]) in(p unsafe.Pointer) *T { return (*T)(unsafe.Add(p, f.off)) }

// optField is a field that some supported goja versions lack.
type optField[T any] struct {
	place[T]
	ok bool
}

// in returns a pointer to the field of the structure at p, or nil if this
// goja has no such field.
func (f *optField[T]) in(p unsafe.Pointer) *T {
	if !f.ok {
		return nil
	}
	return f.place.in(p)
}

// structSlice is a field holding a slice of goja structs.
type structSlice[T any] struct {
	off  uintptr
	elem reflect.Type
}

// in returns the slice held by the structure at p.
func (f *structSlice[T]) in(p unsafe.Pointer) Slice[T] {
	return Slice[T]{p: unsafe.Add(p, f.off), elem: f.elem}
}

// Slice is a goja slice of structs, read through their mirror T; the
// elements have goja's size, whatever it is in this goja version.
type Slice[T any] struct {
	p    unsafe.Pointer // the slice header, inside its owner
	elem reflect.Type   // goja's element type
}

type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// Len returns the number of elements.
func (s Slice[T]) Len() int { return (*sliceHeader)(s.p).len }

// At returns element i, which must be in range.
func (s Slice[T]) At(i int) *T {
	h := (*sliceHeader)(s.p)
	if i < 0 || i >= h.len {
		panic(fmt.Sprintf("heap: index %d out of range [0:%d]", i, h.len))
	}
	return (*T)(unsafe.Add(h.data, uintptr(i)*s.elem.Size()))
}

// Make replaces the slice with n zeroed elements (nil for n == 0).
func (s Slice[T]) Make(n int) {
	st := reflect.SliceOf(s.elem)
	v := reflect.NewAt(st, s.p).Elem()
	if n == 0 {
		v.SetZero()
		return
	}
	v.Set(reflect.MakeSlice(st, n, n))
}

// fieldSpec is one entry of the table Check resolves.
type fieldSpec struct {
	owner, name string
	read        reflect.Type  // the Go type the field is read as
	off         *uintptr      // where to cache the offset
	ok          *bool         // for optional fields: whether this goja has it
	elem        *reflect.Type // for slices of structs: where to keep goja's element type
}

// specs lists every field this package reads, in declaration order.
var specs []fieldSpec

// need declares a field that every supported goja version has.
func need[T any](owner, name string) *place[T] {
	f := &place[T]{}
	specs = append(specs, fieldSpec{owner: owner, name: name, read: reflect.TypeFor[T](), off: &f.off})
	return f
}

// maybe declares a field that only some supported goja versions have
// (list it in versions.go).
func maybe[T any](owner, name string) *optField[T] {
	f := &optField[T]{}
	specs = append(specs, fieldSpec{owner: owner, name: name, read: reflect.TypeFor[T](), off: &f.off, ok: &f.ok})
	return f
}

// needSlice declares a field that holds a slice of goja structs, read
// through the mirror T.
func needSlice[T any](owner, name string) *structSlice[T] {
	f := &structSlice[T]{}
	specs = append(specs, fieldSpec{owner: owner, name: name, read: reflect.TypeFor[[]T](), off: &f.off, elem: &f.elem})
	return f
}

// mirrorName returns the goja type that mirror type t stands for.
func mirrorName(t reflect.Type) (string, bool) {
	n, ok := mirrorNames[t]
	return n, ok
}

// gojaTypeString spells the goja type that a field read as t must have.
func gojaTypeString(t reflect.Type) string {
	if n, ok := mirrorName(t); ok {
		return "goja." + n
	}
	if t.Name() != "" {
		return t.String()
	}
	switch t.Kind() {
	case reflect.Ptr:
		return "*" + gojaTypeString(t.Elem())
	case reflect.Slice:
		return "[]" + gojaTypeString(t.Elem())
	case reflect.Map:
		return "map[" + gojaTypeString(t.Key()) + "]" + gojaTypeString(t.Elem())
	}
	return t.String()
}

var (
	unsafePointer = reflect.TypeFor[unsafe.Pointer]()
	ifaceType     = reflect.TypeFor[iface]()
)

// readableAs reports whether a goja field of type g may be read as t.
func readableAs(t, g reflect.Type) error {
	switch {
	case t == unsafePointer:
		switch g.Kind() {
		case reflect.Ptr, reflect.Map, reflect.Func, reflect.Chan, reflect.UnsafePointer:
			return nil
		}
	case t == ifaceType:
		if g.Kind() == reflect.Interface {
			return nil
		}
	case t.PkgPath() == "" && t.Kind() >= reflect.Bool && t.Kind() <= reflect.Float64:
		if g.Kind() == t.Kind() {
			return nil
		}
	default:
		if n, ok := mirrorName(t); ok {
			if g.Kind() == reflect.Struct && g.String() == "goja."+n {
				return nil
			}
			break
		}
		if g.String() == gojaTypeString(t) && g.Size() == t.Size() {
			return nil
		}
	}
	return fmt.Errorf("has type %s, read as %s", g, gojaTypeString(t))
}

// locate finds field name in struct type owner and returns its offset from
// the start of owner (adding the offsets of the embedded structs it is
// promoted through) and its type.
func locate(owner reflect.Type, name string) (uintptr, reflect.Type, error) {
	f, ok := owner.FieldByName(name)
	if !ok {
		return 0, nil, fmt.Errorf("no field %q in %s", name, owner)
	}
	var off uintptr
	t := owner
	for _, i := range f.Index {
		if t.Kind() != reflect.Struct {
			return 0, nil, fmt.Errorf("field %q of %s is promoted through a pointer", name, owner)
		}
		sf := t.Field(i)
		off += sf.Offset
		t = sf.Type
	}
	return off, t, nil
}

// resolveFields finds every declared field in the goja types by name.
func resolveFields(types map[string]reflect.Type) error {
	for _, s := range specs {
		at := s.owner + "." + s.name
		owner := types[s.owner]
		if owner == nil {
			if s.ok != nil {
				continue
			}
			return fmt.Errorf("%s: no goja type %s among the samples", at, s.owner)
		}
		off, t, err := locate(owner, s.name)
		if err == nil {
			if s.elem != nil {
				if t.Kind() != reflect.Slice {
					err = fmt.Errorf("has type %s, want a slice", t)
				} else if err = readableAs(s.read.Elem(), t.Elem()); err == nil {
					*s.elem = t.Elem()
				}
			} else {
				err = readableAs(s.read, t)
			}
		}
		if err != nil {
			if s.ok != nil {
				*s.ok = false
				continue
			}
			return fmt.Errorf("%s: %v", at, err)
		}
		*s.off = off
		if s.ok != nil {
			*s.ok = true
		}
	}
	return nil
}

// collectTypes records every struct type of goja's package reachable from t,
// by its short name.
func collectTypes(t reflect.Type, into map[string]reflect.Type) {
	for {
		switch t.Kind() {
		case reflect.Ptr, reflect.Slice, reflect.Array, reflect.Chan:
			t = t.Elem()
			continue
		case reflect.Map:
			collectTypes(t.Key(), into)
			t = t.Elem()
			continue
		}
		break
	}
	if t.Kind() != reflect.Struct || t.PkgPath() != "github.com/dop251/goja" || t.Name() == "" {
		return
	}
	if _, seen := into[t.Name()]; seen {
		return
	}
	into[t.Name()] = t
	for i := 0; i < t.NumField(); i++ {
		collectTypes(t.Field(i).Type, into)
	}
}

// checkEmbedding verifies that every mirror embedding another mirror
// corresponds to a goja type that embeds the other's type first (at offset
// 0), so that the promoted accessors read the right memory.
func checkEmbedding(types map[string]reflect.Type) error {
	for m, name := range mirrorNames {
		if m.NumField() == 0 || !m.Field(0).Anonymous {
			continue
		}
		inner, ok := mirrorName(m.Field(0).Type)
		if !ok {
			continue
		}
		if types[name] == nil {
			return fmt.Errorf("%s: no goja type among the samples", name)
		}
		if err := embedsFirst(types[name], types[inner]); err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
	}
	return nil
}

// embedsFirst checks that t starts with want (directly or through a chain
// of first embedded fields at offset 0).
func embedsFirst(t, want reflect.Type) error {
	for cur := t; ; {
		if cur == want {
			return nil
		}
		if cur.Kind() != reflect.Struct || cur.NumField() == 0 || !cur.Field(0).Anonymous {
			return fmt.Errorf("does not embed %s first", want)
		}
		cur = cur.Field(0).Type
	}
}

// newOf allocates a zeroed goja structure of the type mirror T stands for.
func newOf[T any]() *T {
	name, ok := mirrorName(reflect.TypeFor[T]())
	t := layout.types[name]
	if !ok || t == nil {
		panic("heap: no goja type for " + reflect.TypeFor[T]().String())
	}
	return (*T)(reflect.New(t).UnsafePointer())
}

// gojaValue returns the goja structure at p, of the type mirror T stands
// for, as a settable reflect.Value.
func gojaValue[T any](p *T) reflect.Value {
	name, _ := mirrorName(reflect.TypeFor[T]())
	return reflect.NewAt(layout.types[name], unsafe.Pointer(p)).Elem()
}

// fieldList describes the resolved fields for the fingerprint: names and
// types, not offsets (offsets never reach an image).
func fieldList(types map[string]reflect.Type) string {
	var b strings.Builder
	for _, s := range specs {
		if s.ok != nil && !*s.ok {
			continue
		}
		fmt.Fprintf(&b, "%s.%s %s\n", s.owner, s.name, gojaTypeString(s.read))
	}
	return b.String()
}
