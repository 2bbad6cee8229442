package heap

import (
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
)

// kindCache maps the itab of an objectImpl interface value to a kind.
var kindCache sync.Map // unsafe.Pointer -> Kind

var objectSelf = need[iface]("Object", "self")

// self returns o's objectImpl interface value.
func self(o *goja.Object) *iface { return objectSelf.in(unsafe.Pointer(o)) }

// KindOf returns the kind of o.
func KindOf(o *goja.Object) Kind {
	if k, ok := kindCache.Load(self(o).tab); ok {
		return k.(Kind)
	}
	t := reflect.ValueOf(o).Elem().FieldByName("self").Elem().Type()
	k := goTypeKinds[t.String()]
	kindCache.Store(self(o).tab, k)
	return k
}

// lazyCache maps the itab of an objectImpl interface value to whether its
// type is one of goja's templated built-ins (Lazy).
var lazyCache sync.Map // unsafe.Pointer -> bool

// Lazy reports whether o is a built-in whose own properties goja makes
// when they are first read (a templated object: most constructors and
// prototypes of a fresh runtime). Listing its string keys
// (Object.GetOwnPropertyNames) makes them all, listing its symbols
// (Object.Symbols) the symbol-keyed ones; until then its storage holds
// only those made so far.
func Lazy(o *goja.Object) bool {
	tab := self(o).tab
	if l, ok := lazyCache.Load(tab); ok {
		return l.(bool)
	}
	t := reflect.ValueOf(o).Elem().FieldByName("self").Elem().Type()
	l := strings.HasPrefix(t.String(), "*goja.templated")
	lazyCache.Store(tab, l)
	return l
}

// KindClassifier tells kinds quickly by remembering the interface tables
// of the object types it met; it is not safe for concurrent use.
type KindClassifier struct {
	n     int
	tabs  [32]unsafe.Pointer
	kinds [32]Kind
}

// Kind returns the kind of o.
func (c *KindClassifier) Kind(o *goja.Object) Kind {
	tab := self(o).tab
	for i := 0; i < c.n; i++ {
		if c.tabs[i] == tab {
			return c.kinds[i]
		}
	}
	k := KindOf(o)
	if c.n < len(c.tabs) {
		c.tabs[c.n], c.kinds[c.n] = tab, k
		c.n++
	}
	return k
}

// GoTypeName returns the name of o's goja implementation type, for messages.
func GoTypeName(o *goja.Object) string {
	return reflect.ValueOf(o).Elem().FieldByName("self").Elem().Type().String()
}

// impl returns a pointer to o's concrete implementation struct.
// A tagged template array holds its arrayObject by pointer: impl is that.
func impl(o *goja.Object) unsafe.Pointer {
	s := self(o)
	return templateImpl(s.tab, s.data)
}

// BaseOf returns o's baseObject. Every kind embeds it first; for KindHost and
// KindOther objects the result must not be used.
func BaseOf(o *goja.Object) *Base { return (*Base)(impl(o)) }

// ArrayOf returns o's arrayObject; o must be of KindArray.
func ArrayOf(o *goja.Object) *Array { return (*Array)(impl(o)) }

// SparseArrayOf returns o's sparseArrayObject; o must be of KindSparseArray.
func SparseArrayOf(o *goja.Object) *SparseArray { return (*SparseArray)(impl(o)) }

// JSFuncOf returns o's baseJsFuncObject; o's kind must satisfy IsJSFunction.
func JSFuncOf(o *goja.Object) *JSFunc { return (*JSFunc)(impl(o)) }

// FuncBaseOf returns the baseFuncObject of a JS or native function.
func FuncBaseOf(o *goja.Object) *FuncBase { return (*FuncBase)(impl(o)) }

// ClassOf returns o's classFuncObject; o must be of KindClass.
func ClassOf(o *goja.Object) *ClassFunc { return (*ClassFunc)(impl(o)) }

// MethodOf returns o's methodFuncObject; o must be a method kind.
func MethodOf(o *goja.Object) *MethodFunc { return (*MethodFunc)(impl(o)) }

// ArrowOf returns o's arrowFuncObject; o must be an arrow kind.
func ArrowOf(o *goja.Object) *ArrowFunc { return (*ArrowFunc)(impl(o)) }

// NativeOf returns o's nativeFuncObject; o must be of KindNative or KindBound.
func NativeOf(o *goja.Object) *NativeFunc { return (*NativeFunc)(impl(o)) }

