package heap

import (
	"reflect"
	"unsafe"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
)

// GlobalStash returns the runtime's global lexical scope: top-level let,
// const and class bindings live here.
func GlobalStash(rt *goja.Runtime) *Stash {
	g := field(reflect.ValueOf(rt).Elem(), "global")
	s := field(g, "stash")
	return (*Stash)(unsafe.Pointer(s.UnsafeAddr()))
}

// Binding flags in a stash's names map, as goja sets them.
const (
	bindingConst  = 1 << 31
	bindingVar    = 1 << 30
	bindingStrict = 1 << 29
	bindingMask   = bindingConst | bindingVar | bindingStrict
)

// Binding is one global lexical binding.
type Binding struct {
	Name  string     // the binding's name
	Const bool       // goja marks it const: an assignment to it throws
	Value goja.Value // nil while in the temporal dead zone
}

// GlobalBindings lists the top-level let/const/class bindings in slot order.
func GlobalBindings(rt *goja.Runtime) []Binding {
	s := GlobalStash(rt)
	vals := *s.Values()
	out := make([]Binding, len(vals))
	for name, idx := range *s.Names() {
		i := idx &^ bindingMask
		if int(i) < len(out) {
			out[i] = Binding{Name: name.String(), Const: idx&bindingConst != 0}
		}
	}
	for i := range out {
		out[i].Value = vals[i]
	}
	return out
}

// DeclareGlobal declares a top-level lexical binding (as goja does for a
// script's let/const/class) with the given value; nil leaves it uninitialised.
func DeclareGlobal(rt *goja.Runtime, name string, isConst bool, value goja.Value) {
	s := GlobalStash(rt)
	if *s.Names() == nil {
		*s.Names() = map[unistring.String]uint32{}
	}
	idx := uint32(len(*s.Values()))
	if isConst {
		idx |= bindingConst | bindingStrict
	}
	(*s.Names())[unistring.NewFromString(name)] = idx
	*s.Values() = append(*s.Values(), value)
}

// NameFlags splits a names-map entry into its slot index and flags.
func NameFlags(v uint32) (idx uint32, flags uint32) { return v &^ bindingMask, v & bindingMask }

// NewStash allocates an empty goja stash and returns its mirror.
func NewStash() *Stash {
	return newOf[Stash]()
}

// NewPrivateEnv allocates an empty goja privateEnv.
func NewPrivateEnv() *PrivateEnv {
	return newOf[PrivateEnv]()
}

// NewPrivateEnvType allocates a goja privateEnvType (a class brand).
func NewPrivateEnvType(fields, methods uint32) *PrivateEnvType {
	t := newOf[PrivateEnvType]()
	*t.NumFields(), *t.NumMethods() = fields, methods
	return t
}
