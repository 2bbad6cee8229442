package heap

import (
	"reflect"
	"unicode/utf8"
	"unsafe"

	"github.com/dop251/goja"
)

// Strings makes goja strings for a load. goja keeps a string of ASCII
// characters as an asciiString (a Go string) in a goja.Value, which
// rt.ToValue makes in two allocations (the string as an interface{}
// argument, then as a Value), and only for strings of at most 16 bytes:
// a longer one becomes an importedString, which goja scans when first
// used and which Collections cannot hash. Strings makes an asciiString
// of any length in one allocation, as goja's own string operations make
// them; other strings are rt.ToValue's.
type Strings struct {
	rt  *goja.Runtime
	tab unsafe.Pointer // itab of asciiString as a goja.Value; nil if goja has none
}

// NewStrings returns a maker of strings for rt.
func NewStrings(rt *goja.Runtime) *Strings {
	a := rt.ToValue("a")
	x := &Strings{rt: rt}
	if t := reflect.TypeOf(a); t.String() == "goja.asciiString" && t.Kind() == reflect.String {
		x.tab = (*iface)(unsafe.Pointer(&a)).tab
	}
	return x
}

// Value returns the goja string s.
func (x *Strings) Value(s string) goja.Value {
	if x.tab == nil {
		return x.rt.ToValue(s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return x.rt.ToValue(s)
		}
	}
	p := new(string)
	*p = s
	var v goja.Value
	*(*iface)(unsafe.Pointer(&v)) = iface{tab: x.tab, data: unsafe.Pointer(p)}
	return v
}