// BoundOf returns o's boundFuncObject; o must be of KindBound.
func BoundOf(o *goja.Object) *BoundFunc { return (*BoundFunc)(impl(o)) }

// MapOf returns o's mapObject or setObject.
func MapOf(o *goja.Object) *MapObject { return (*MapObject)(impl(o)) }

// DateOf returns o's dateObject.
func DateOf(o *goja.Object) *DateObject { return (*DateObject)(impl(o)) }

// ErrorOf returns o's errorObject.
func ErrorOf(o *goja.Object) *ErrorObject { return (*ErrorObject)(impl(o)) }

// ArrayBufferOf returns o's arrayBufferObject.
func ArrayBufferOf(o *goja.Object) *ArrayBuffer { return (*ArrayBuffer)(impl(o)) }

// TypedArrayOf returns o's typedArrayObject.
func TypedArrayOf(o *goja.Object) *TypedArray { return (*TypedArray)(impl(o)) }

// DataViewOf returns o's dataViewObject.
func DataViewOf(o *goja.Object) *DataView { return (*DataView)(impl(o)) }

// PrimitiveOf returns o's primitiveValueObject.
func PrimitiveOf(o *goja.Object) *PrimitiveObject { return (*PrimitiveObject)(impl(o)) }

// StringObjectOf returns o's stringObject.
func StringObjectOf(o *goja.Object) *StringObject { return (*StringObject)(impl(o)) }

// ProxyOf returns o's proxyObject.
func ProxyOf(o *goja.Object) *ProxyObject { return (*ProxyObject)(impl(o)) }

// ObjectOfBuffer returns the JS object of an ArrayBuffer mirror.
func ObjectOfBuffer(b *ArrayBuffer) *goja.Object { return *b.Val() }

// SymbolOf returns the mirror of a symbol.
func SymbolOf(s *goja.Symbol) *Symbol { return (*Symbol)(unsafe.Pointer(s)) }

// valuePropertyTab is the itab of *goja.valueProperty as a goja.Value; set by Check.
var valuePropertyTab unsafe.Pointer

// AsProperty returns the property record if v (a value from Base.Values or an
// ordered map) is a *valueProperty (attributes or accessor), or nil if v is a plain value.
func AsProperty(v goja.Value) *ValueProperty {
	p := (*iface)(unsafe.Pointer(&v))
	if p.tab == valuePropertyTab {
		return (*ValueProperty)(p.data)
	}
	return nil
}

// vpType is goja's valueProperty type; set by Check.
var vpType reflect.Type

// NewValueProperty allocates a goja *valueProperty and returns it as a
// goja.Value with its mirror, through which the caller fills it.
func NewValueProperty() (goja.Value, *ValueProperty) {
	rv := reflect.New(vpType)
	return rv.Interface().(goja.Value), (*ValueProperty)(rv.UnsafePointer())
}

// IsInteriorProperty reports whether the property record p is stored inside
// the object o itself (a function's length, an array's length) rather than
// allocated apart (a function's spare record, SpareProperty,
// is allocated with it but is not interior: goja does not know it).
func IsInteriorProperty(o *goja.Object, p *ValueProperty) bool {
	return p != nil && p == InteriorLength(o)
}

// InteriorLength returns the interior length property of o if o has one
// (functions, arrays, String objects), else nil.
func InteriorLength(o *goja.Object) *ValueProperty {
	switch k := KindOf(o); {
	case k.IsJSFunction() || k == KindNative || k == KindBound:
		return FuncBaseOf(o).LenProp()
	case k == KindArray:
		return ArrayOf(o).LengthProp()
	case k == KindSparseArray:
		return SparseArrayOf(o).LengthProp()
	case k == KindStringObject:
		return StringObjectOf(o).LengthProp()
	}
	return nil
}

// ForEachEntry calls f for every live entry of an ordered map, in order.
func (m *OrderedMap) ForEachEntry(f func(key, value goja.Value) error) error {
	if m == nil {
		return nil
	}
	for e := *m.IterFirst(); e != nil; e = *e.IterNext() {
		if *e.Key() == nil { // deleted entries are unlinked; guard anyway
			continue
		}
		if err := f(*e.Key(), *e.Value()); err != nil {
			return err
		}
	}
	return nil
}

// ObjectOfBase returns the JS object whose baseObject is b.
func ObjectOfBase(b *Base) *goja.Object { return *b.Val() }

