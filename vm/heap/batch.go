package heap

import (
	"math"
	"reflect"
	"unsafe"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
)

// ObjectBatch makes ordinary objects and arrays for a load, many at a
// time: goja's Object structs in one slice, and their implementations
// (baseObject, arrayObject) in arrays of goja's own types, instead of two
// allocations per object. An object keeps its batches alive while it is
// reachable: objectBatch Objects (1.5 KB) and implBatch implementations
// (1.7 KB of baseObjects, 3 KB of arrayObjects), so a world that drops all
// but one object of a batch keeps that much, where goja would keep the one
// object's 136 or 216 bytes (with its property map from a MapArena: about
// 8 KB in all against 450 bytes, at worst). goja's Objects lie next to
// each other, 24 bytes apart, as the save's object table wants them
// (image/objtable.go).
//
// An object made here has no property map: one must be given it (through
// Base.Values) before any JavaScript runs, as a load does for every object
// it makes. Not safe for concurrent use.
type ObjectBatch struct {
	rt          *goja.Runtime
	objs        []goja.Object
	bases, arrs implSlab
	baseTab     unsafe.Pointer
	arrTab      unsafe.Pointer
	baseClass   string
	arrClass    string
}

const (
	objectBatch = 64
	implBatch   = 16
)

// implSlab hands out goja implementation structs of one type from arrays
// of about implBatch of them (batchOf).
type implSlab struct {
	t    reflect.Type // the array type
	n    int          // its length
	size uintptr      // of one element
	next unsafe.Pointer
	left int
}

func newImplSlab(elem reflect.Type) implSlab {
	n := batchOf(elem.Size(), implBatch)
	return implSlab{t: reflect.ArrayOf(n, elem), n: n, size: elem.Size()}
}

// sizeClasses are the sizes Go's allocator rounds a request of 1 to 8 KB
// up to (runtime/sizeclasses.go).
var sizeClasses = []uintptr{1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456,
	4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192}

// batchOf returns how many elements of size to allocate at once: n, or up
// to a quarter more where that fills what the allocator rounds the batch
// up to (16 maps of 312 bytes take 5376 bytes, 17 fill them).
func batchOf(size uintptr, n int) int {
	best, waste := n, ^uintptr(0)
	for m := n; m <= n+n/4; m++ {
		for _, c := range sizeClasses {
			if c >= uintptr(m)*size {
				if w := (c - uintptr(m)*size) / uintptr(m); w < waste {
					best, waste = m, w
				}
				break
			}
		}
	}
	return best
}

func (s *implSlab) alloc() unsafe.Pointer {
	if s.left == 0 {
		s.next, s.left = reflect.New(s.t).UnsafePointer(), s.n
	}
	p := s.next
	s.left--
	if s.left > 0 {
		s.next = unsafe.Add(p, s.size)
	} else {
		s.next = nil
	}
	return p
}

var objectRuntime = need[*goja.Runtime]("Object", "runtime")

// NewObjectBatch returns a batch maker for objects of rt.
func NewObjectBatch(rt *goja.Runtime) *ObjectBatch {
	o, a := rt.NewObject(), rt.NewArray()
	return &ObjectBatch{
		rt: rt, bases: newImplSlab(layout.types["baseObject"]), arrs: newImplSlab(layout.types["arrayObject"]),
		baseTab: self(o).tab, arrTab: self(a).tab,
		baseClass: *BaseOf(o).Class(), arrClass: *BaseOf(a).Class(),
	}
}

func (b *ObjectBatch) object(tab, impl unsafe.Pointer) *goja.Object {
	if len(b.objs) == 0 {
		b.objs = make([]goja.Object, objectBatch)
	}
	o := &b.objs[0]
	b.objs = b.objs[1:]
	*objectSelf.in(unsafe.Pointer(o)) = iface{tab: tab, data: impl}
	*objectRuntime.in(unsafe.Pointer(o)) = b.rt
	base := (*Base)(impl)
	*base.Val() = o
	*base.Extensible() = true
	return o
}

// Object returns a new ordinary object (what rt.NewObject makes) with no
// prototype and no property map yet.
func (b *ObjectBatch) Object() *goja.Object {
	p := b.bases.alloc()
	*(*Base)(p).Class() = b.baseClass
	return b.object(b.baseTab, p)
}

// Array returns a new empty array (what rt.NewArray makes) with no
// prototype and no property map yet: its length property, which goja
// keeps in the array and lists in its map, is for SetProperties to add
// (Array.LengthProp).
func (b *ObjectBatch) Array() *goja.Object {
	p := b.arrs.alloc()
	a := (*Array)(p)
	*a.Class() = b.arrClass
	*a.LengthProp().Writable() = true
	return b.object(b.arrTab, p)
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
// (numberBatch of them, 1 KB, kept alive while any of their numbers is).
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
	if len(n.ints) == 0 {
		n.ints = make([]int64, numberBatch)
	}
	p := &n.ints[0]
	n.ints = n.ints[1:]
	*p = i
	var v goja.Value
	*(*iface)(unsafe.Pointer(&v)) = iface{tab: n.intTab, data: unsafe.Pointer(p)}
	return v
}

// Float returns f as rt.ToValue(f) does.
func (n *Numbers) Float(f float64) goja.Value {
	if f == math.Trunc(f) || math.IsNaN(f) { // integers, ±0, ±Inf
		return n.rt.ToValue(f)
	}
	if len(n.floats) == 0 {
		n.floats = make([]float64, numberBatch)
	}
	p := &n.floats[0]
	n.floats = n.floats[1:]
	*p = f
	var v goja.Value
	*(*iface)(unsafe.Pointer(&v)) = iface{tab: n.floatTab, data: unsafe.Pointer(p)}
	return v
}
