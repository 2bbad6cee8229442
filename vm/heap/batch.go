package heap

import (
	"math"
	"reflect"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
)

// ObjectMaker makes ordinary objects and arrays for a load: goja's Object
// and its baseObject or arrayObject, without the property map goja's
// constructors make (a load gives every object its own, from a
// MapTemplate). An ordinary object's Object and baseObject are one
// allocation (goja never gives an ordinary object another
// implementation, so neither outlives the other); an array's are two, as
// goja replaces an array's implementation when it makes it sparse.
// Objects and their implementations made many to an allocation were
// tried: a batch stayed alive while any of its objects did, and its dead
// objects kept alive what they referred to, so that a world of Tree1M
// that kept one record in 64 kept all of them. Not safe for concurrent
// use.
type ObjectMaker struct {
	rt        *goja.Runtime
	pairType  reflect.Type // struct{ O goja.Object; B baseObject }
	baseOff   uintptr      // B's offset in pairType
	arrType   reflect.Type
	baseTab   unsafe.Pointer
	arrTab    unsafe.Pointer
	baseClass string
	arrClass  string
}

var objectRuntime = need[*goja.Runtime]("Object", "runtime")

// NewObjectMaker returns a maker of objects of rt.
func NewObjectMaker(rt *goja.Runtime) *ObjectMaker {
	o, a := rt.NewObject(), rt.NewArray()
	pair := objectPair()
	return &ObjectMaker{
		rt: rt, pairType: pair, baseOff: pair.Field(1).Offset, arrType: layout.types["arrayObject"],
		baseTab: self(o).tab, arrTab: self(a).tab,
		baseClass: *BaseOf(o).Class(), arrClass: *BaseOf(a).Class(),
	}
}

var (
	pairOnce sync.Once
	pairType reflect.Type
)

// objectPair returns the type of an ordinary object's Object and
// baseObject in one allocation, made once.
func objectPair() reflect.Type {
	pairOnce.Do(func() {
		pairType = reflect.StructOf([]reflect.StructField{
			{Name: "O", Type: reflect.TypeFor[goja.Object]()},
			{Name: "B", Type: layout.types["baseObject"]},
		})
	})
	return pairType
}

func (b *ObjectMaker) object(o *goja.Object, tab, impl unsafe.Pointer) *goja.Object {
	*objectSelf.in(unsafe.Pointer(o)) = iface{tab: tab, data: impl}
	*objectRuntime.in(unsafe.Pointer(o)) = b.rt
	base := (*Base)(impl)
	*base.Val() = o
	*base.Extensible() = true
	return o
}

// Object returns a new ordinary object (what rt.NewObject makes) with no
// prototype and no property map yet.
func (b *ObjectMaker) Object() *goja.Object {
	p := reflect.New(b.pairType).UnsafePointer()
	impl := unsafe.Add(p, b.baseOff)
	*(*Base)(impl).Class() = b.baseClass
	return b.object((*goja.Object)(p), b.baseTab, impl)
}

// Array returns a new empty array (what rt.NewArray makes) with no
// prototype and no property map yet: its length property, which goja
// keeps in the array and lists in its map, is for the caller to add
// (Array.LengthProp).
func (b *ObjectMaker) Array() *goja.Object {
	p := reflect.New(b.arrType).UnsafePointer()
	a := (*Array)(p)
	*a.Class() = b.arrClass
	*a.LengthProp().Writable() = true
	return b.object(new(goja.Object), b.arrTab, p)
}

// copyMarker is what goja puts past the end of a list of property names
// (in its spare capacity) to say that the list is shared: goja copies such
// a list before it changes it (namesMarkedForCopy in goja's object.go).
const copyMarker = " "

// SharedPropNames returns a copy of names that many objects may hold as
// their Base.PropNames at once: marked as goja marks a list that an
// iteration shares, so that goja copies it before any change (a property
// added, deleted or reordered) to one of the objects.
func SharedPropNames(names []unistring.String) []unistring.String {
	if len(names) == 0 {
		return nil
	}
	s := make([]unistring.String, len(names), len(names)+1)
	copy(s, names)
	s[:len(names)+1][len(names)] = copyMarker
	return s
}

// Numbers boxes goja numbers for a load many at a time: goja keeps an
// integer or a float in a goja.Value as a pointer to 8 bytes, one
// allocation per number, where these point into arrays of numbers
// (numberBatch of them, 1 KB, kept alive while any of their numbers is;
// they hold no pointers, so they keep nothing else alive).
// What goja shares already (small integers, NaN, infinities, -0) comes
// from goja. Not safe for concurrent use.
type Numbers struct {
	rt       *goja.Runtime
	ints     []int64
	floats   []float64
	intTab   unsafe.Pointer
	floatTab unsafe.Pointer
}

const (
	numberBatch = 128
	maxSafeInt  = 1<<53 - 1 // goja's maxInt: beyond it an integer is a float
)

// NewNumbers returns a boxer of numbers for rt.
func NewNumbers(rt *goja.Runtime) *Numbers {
	i, f := rt.ToValue(int64(maxSafeInt)), rt.ToValue(0.5)
	return &Numbers{rt: rt, intTab: (*iface)(unsafe.Pointer(&i)).tab, floatTab: (*iface)(unsafe.Pointer(&f)).tab}
}

// Int returns i as rt.ToValue(i) does.
func (n *Numbers) Int(i int64) goja.Value {
	if i >= -256 && i < 256 || i > maxSafeInt || i < -maxSafeInt {
		return n.rt.ToValue(i)
	}
	return boxed(&n.ints, i, n.intTab)
}

// Float returns f as rt.ToValue(f) does.
func (n *Numbers) Float(f float64) goja.Value {
	if f == math.Trunc(f) || math.IsNaN(f) { // integers, ±0, ±Inf
		return n.rt.ToValue(f)
	}
	return boxed(&n.floats, f, n.floatTab)
}

// boxed returns x as a goja.Value of the type whose itab is tab, its
// value taken from the batch *free (a fresh batch when it is used up).
func boxed[T int64 | float64](free *[]T, x T, tab unsafe.Pointer) goja.Value {
	if len(*free) == 0 {
		*free = make([]T, numberBatch)
	}
	p := &(*free)[0]
	*free = (*free)[1:]
	*p = x
	var v goja.Value
	*(*iface)(unsafe.Pointer(&v)) = iface{tab: tab, data: unsafe.Pointer(p)}
	return v
}
