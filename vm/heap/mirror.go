package heap

import (
	"sync"
	"unsafe"
	"weak"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
)

// The types in this file mirror goja's unexported structures field by field.
// They are never allocated by this package: a mirror pointer is always a
// goja-allocated structure seen through a verified layout (see layout.go,
// which refuses to run if any mirror disagrees with goja by name, offset,
// size or kind). Fields whose goja type cannot be named here are held as
// unsafe.Pointer (pointers and maps) or iface (interfaces).

// iface is the memory layout of a Go interface value.
type iface struct {
	tab  unsafe.Pointer
	data unsafe.Pointer
}

// objectMirror mirrors goja.Object.
type objectMirror struct {
	self    iface // goja.objectImpl
	runtime *goja.Runtime
}

// Base mirrors goja's baseObject, which every object kind embeds first.
type Base struct {
	Class      string
	Val        *goja.Object
	Prototype  *goja.Object
	Extensible bool

	Values    map[unistring.String]goja.Value
	PropNames []unistring.String

	LastSortedPropLen, IdxPropCount int

	SymValues *OrderedMap

	PrivateElements unsafe.Pointer // map[*privateEnvType]*privateElements
}

// ValueProperty mirrors goja's valueProperty: a property with attributes or an accessor.
type ValueProperty struct {
	Value        goja.Value
	Writable     bool
	Configurable bool
	Enumerable   bool
	Accessor     bool
	GetterFunc   *goja.Object
	SetterFunc   *goja.Object
}

// OrderedMap mirrors goja's orderedMap (Map, Set and symbol-keyed properties).
type OrderedMap struct {
	Hash                unsafe.Pointer // *maphash.Hash
	HashTable           unsafe.Pointer // map[uint64]*mapEntry
	IterFirst, IterLast *MapEntry
	Size                int
}

// MapEntry mirrors goja's mapEntry.
type MapEntry struct {
	Key, Value         goja.Value
	IterPrev, IterNext *MapEntry
	HNext              *MapEntry
}

// FuncBase mirrors goja's baseFuncObject.
type FuncBase struct {
	Base
	LenProp ValueProperty
}

// JSFunc mirrors goja's baseJsFuncObject: a function written in JavaScript.
type JSFunc struct {
	FuncBase
	Stash   *Stash
	PrivEnv *PrivateEnv
	Prg     *goja.Program
	Src     string
	Strict  bool
}

// ClassFunc mirrors goja's classFuncObject.
type ClassFunc struct {
	JSFunc
	InitFields     *goja.Program
	ComputedKeys   []goja.Value
	PrivateEnvType *PrivateEnvType
	PrivateMethods []goja.Value
	Derived        bool
}

// MethodFunc mirrors goja's methodFuncObject (methods, getters, setters, static blocks).
type MethodFunc struct {
	JSFunc
	HomeObject *goja.Object
}

// ArrowFunc mirrors goja's arrowFuncObject.
type ArrowFunc struct {
	JSFunc
	FuncObj   *goja.Object
	NewTarget goja.Value
}

// NativeFunc mirrors goja's nativeFuncObject.
type NativeFunc struct {
	FuncBase
	F         func(goja.FunctionCall) goja.Value
	Construct func(args []goja.Value, newTarget *goja.Object) *goja.Object
}

// BoundFunc mirrors goja's boundFuncObject.
type BoundFunc struct {
	NativeFunc
	Wrapped *goja.Object
}

// Stash mirrors goja's stash: the captured variables of one scope.
type Stash struct {
	Values    []goja.Value
	ExtraArgs []goja.Value
	Names     map[unistring.String]uint32
	Obj       *goja.Object
	Outer     *Stash
	FuncType  uint8
}

// PrivateEnv mirrors goja's privateEnv: the private names of a class body.
type PrivateEnv struct {
	InstanceType, StaticType *PrivateEnvType
	Names                    unsafe.Pointer // privateNames (a map)
	Outer                    *PrivateEnv
}

// PrivateEnvType mirrors goja's privateEnvType: the brand of a class.
type PrivateEnvType struct {
	NumFields, NumMethods uint32
}

// PrivateElements mirrors goja's privateElements.
type PrivateElements struct {
	Methods []goja.Value
	Fields  []goja.Value
}

// Array mirrors goja's arrayObject.
type Array struct {
	Base
	Values         []goja.Value
	Length         uint32
	ObjCount       int
	PropValueCount int
	LengthProp     ValueProperty
}

// SparseArray mirrors goja's sparseArrayObject.
type SparseArray struct {
	Base
	Items          []SparseItem
	Length         uint32
	PropValueCount int
	LengthProp     ValueProperty
}

// SparseItem mirrors goja's sparseArrayItem.
type SparseItem struct {
	Idx   uint32
	Value goja.Value
}

// MapObject mirrors goja's mapObject and setObject.
type MapObject struct {
	Base
	M *OrderedMap
}

// DateObject mirrors goja's dateObject.
type DateObject struct {
	Base
	Msec int64
}