// PropertyValue returns p as the goja.Value that property storage holds.
// p must be a goja-allocated valueProperty (see NewValueProperty and InteriorLength).
func PropertyValue(p *ValueProperty) goja.Value {
	var v goja.Value
	*(*iface)(unsafe.Pointer(&v)) = iface{tab: valuePropertyTab, data: unsafe.Pointer(p)}
	return v
}

// WeakOf returns o's weakMapObject or weakSetObject.
func WeakOf(o *goja.Object) *WeakCollection { return (*WeakCollection)(impl(o)) }

// PromiseOf returns o's Promise.
func PromiseOf(o *goja.Object) *PromiseObject { return (*PromiseObject)(impl(o)) }

// NewPrivateElements allocates a goja privateElements record.
func NewPrivateElements() *PrivateElements {
	return newOf[PrivateElements]()
}

var (
	privateMapOnce  sync.Once
	privateMapTyped bool
)

// privateMap returns b's map of private elements (goja's
// map[*privateEnvType]*privateElements) read as the map of their mirrors,
// which has the same layout (pointer keys, pointer values: Go's maps keep
// no type of their own, and hash every pointer key alike); nil if goja's
// field is not that map.
func privateMap(b *Base) *map[*PrivateEnvType]*PrivateElements {
	privateMapOnce.Do(func() {
		f, ok := layout.types["baseObject"].FieldByName("privateElements")
		privateMapTyped = ok && f.Type.String() == "map[*goja.privateEnvType]*goja.privateElements"
	})
	if !privateMapTyped {
		return nil
	}
	return (*map[*PrivateEnvType]*PrivateElements)(unsafe.Pointer(b.PrivateElements()))
}

// SetPrivateElements replaces o's private elements with the given ones
// (brands[i] → elems[i]; the slices are not kept).
func SetPrivateElements(o *goja.Object, brands []*PrivateEnvType, elems []*PrivateElements) {
	b := BaseOf(o)
	if len(brands) == 0 {
		*b.PrivateElements() = nil
		return
	}
	if pm := privateMap(b); pm != nil {
		m := make(map[*PrivateEnvType]*PrivateElements, len(brands))
		for i, br := range brands {
			m[br] = elems[i]
		}
		*pm = m
		return
	}
	mt := reflect.MapOf(reflect.PointerTo(layout.types["privateEnvType"]), reflect.PointerTo(layout.types["privateElements"]))
	m := reflect.MakeMapWithSize(mt, len(brands))
	for i, br := range brands {
		m.SetMapIndex(reflect.NewAt(mt.Key().Elem(), unsafe.Pointer(br)), reflect.NewAt(mt.Elem().Elem(), unsafe.Pointer(elems[i])))
	}
	reflect.NewAt(mt, unsafe.Pointer(b.PrivateElements())).Elem().Set(m)
}

// ProgramPosition returns the source offset where p's code starts (from its
// source map), or -1 when it has none.
func ProgramPosition(p *goja.Program) int {
	sm := field(reflect.ValueOf(p), "srcMap")
	if sm.Len() == 0 {
		return -1
	}
	return int(field(sm.Index(0), "srcPos").Int())
}

// Revoked reports whether the proxy was revoked.
func (p *ProxyObject) Revoked() bool { return p.Handler().tab == nil }

// mappedTab is the itab of *goja.mappedProperty as a goja.Value; set by Check.
var mappedTab unsafe.Pointer

// AsMapped returns v as a mapped arguments property, or nil.
func AsMapped(v goja.Value) *MappedProperty {
	p := (*iface)(unsafe.Pointer(&v))
	if p.tab == mappedTab && mappedTab != nil {
		return (*MappedProperty)(p.data)
	}
	return nil
}

// NewMappedProperty makes a mapped arguments property aliasing *slot.
func NewMappedProperty(slot *goja.Value, writable, enumerable, configurable bool) goja.Value {
	m := newOf[MappedProperty]()
	*m.V(), *m.Writable(), *m.Enumerable(), *m.Configurable() = slot, writable, enumerable, configurable
	return reflect.NewAt(layout.types["mappedProperty"], unsafe.Pointer(m)).Interface().(goja.Value)
}

// ArgumentsOf returns o's argumentsObject.
func ArgumentsOf(o *goja.Object) *ArgumentsObject { return (*ArgumentsObject)(impl(o)) }

// GeneratorOf returns o's generatorObject.
func GeneratorOf(o *goja.Object) *GeneratorObject { return (*GeneratorObject)(impl(o)) }