// ErrorObject mirrors goja's errorObject.
type ErrorObject struct {
	Base
	Stack          []StackFrame
	StackPropAdded bool
}

// StackFrame mirrors goja.StackFrame.
type StackFrame struct {
	Prg      *goja.Program
	FuncName unistring.String
	Pc       int
}

// ArrayBuffer mirrors goja's arrayBufferObject.
type ArrayBuffer struct {
	Base
	Detached bool
	Data     []byte
}

// TypedArray mirrors goja's typedArrayObject.
type TypedArray struct {
	Base
	ViewedArrayBuf *ArrayBuffer
	DefaultCtor    *goja.Object
	Length, Offset int
	ElemSize       int
	TypedArray     iface
}

// DataView mirrors goja's dataViewObject.
type DataView struct {
	Base
	ViewedArrayBuf      *ArrayBuffer
	ByteLen, ByteOffset int
}

// PrimitiveObject mirrors goja's primitiveValueObject (Number, Boolean, Symbol, BigInt boxes).
type PrimitiveObject struct {
	Base
	PValue goja.Value
}

// StringObject mirrors goja's stringObject (String boxes).
type StringObject struct {
	Base
	Value      goja.String
	Length     int
	LengthProp ValueProperty
}

// Symbol mirrors goja.Symbol.
type Symbol struct {
	Desc goja.String
}

// ProxyObject mirrors goja's proxyObject.
type ProxyObject struct {
	Base
	Target  *goja.Object
	Handler iface
	Call    func(goja.FunctionCall) goja.Value
	Ctor    func(args []goja.Value, newTarget *goja.Object) *goja.Object
}

// WeakCollection mirrors goja's weakMapObject and weakSetObject.
type WeakCollection struct {
	Base
	M WeakMapData
}

// WeakMapData mirrors goja's weakMap.
type WeakMapData struct {
	M map[weak.Pointer[goja.Object]]goja.Value
	sync.Mutex
}

// PromiseObject mirrors goja.Promise.
type PromiseObject struct {
	Base
	State            goja.PromiseState
	Result           goja.Value
	FulfillReactions []*PromiseReaction
	RejectReactions  []*PromiseReaction
	Handled          bool
}

// weakSetMirror mirrors goja's weakSetObject, whose layout equals
// weakMapObject's; WeakOf reads both through WeakCollection.
type weakSetMirror struct {
	Base
	S WeakMapData
}

// MappedProperty mirrors goja's mappedProperty: an element of a sloppy
// arguments object that aliases a parameter's slot in a stash.
type MappedProperty struct {
	ValueProperty
	V *goja.Value
}

// ArgumentsObject mirrors goja's argumentsObject.
type ArgumentsObject struct {
	Base
	Length int
}

// GeneratorObject mirrors goja's generatorObject.
type GeneratorObject struct {
	Base
	Gen       Generator
	Delegated *IteratorRecord
	State     uint8
}

// Generator mirrors goja's generator: a suspended frame.
type Generator struct {
	Ctx                                    ExecCtx
	Vm                                     unsafe.Pointer // *vm
	Returning                              goja.Value
	TryStackLen, IterStackLen, RefStackLen uint32
}

// ExecCtx mirrors goja's execCtx.
type ExecCtx struct {
	Context
	Stack     []goja.Value
	TryStack  []TryFrame
	IterStack []IterStackItem
	RefStack  []iface
}

// Context mirrors goja's context: a frame's registers.
type Context struct {
	Prg       *goja.Program
	Stash     *Stash
	PrivEnv   *PrivateEnv
	NewTarget goja.Value
	Result    goja.Value
	Pc, Sb    int
	Args      int
}

// TryFrame mirrors goja's tryFrame.
type TryFrame struct {
	Exception                        *goja.Exception
	CallStackLen, IterLen, RefLen    uint32
	Sp                               int32
	Stash                            *Stash
	PrivEnv                          *PrivateEnv
	CatchPos, FinallyPos, FinallyRet int32
}

// IterStackItem mirrors goja's iterStackItem.
type IterStackItem struct {
	Val  goja.Value
	F    unsafe.Pointer // iterNextFunc
	Iter *IteratorRecord
}

// PromiseReaction mirrors goja's promiseReaction: what runs when a promise settles.
type PromiseReaction struct {
	Capability  *PromiseCapability
	Typ         int // 0 fulfill, 1 reject
	Handler     *JobCallback
	AsyncRunner *AsyncRunner
	AsyncCtx    iface
}

// PromiseCapability mirrors goja's promiseCapability.
type PromiseCapability struct {
	Promise               *goja.Object
	ResolveObj, RejectObj *goja.Object
}

// JobCallback mirrors goja's jobCallback.
type JobCallback struct {
	Callback func(goja.FunctionCall) goja.Value
}

// AsyncRunner mirrors goja's asyncRunner: an async function suspended at await.
type AsyncRunner struct {
	Gen        Generator
	PromiseCap *PromiseCapability
	F          *goja.Object
	VmCall     unsafe.Pointer // func(*vm, int)
}
