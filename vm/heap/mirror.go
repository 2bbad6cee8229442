package heap

import (
	"reflect"
	"unsafe"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
)

// How this package reads goja's unexported structures, and how to read one
// more field.
//
// Every goja structure this package reads has a mirror type (Stash for goja's
// stash, JSFunc for baseJsFuncObject, ...; below). A mirror has no
// fields of its own: a *Stash is a pointer to a goja stash, and each field is
// reached through an accessor method that adds the field's offset. Offsets
// are not written down: Check finds every field by name with reflection, once
// per process, verifies its type, and caches its offset in a package
// variable, so an accessor costs one load and one add, as a fixed struct
// would. goja versions may add, move or reorder fields freely; a field that
// is renamed, removed or retyped makes Check refuse with one error naming it
// ("goja layout changed: stash.outer: ...").
//
// To read a new field:
//
//  1. Declare it beside its mirror, in mirror.go (or in your own file):
//
//     var stashOuter = need[*Stash]("stash", "outer")
//
//     need[T](owner, name): owner is the name of goja's type (any goja struct
//     reachable from the samples in layout.go: "stash", "baseObject",
//     "Promise", "generator", ...); name is the field's name in goja (fields
//     promoted from embedded structs are found too); T is the Go type the
//     field is read as: the field's own type with goja's unexported structs
//     replaced by their mirrors (*goja.stash is read as *Stash,
//     []*goja.promiseReaction as []*PromiseReaction), or unsafe.Pointer for a
//     pointer, map or func that this package only carries, or iface for an
//     interface, or the underlying basic type of a named one (goja's funcType
//     as uint8). Check compares T with goja's field and names any mismatch.
//
//  2. Write the accessor, which returns a pointer to the field, so that the
//     caller can read and write it:
//
//     // Outer is the enclosing scope's stash.
//     func (s *Stash) Outer() **Stash { return stashOuter.in(unsafe.Pointer(s)) }
//
//  3. A goja struct that has no mirror yet gets one: `type X struct{ _ noCopy }`
//     (or, if goja's type embeds another mirrored struct first, embed that
//     mirror instead, so its accessors are promoted), plus a line in
//     mirrorNames. Allocate one with newOf[X]().
//  4. A slice of goja structs is read as a Slice (needSlice); a field that
//     only some supported goja versions have is declared with maybe[T] and
//     its accessor must cope with its absence: list it in versions.go, the
//     table of what really differs between the supported goja versions.
//  5. Run .ci/goja-versions: it runs the heap and image tests against every
//     supported goja version (CI does too).
//
// Rules that keep this safe: a mirror pointer always points at memory goja
// allocated (or that newOf allocated with goja's type), never at a mirror
// value (mirrors are zero-sized: go vet's copylocks check refuses copying
// one); every field is read at its own type, so the garbage collector and
// checkptr (go test -race) see ordinary pointers into one allocation.

// iface is the memory layout of a Go interface value.
type iface struct {
	tab  unsafe.Pointer
	data unsafe.Pointer
}

// Base mirrors goja's baseObject, which every object kind embeds first.
type Base struct{ _ noCopy }

var (
	baseClass             = need[string]("baseObject", "class")
	baseVal               = need[*goja.Object]("baseObject", "val")
	basePrototype         = need[*goja.Object]("baseObject", "prototype")
	baseExtensible        = need[bool]("baseObject", "extensible")
	baseValues            = need[map[unistring.String]goja.Value]("baseObject", "values")
	basePropNames         = need[[]unistring.String]("baseObject", "propNames")
	baseLastSortedPropLen = need[int]("baseObject", "lastSortedPropLen")
	baseIdxPropCount      = need[int]("baseObject", "idxPropCount")
	baseSymValues         = need[*OrderedMap]("baseObject", "symValues")
	basePrivateElements   = need[unsafe.Pointer]("baseObject", "privateElements")
)

// Class is the object's class name ("Object", "Array", "Function", ...).
func (x *Base) Class() *string { return baseClass.in(unsafe.Pointer(x)) }

// Val is the object itself.
func (x *Base) Val() **goja.Object { return baseVal.in(unsafe.Pointer(x)) }

// Prototype is the object's [[Prototype]].
func (x *Base) Prototype() **goja.Object { return basePrototype.in(unsafe.Pointer(x)) }

// Extensible tells whether properties may be added.
func (x *Base) Extensible() *bool { return baseExtensible.in(unsafe.Pointer(x)) }

// Values holds the string-keyed properties: plain values, or *valueProperty records (see AsProperty).
func (x *Base) Values() *map[unistring.String]goja.Value { return baseValues.in(unsafe.Pointer(x)) }

// PropNames lists the string keys in insertion order.
func (x *Base) PropNames() *[]unistring.String { return basePropNames.in(unsafe.Pointer(x)) }

// LastSortedPropLen is how much of PropNames goja has sorted (integer keys first).
func (x *Base) LastSortedPropLen() *int { return baseLastSortedPropLen.in(unsafe.Pointer(x)) }

// IdxPropCount counts the integer-like keys.
func (x *Base) IdxPropCount() *int { return baseIdxPropCount.in(unsafe.Pointer(x)) }

// SymValues holds the symbol-keyed properties.
func (x *Base) SymValues() **OrderedMap { return baseSymValues.in(unsafe.Pointer(x)) }

// PrivateElements is goja's map of #private elements by class brand (see PrivateElementsOf).
func (x *Base) PrivateElements() *unsafe.Pointer { return basePrivateElements.in(unsafe.Pointer(x)) }

// ValueProperty mirrors goja's valueProperty: a property with attributes, or an accessor.
type ValueProperty struct{ _ noCopy }

var (
	valuePropertyValue        = need[goja.Value]("valueProperty", "value")
	valuePropertyWritable     = need[bool]("valueProperty", "writable")
	valuePropertyConfigurable = need[bool]("valueProperty", "configurable")
	valuePropertyEnumerable   = need[bool]("valueProperty", "enumerable")
	valuePropertyAccessor     = need[bool]("valueProperty", "accessor")
	valuePropertyGetterFunc   = need[*goja.Object]("valueProperty", "getterFunc")
	valuePropertySetterFunc   = need[*goja.Object]("valueProperty", "setterFunc")
)

// Value is the data property's value.
func (x *ValueProperty) Value() *goja.Value { return valuePropertyValue.in(unsafe.Pointer(x)) }

// Writable is the writable attribute.
func (x *ValueProperty) Writable() *bool { return valuePropertyWritable.in(unsafe.Pointer(x)) }

// Configurable is the configurable attribute.
func (x *ValueProperty) Configurable() *bool { return valuePropertyConfigurable.in(unsafe.Pointer(x)) }

// Enumerable is the enumerable attribute.
func (x *ValueProperty) Enumerable() *bool { return valuePropertyEnumerable.in(unsafe.Pointer(x)) }

// Accessor tells an accessor property (getter/setter) from a data one.
func (x *ValueProperty) Accessor() *bool { return valuePropertyAccessor.in(unsafe.Pointer(x)) }

// GetterFunc is the getter.
func (x *ValueProperty) GetterFunc() **goja.Object {
	return valuePropertyGetterFunc.in(unsafe.Pointer(x))
}

// SetterFunc is the setter.
func (x *ValueProperty) SetterFunc() **goja.Object {
	return valuePropertySetterFunc.in(unsafe.Pointer(x))
}

// OrderedMap mirrors goja's orderedMap (Map, Set and symbol-keyed properties).
type OrderedMap struct{ _ noCopy }

var (
	orderedMapHash      = need[unsafe.Pointer]("orderedMap", "hash")
	orderedMapHashTable = need[unsafe.Pointer]("orderedMap", "hashTable")
	orderedMapIterFirst = need[*MapEntry]("orderedMap", "iterFirst")
	orderedMapIterLast  = need[*MapEntry]("orderedMap", "iterLast")
	orderedMapSize      = need[int]("orderedMap", "size")
)

// Hash is the map's *maphash.Hash.
func (x *OrderedMap) Hash() *unsafe.Pointer { return orderedMapHash.in(unsafe.Pointer(x)) }

// HashTable is the map's hash index.
func (x *OrderedMap) HashTable() *unsafe.Pointer { return orderedMapHashTable.in(unsafe.Pointer(x)) }

// IterFirst is the first entry in order.
func (x *OrderedMap) IterFirst() **MapEntry { return orderedMapIterFirst.in(unsafe.Pointer(x)) }

// IterLast is the last entry in order.
func (x *OrderedMap) IterLast() **MapEntry { return orderedMapIterLast.in(unsafe.Pointer(x)) }

// Size is the number of live entries.
func (x *OrderedMap) Size() *int { return orderedMapSize.in(unsafe.Pointer(x)) }

// MapEntry mirrors goja's mapEntry.
type MapEntry struct{ _ noCopy }

var (
	mapEntryKey      = need[goja.Value]("mapEntry", "key")
	mapEntryValue    = need[goja.Value]("mapEntry", "value")
	mapEntryIterPrev = need[*MapEntry]("mapEntry", "iterPrev")
	mapEntryIterNext = need[*MapEntry]("mapEntry", "iterNext")
	mapEntryHNext    = need[*MapEntry]("mapEntry", "hNext")
)

// Key is the entry's key (nil once deleted).
func (x *MapEntry) Key() *goja.Value { return mapEntryKey.in(unsafe.Pointer(x)) }

// Value is the entry's value.
func (x *MapEntry) Value() *goja.Value { return mapEntryValue.in(unsafe.Pointer(x)) }

// IterPrev is the previous entry in order.
func (x *MapEntry) IterPrev() **MapEntry { return mapEntryIterPrev.in(unsafe.Pointer(x)) }

// IterNext is the next entry in order.
func (x *MapEntry) IterNext() **MapEntry { return mapEntryIterNext.in(unsafe.Pointer(x)) }

// HNext chains entries of one hash bucket.
func (x *MapEntry) HNext() **MapEntry { return mapEntryHNext.in(unsafe.Pointer(x)) }

// FuncBase mirrors goja's baseFuncObject.
type FuncBase struct{ Base }

var (
	funcBaseLenProp = need[ValueProperty]("baseFuncObject", "lenProp")
)

// LenProp is the function's interior length property.
func (x *FuncBase) LenProp() *ValueProperty { return funcBaseLenProp.in(unsafe.Pointer(x)) }

// JSFunc mirrors goja's baseJsFuncObject: a function written in JavaScript.
type JSFunc struct{ FuncBase }

var (
	jSFuncStash   = need[*Stash]("baseJsFuncObject", "stash")
	jSFuncPrivEnv = need[*PrivateEnv]("baseJsFuncObject", "privEnv")
	jSFuncPrg     = need[*goja.Program]("baseJsFuncObject", "prg")
	jSFuncSrc     = need[string]("baseJsFuncObject", "src")
	jSFuncStrict  = need[bool]("baseJsFuncObject", "strict")
)

// Stash is the scope the function closes over.
func (x *JSFunc) Stash() **Stash { return jSFuncStash.in(unsafe.Pointer(x)) }

// PrivEnv is the private-name scope the function closes over.
func (x *JSFunc) PrivEnv() **PrivateEnv { return jSFuncPrivEnv.in(unsafe.Pointer(x)) }

// Prg is the function's compiled code.
func (x *JSFunc) Prg() **goja.Program { return jSFuncPrg.in(unsafe.Pointer(x)) }

// Src is the function's own source text.
func (x *JSFunc) Src() *string { return jSFuncSrc.in(unsafe.Pointer(x)) }

// Strict tells strict-mode functions.
func (x *JSFunc) Strict() *bool { return jSFuncStrict.in(unsafe.Pointer(x)) }

// ClassFunc mirrors goja's classFuncObject.
type ClassFunc struct{ JSFunc }

var (
	classFuncInitFields     = need[*goja.Program]("classFuncObject", "initFields")
	classFuncComputedKeys   = need[[]goja.Value]("classFuncObject", "computedKeys")
	classFuncPrivateEnvType = need[*PrivateEnvType]("classFuncObject", "privateEnvType")
	classFuncPrivateMethods = need[[]goja.Value]("classFuncObject", "privateMethods")
	classFuncDerived        = need[bool]("classFuncObject", "derived")
)

// InitFields is the instance fields' initialiser.
func (x *ClassFunc) InitFields() **goja.Program { return classFuncInitFields.in(unsafe.Pointer(x)) }

// ComputedKeys are the computed field keys, evaluated once.
func (x *ClassFunc) ComputedKeys() *[]goja.Value { return classFuncComputedKeys.in(unsafe.Pointer(x)) }

// PrivateEnvType is the class's brand.
func (x *ClassFunc) PrivateEnvType() **PrivateEnvType {
	return classFuncPrivateEnvType.in(unsafe.Pointer(x))
}

// PrivateMethods are the private methods shared by instances.
func (x *ClassFunc) PrivateMethods() *[]goja.Value {
	return classFuncPrivateMethods.in(unsafe.Pointer(x))
}

// Derived tells a class that extends another.
func (x *ClassFunc) Derived() *bool { return classFuncDerived.in(unsafe.Pointer(x)) }

// MethodFunc mirrors goja's methodFuncObject (methods, getters, setters, static blocks).
type MethodFunc struct{ JSFunc }

var (
	methodFuncHomeObject = need[*goja.Object]("methodFuncObject", "homeObject")
)

// HomeObject is the object super refers to.
func (x *MethodFunc) HomeObject() **goja.Object { return methodFuncHomeObject.in(unsafe.Pointer(x)) }

// ArrowFunc mirrors goja's arrowFuncObject.
type ArrowFunc struct{ JSFunc }

var (
	arrowFuncFuncObj   = need[*goja.Object]("arrowFuncObject", "funcObj")
	arrowFuncNewTarget = need[goja.Value]("arrowFuncObject", "newTarget")
)

// FuncObj is the callee of the frame that made the arrow.
func (x *ArrowFunc) FuncObj() **goja.Object { return arrowFuncFuncObj.in(unsafe.Pointer(x)) }

// NewTarget is new.target as the arrow sees it.
func (x *ArrowFunc) NewTarget() *goja.Value { return arrowFuncNewTarget.in(unsafe.Pointer(x)) }

// NativeFunc mirrors goja's nativeFuncObject.
type NativeFunc struct{ FuncBase }

var (
	nativeFuncF         = need[func(goja.FunctionCall) goja.Value]("nativeFuncObject", "f")
	nativeFuncConstruct = need[func([]goja.Value, *goja.Object) *goja.Object]("nativeFuncObject", "construct")
)

// F is the Go function called.
func (x *NativeFunc) F() *func(goja.FunctionCall) goja.Value {
	return nativeFuncF.in(unsafe.Pointer(x))
}

// Construct is the Go function called by new.
func (x *NativeFunc) Construct() *func([]goja.Value, *goja.Object) *goja.Object {
	return nativeFuncConstruct.in(unsafe.Pointer(x))
}

// BoundFunc mirrors goja's boundFuncObject.
type BoundFunc struct{ NativeFunc }

var (
	boundFuncWrapped = need[*goja.Object]("boundFuncObject", "wrapped")
)

// Wrapped is the target function.
func (x *BoundFunc) Wrapped() **goja.Object { return boundFuncWrapped.in(unsafe.Pointer(x)) }

// Stash mirrors goja's stash: the captured variables of one scope.
type Stash struct{ _ noCopy }

var (
	stashValues    = need[[]goja.Value]("stash", "values")
	stashExtraArgs = need[[]goja.Value]("stash", "extraArgs")
	stashNames     = need[map[unistring.String]uint32]("stash", "names")
	stashObj       = need[*goja.Object]("stash", "obj")
	stashOuter     = need[*Stash]("stash", "outer")
	stashFuncType  = need[uint8]("stash", "funcType")
)

// Values are the slots (nil: in the temporal dead zone).
func (x *Stash) Values() *[]goja.Value { return stashValues.in(unsafe.Pointer(x)) }

// ExtraArgs are surplus arguments of a function scope.
func (x *Stash) ExtraArgs() *[]goja.Value { return stashExtraArgs.in(unsafe.Pointer(x)) }

// Names maps names to slots in dynamic scopes (may be shared: copy, never mutate).
func (x *Stash) Names() *map[unistring.String]uint32 { return stashNames.in(unsafe.Pointer(x)) }

// Obj is the object of a with scope.
func (x *Stash) Obj() **goja.Object { return stashObj.in(unsafe.Pointer(x)) }

// Outer is the enclosing scope.
func (x *Stash) Outer() **Stash { return stashOuter.in(unsafe.Pointer(x)) }

// FuncType is goja's kind of scope (0 block, 1 function, 2 arrow, ...).
func (x *Stash) FuncType() *uint8 { return stashFuncType.in(unsafe.Pointer(x)) }

// PrivateEnv mirrors goja's privateEnv: the private names of a class body.
type PrivateEnv struct{ _ noCopy }

var (
	privateEnvInstanceType = need[*PrivateEnvType]("privateEnv", "instanceType")
	privateEnvStaticType   = need[*PrivateEnvType]("privateEnv", "staticType")
	privateEnvNames        = need[unsafe.Pointer]("privateEnv", "names")
	privateEnvOuter        = need[*PrivateEnv]("privateEnv", "outer")
)

// InstanceType is the brand of instances.
func (x *PrivateEnv) InstanceType() **PrivateEnvType {
	return privateEnvInstanceType.in(unsafe.Pointer(x))
}

// StaticType is the brand of the class's statics.
func (x *PrivateEnv) StaticType() **PrivateEnvType { return privateEnvStaticType.in(unsafe.Pointer(x)) }

// Names is goja's privateNames map.
func (x *PrivateEnv) Names() *unsafe.Pointer { return privateEnvNames.in(unsafe.Pointer(x)) }

// Outer is the enclosing class body's.
func (x *PrivateEnv) Outer() **PrivateEnv { return privateEnvOuter.in(unsafe.Pointer(x)) }

// PrivateEnvType mirrors goja's privateEnvType: the brand of a class.
type PrivateEnvType struct{ _ noCopy }

var (
	privateEnvTypeNumFields  = need[uint32]("privateEnvType", "numFields")
	privateEnvTypeNumMethods = need[uint32]("privateEnvType", "numMethods")
)

// NumFields counts the private fields.
func (x *PrivateEnvType) NumFields() *uint32 { return privateEnvTypeNumFields.in(unsafe.Pointer(x)) }

// NumMethods counts the private methods.
func (x *PrivateEnvType) NumMethods() *uint32 { return privateEnvTypeNumMethods.in(unsafe.Pointer(x)) }

// PrivateElements mirrors goja's privateElements.
type PrivateElements struct{ _ noCopy }

var (
	privateElementsMethods = need[[]goja.Value]("privateElements", "methods")
	privateElementsFields  = need[[]goja.Value]("privateElements", "fields")
)

// Methods are the private methods (the class's PrivateMethods).
func (x *PrivateElements) Methods() *[]goja.Value {
	return privateElementsMethods.in(unsafe.Pointer(x))
}

// Fields are the private fields' values.
func (x *PrivateElements) Fields() *[]goja.Value { return privateElementsFields.in(unsafe.Pointer(x)) }

// Array mirrors goja's arrayObject.
type Array struct{ Base }

var (
	arrayValues         = need[[]goja.Value]("arrayObject", "values")
	arrayLength         = need[uint32]("arrayObject", "length")
	arrayObjCount       = need[int]("arrayObject", "objCount")
	arrayPropValueCount = need[int]("arrayObject", "propValueCount")
	arrayLengthProp     = need[ValueProperty]("arrayObject", "lengthProp")
)

// Values are the elements (nil: a hole).
func (x *Array) Values() *[]goja.Value { return arrayValues.in(unsafe.Pointer(x)) }

// Length is the array's length.
func (x *Array) Length() *uint32 { return arrayLength.in(unsafe.Pointer(x)) }

// ObjCount counts the elements that are objects.
func (x *Array) ObjCount() *int { return arrayObjCount.in(unsafe.Pointer(x)) }

// PropValueCount counts the elements that are property records.
func (x *Array) PropValueCount() *int { return arrayPropValueCount.in(unsafe.Pointer(x)) }

// LengthProp is the interior length property.
func (x *Array) LengthProp() *ValueProperty { return arrayLengthProp.in(unsafe.Pointer(x)) }

// SparseArray mirrors goja's sparseArrayObject.
type SparseArray struct{ Base }

var (
	sparseArrayItems          = needSlice[SparseItem]("sparseArrayObject", "items")
	sparseArrayLength         = need[uint32]("sparseArrayObject", "length")
	sparseArrayPropValueCount = need[int]("sparseArrayObject", "propValueCount")
	sparseArrayLengthProp     = need[ValueProperty]("sparseArrayObject", "lengthProp")
)

// Items are the present elements, by increasing index.
func (x *SparseArray) Items() Slice[SparseItem] { return sparseArrayItems.in(unsafe.Pointer(x)) }

// Length is the array's length.
func (x *SparseArray) Length() *uint32 { return sparseArrayLength.in(unsafe.Pointer(x)) }

// PropValueCount counts the elements that are property records.
func (x *SparseArray) PropValueCount() *int { return sparseArrayPropValueCount.in(unsafe.Pointer(x)) }

// LengthProp is the interior length property.
func (x *SparseArray) LengthProp() *ValueProperty { return sparseArrayLengthProp.in(unsafe.Pointer(x)) }

// SparseItem mirrors goja's sparseArrayItem.
type SparseItem struct{ _ noCopy }

var (
	sparseItemIdx   = need[uint32]("sparseArrayItem", "idx")
	sparseItemValue = need[goja.Value]("sparseArrayItem", "value")
)

// Idx is the element's index.
func (x *SparseItem) Idx() *uint32 { return sparseItemIdx.in(unsafe.Pointer(x)) }

// Value is the element.
func (x *SparseItem) Value() *goja.Value { return sparseItemValue.in(unsafe.Pointer(x)) }

// MapObject mirrors goja's mapObject and setObject.
type MapObject struct{ Base }

var (
	mapObjectM = need[*OrderedMap]("mapObject", "m")
)

// M holds the entries.
func (x *MapObject) M() **OrderedMap { return mapObjectM.in(unsafe.Pointer(x)) }

// DateObject mirrors goja's dateObject.
type DateObject struct{ Base }

var (
	dateObjectMsec = need[int64]("dateObject", "msec")
)

// Msec is the time value (math.MinInt64: invalid).
func (x *DateObject) Msec() *int64 { return dateObjectMsec.in(unsafe.Pointer(x)) }

// ErrorObject mirrors goja's errorObject.
type ErrorObject struct{ Base }

var (
	errorObjectStack          = needSlice[StackFrame]("errorObject", "stack")
	errorObjectStackPropAdded = need[bool]("errorObject", "stackPropAdded")
)

// Stack is the stack captured at creation.
func (x *ErrorObject) Stack() Slice[StackFrame] { return errorObjectStack.in(unsafe.Pointer(x)) }

// StackPropAdded tells whether the stack property was made.
func (x *ErrorObject) StackPropAdded() *bool { return errorObjectStackPropAdded.in(unsafe.Pointer(x)) }

// StackFrame mirrors goja.StackFrame.
type StackFrame struct{ _ noCopy }

var (
	stackFramePrg      = need[*goja.Program]("StackFrame", "prg")
	stackFrameFuncName = need[unistring.String]("StackFrame", "funcName")
	stackFramePc       = need[int]("StackFrame", "pc")
)

// Prg is the frame's program.
func (x *StackFrame) Prg() **goja.Program { return stackFramePrg.in(unsafe.Pointer(x)) }

// FuncName is the frame's function name.
func (x *StackFrame) FuncName() *unistring.String { return stackFrameFuncName.in(unsafe.Pointer(x)) }

// Pc is the frame's position in Prg.
func (x *StackFrame) Pc() *int { return stackFramePc.in(unsafe.Pointer(x)) }

// ArrayBuffer mirrors goja's arrayBufferObject.
type ArrayBuffer struct{ Base }

var (
	arrayBufferDetached = need[bool]("arrayBufferObject", "detached")
	arrayBufferData     = need[[]byte]("arrayBufferObject", "data")
)

// Detached tells a detached buffer.
func (x *ArrayBuffer) Detached() *bool { return arrayBufferDetached.in(unsafe.Pointer(x)) }

// Data is the buffer's memory.
func (x *ArrayBuffer) Data() *[]byte { return arrayBufferData.in(unsafe.Pointer(x)) }

// TypedArray mirrors goja's typedArrayObject.
type TypedArray struct{ Base }

var (
	typedArrayViewedArrayBuf = need[*ArrayBuffer]("typedArrayObject", "viewedArrayBuf")
	typedArrayDefaultCtor    = need[*goja.Object]("typedArrayObject", "defaultCtor")
	typedArrayLength         = need[int]("typedArrayObject", "length")
	typedArrayOffset         = need[int]("typedArrayObject", "offset")
	typedArrayElemSize       = need[int]("typedArrayObject", "elemSize")
	typedArrayTypedArray     = need[iface]("typedArrayObject", "typedArray")
)

// ViewedArrayBuf is the buffer viewed.
func (x *TypedArray) ViewedArrayBuf() **ArrayBuffer {
	return typedArrayViewedArrayBuf.in(unsafe.Pointer(x))
}

// DefaultCtor is the array's constructor.
func (x *TypedArray) DefaultCtor() **goja.Object { return typedArrayDefaultCtor.in(unsafe.Pointer(x)) }

// Length is the length in elements.
func (x *TypedArray) Length() *int { return typedArrayLength.in(unsafe.Pointer(x)) }

// Offset is the offset in elements.
func (x *TypedArray) Offset() *int { return typedArrayOffset.in(unsafe.Pointer(x)) }

// ElemSize is the size of an element in bytes.
func (x *TypedArray) ElemSize() *int { return typedArrayElemSize.in(unsafe.Pointer(x)) }

// TypedArray is goja's typed view of the buffer's data.
func (x *TypedArray) TypedArray() *iface { return typedArrayTypedArray.in(unsafe.Pointer(x)) }

// DataView mirrors goja's dataViewObject.
type DataView struct{ Base }

var (
	dataViewViewedArrayBuf = need[*ArrayBuffer]("dataViewObject", "viewedArrayBuf")
	dataViewByteLen        = need[int]("dataViewObject", "byteLen")
	dataViewByteOffset     = need[int]("dataViewObject", "byteOffset")
)

// ViewedArrayBuf is the buffer viewed.
func (x *DataView) ViewedArrayBuf() **ArrayBuffer {
	return dataViewViewedArrayBuf.in(unsafe.Pointer(x))
}

// ByteLen is the view's length.
func (x *DataView) ByteLen() *int { return dataViewByteLen.in(unsafe.Pointer(x)) }

// ByteOffset is the view's offset.
func (x *DataView) ByteOffset() *int { return dataViewByteOffset.in(unsafe.Pointer(x)) }

// PrimitiveObject mirrors goja's primitiveValueObject (Number, Boolean, Symbol, BigInt boxes).
type PrimitiveObject struct{ Base }

var (
	primitiveObjectPValue = need[goja.Value]("primitiveValueObject", "pValue")
)

// PValue is the boxed primitive.
func (x *PrimitiveObject) PValue() *goja.Value { return primitiveObjectPValue.in(unsafe.Pointer(x)) }

// StringObject mirrors goja's stringObject (String boxes).
type StringObject struct{ Base }

var (
	stringObjectValue      = need[goja.String]("stringObject", "value")
	stringObjectLength     = need[int]("stringObject", "length")
	stringObjectLengthProp = need[ValueProperty]("stringObject", "lengthProp")
)

// Value is the boxed string.
func (x *StringObject) Value() *goja.String { return stringObjectValue.in(unsafe.Pointer(x)) }

// Length is the string's length.
func (x *StringObject) Length() *int { return stringObjectLength.in(unsafe.Pointer(x)) }

// LengthProp is the interior length property.
func (x *StringObject) LengthProp() *ValueProperty {
	return stringObjectLengthProp.in(unsafe.Pointer(x))
}

// Symbol mirrors goja.Symbol.
type Symbol struct{ _ noCopy }

var (
	symbolDesc = need[goja.String]("Symbol", "desc")
)

// Desc is the description (nil for Symbol()).
func (x *Symbol) Desc() *goja.String { return symbolDesc.in(unsafe.Pointer(x)) }

// ProxyObject mirrors goja's proxyObject.
type ProxyObject struct{ Base }

var (
	proxyObjectTarget  = need[*goja.Object]("proxyObject", "target")
	proxyObjectHandler = need[iface]("proxyObject", "handler")
	proxyObjectCall    = need[func(goja.FunctionCall) goja.Value]("proxyObject", "call")
	proxyObjectCtor    = need[func([]goja.Value, *goja.Object) *goja.Object]("proxyObject", "ctor")
)

// Target is the proxy's target.
func (x *ProxyObject) Target() **goja.Object { return proxyObjectTarget.in(unsafe.Pointer(x)) }

// Handler is the proxy's handler (nil once revoked).
func (x *ProxyObject) Handler() *iface { return proxyObjectHandler.in(unsafe.Pointer(x)) }

// Call is set when the proxy is callable.
func (x *ProxyObject) Call() *func(goja.FunctionCall) goja.Value {
	return proxyObjectCall.in(unsafe.Pointer(x))
}

// Ctor is set when the proxy is a constructor.
func (x *ProxyObject) Ctor() *func([]goja.Value, *goja.Object) *goja.Object {
	return proxyObjectCtor.in(unsafe.Pointer(x))
}

// PromiseObject mirrors goja.Promise.
type PromiseObject struct{ Base }

var (
	promiseObjectState            = need[goja.PromiseState]("Promise", "state")
	promiseObjectResult           = need[goja.Value]("Promise", "result")
	promiseObjectFulfillReactions = need[[]*PromiseReaction]("Promise", "fulfillReactions")
	promiseObjectRejectReactions  = need[[]*PromiseReaction]("Promise", "rejectReactions")
	promiseObjectHandled          = need[bool]("Promise", "handled")
)

// State is the promise's state.
func (x *PromiseObject) State() *goja.PromiseState { return promiseObjectState.in(unsafe.Pointer(x)) }

// Result is the value or reason once settled.
func (x *PromiseObject) Result() *goja.Value { return promiseObjectResult.in(unsafe.Pointer(x)) }

// FulfillReactions run when the promise fulfills.
func (x *PromiseObject) FulfillReactions() *[]*PromiseReaction {
	return promiseObjectFulfillReactions.in(unsafe.Pointer(x))
}

// RejectReactions run when the promise rejects.
func (x *PromiseObject) RejectReactions() *[]*PromiseReaction {
	return promiseObjectRejectReactions.in(unsafe.Pointer(x))
}

// Handled tells whether a rejection was handled.
func (x *PromiseObject) Handled() *bool { return promiseObjectHandled.in(unsafe.Pointer(x)) }

// MappedProperty mirrors goja's mappedProperty: an element of a sloppy
// arguments object that aliases a parameter's slot in a stash.
type MappedProperty struct{ ValueProperty }

var (
	mappedPropertyV = need[*goja.Value]("mappedProperty", "v")
)

// V points at the aliased slot.
func (x *MappedProperty) V() **goja.Value { return mappedPropertyV.in(unsafe.Pointer(x)) }

// ArgumentsObject mirrors goja's argumentsObject.
type ArgumentsObject struct{ Base }

var (
	argumentsObjectLength = need[int]("argumentsObject", "length")
)

// Length is the number of arguments.
func (x *ArgumentsObject) Length() *int { return argumentsObjectLength.in(unsafe.Pointer(x)) }

// GeneratorObject mirrors goja's generatorObject.
type GeneratorObject struct{ Base }

var (
	generatorObjectGen       = need[Generator]("generatorObject", "gen")
	generatorObjectDelegated = need[*IteratorRecord]("generatorObject", "delegated")
	generatorObjectState     = need[uint8]("generatorObject", "state")
)

// Gen is the suspended frame.
func (x *GeneratorObject) Gen() *Generator { return generatorObjectGen.in(unsafe.Pointer(x)) }

// Delegated is the iterator record of a yield* in progress.
func (x *GeneratorObject) Delegated() **IteratorRecord {
	return generatorObjectDelegated.in(unsafe.Pointer(x))
}

// State is goja's generator state (1 suspendedStart, 3 suspendedYield, 4 suspendedYieldRes, 5 completed).
func (x *GeneratorObject) State() *uint8 { return generatorObjectState.in(unsafe.Pointer(x)) }

// Generator mirrors goja's generator: a suspended frame.
type Generator struct{ _ noCopy }

var (
	generatorCtx          = need[ExecCtx]("generator", "ctx")
	generatorVm           = need[unsafe.Pointer]("generator", "vm")
	generatorTryStackLen  = need[uint32]("generator", "tryStackLen")
	generatorIterStackLen = need[uint32]("generator", "iterStackLen")
	generatorRefStackLen  = need[uint32]("generator", "refStackLen")
	// generatorReturning exists since goja 065cd970 (2026-03-11); see versions.go.
	generatorReturning = maybe[goja.Value]("generator", "returning")
)

// Returning is the value a return() is carrying through finally blocks,
// or nil (always nil with a goja that does not keep one; see versions.go).
func (x *Generator) Returning() goja.Value {
	if p := generatorReturning.in(unsafe.Pointer(x)); p != nil {
		return *p
	}
	return nil
}

// SetReturning sets the value Returning returns. It reports false, doing
// nothing, if v is not nil and this goja keeps no such value.
func (x *Generator) SetReturning(v goja.Value) bool {
	p := generatorReturning.in(unsafe.Pointer(x))
	if p == nil {
		return v == nil
	}
	*p = v
	return true
}

// Ctx holds the frame's registers and stacks.
func (x *Generator) Ctx() *ExecCtx { return generatorCtx.in(unsafe.Pointer(x)) }

// Vm is goja's vm.
func (x *Generator) Vm() *unsafe.Pointer { return generatorVm.in(unsafe.Pointer(x)) }

// TryStackLen is goja's saved try-stack depth.
func (x *Generator) TryStackLen() *uint32 { return generatorTryStackLen.in(unsafe.Pointer(x)) }

// IterStackLen is goja's saved iterator-stack depth.
func (x *Generator) IterStackLen() *uint32 { return generatorIterStackLen.in(unsafe.Pointer(x)) }

// RefStackLen is goja's saved reference-stack depth.
func (x *Generator) RefStackLen() *uint32 { return generatorRefStackLen.in(unsafe.Pointer(x)) }

// ExecCtx mirrors goja's execCtx.
type ExecCtx struct{ Context }

var (
	execCtxStack     = need[[]goja.Value]("execCtx", "stack")
	execCtxTryStack  = needSlice[TryFrame]("execCtx", "tryStack")
	execCtxIterStack = needSlice[IterStackItem]("execCtx", "iterStack")
	execCtxRefStack  = needSlice[iface]("execCtx", "refStack")
)

// Stack holds the callee, this, the arguments and the frame's locals.
func (x *ExecCtx) Stack() *[]goja.Value { return execCtxStack.in(unsafe.Pointer(x)) }

// TryStack holds the frame's active try blocks.
func (x *ExecCtx) TryStack() Slice[TryFrame] { return execCtxTryStack.in(unsafe.Pointer(x)) }

// IterStack holds the frame's open iterators (for-of, for-in).
func (x *ExecCtx) IterStack() Slice[IterStackItem] { return execCtxIterStack.in(unsafe.Pointer(x)) }

// RefStack holds the frame's pending references (goja's ref interfaces).
func (x *ExecCtx) RefStack() Slice[iface] { return execCtxRefStack.in(unsafe.Pointer(x)) }

// Reset zeroes the context, as a fresh frame's.
func (x *ExecCtx) Reset() { gojaValue(x).SetZero() }

// IterStackItem mirrors goja's iterStackItem.
type IterStackItem struct{ _ noCopy }

var (
	iterStackItemVal  = need[goja.Value]("iterStackItem", "val")
	iterStackItemF    = need[unsafe.Pointer]("iterStackItem", "f")
	iterStackItemIter = need[*IteratorRecord]("iterStackItem", "iter")
)

// Val is the loop's current value (for-of) or key (for-in).
func (x *IterStackItem) Val() *goja.Value { return iterStackItemVal.in(unsafe.Pointer(x)) }

// F is goja's iterNextFunc of a for-in loop.
func (x *IterStackItem) F() *unsafe.Pointer { return iterStackItemF.in(unsafe.Pointer(x)) }

// Iter is the iterator record of a for-of loop.
func (x *IterStackItem) Iter() **IteratorRecord { return iterStackItemIter.in(unsafe.Pointer(x)) }

// Context mirrors goja's context: a frame's registers.
type Context struct{ _ noCopy }

var (
	contextPrg       = need[*goja.Program]("context", "prg")
	contextStash     = need[*Stash]("context", "stash")
	contextPrivEnv   = need[*PrivateEnv]("context", "privEnv")
	contextNewTarget = need[goja.Value]("context", "newTarget")
	contextResult    = need[goja.Value]("context", "result")
	contextPc        = need[int]("context", "pc")
	contextSb        = need[int]("context", "sb")
	contextArgs      = need[int]("context", "args")
)

// Prg is the running program.
func (x *Context) Prg() **goja.Program { return contextPrg.in(unsafe.Pointer(x)) }

// Stash is the current scope.
func (x *Context) Stash() **Stash { return contextStash.in(unsafe.Pointer(x)) }

// PrivEnv is the current private-name scope.
func (x *Context) PrivEnv() **PrivateEnv { return contextPrivEnv.in(unsafe.Pointer(x)) }

// NewTarget is new.target.
func (x *Context) NewTarget() *goja.Value { return contextNewTarget.in(unsafe.Pointer(x)) }

// Result is the completion value register.
func (x *Context) Result() *goja.Value { return contextResult.in(unsafe.Pointer(x)) }

// Pc is the position in Prg.
func (x *Context) Pc() *int { return contextPc.in(unsafe.Pointer(x)) }

// Sb is the stack base.
func (x *Context) Sb() *int { return contextSb.in(unsafe.Pointer(x)) }

// Args is the argument count.
func (x *Context) Args() *int { return contextArgs.in(unsafe.Pointer(x)) }

// TryFrame mirrors goja's tryFrame.
type TryFrame struct{ _ noCopy }

var (
	tryFrameException    = need[*goja.Exception]("tryFrame", "exception")
	tryFrameCallStackLen = need[uint32]("tryFrame", "callStackLen")
	tryFrameIterLen      = need[uint32]("tryFrame", "iterLen")
	tryFrameRefLen       = need[uint32]("tryFrame", "refLen")
	tryFrameSp           = need[int32]("tryFrame", "sp")
	tryFrameStash        = need[*Stash]("tryFrame", "stash")
	tryFramePrivEnv      = need[*PrivateEnv]("tryFrame", "privEnv")
	tryFrameCatchPos     = need[int32]("tryFrame", "catchPos")
	tryFrameFinallyPos   = need[int32]("tryFrame", "finallyPos")
	tryFrameFinallyRet   = need[int32]("tryFrame", "finallyRet")
)

// Exception is the exception being handled.
func (x *TryFrame) Exception() **goja.Exception { return tryFrameException.in(unsafe.Pointer(x)) }

// CallStackLen is the call-stack depth at entry.
func (x *TryFrame) CallStackLen() *uint32 { return tryFrameCallStackLen.in(unsafe.Pointer(x)) }

// IterLen is the iterator-stack depth at entry.
func (x *TryFrame) IterLen() *uint32 { return tryFrameIterLen.in(unsafe.Pointer(x)) }

// RefLen is the reference-stack depth at entry.
func (x *TryFrame) RefLen() *uint32 { return tryFrameRefLen.in(unsafe.Pointer(x)) }

// Sp is the stack pointer at entry.
func (x *TryFrame) Sp() *int32 { return tryFrameSp.in(unsafe.Pointer(x)) }

// Stash is the scope at entry.
func (x *TryFrame) Stash() **Stash { return tryFrameStash.in(unsafe.Pointer(x)) }

// PrivEnv is the private-name scope at entry.
func (x *TryFrame) PrivEnv() **PrivateEnv { return tryFramePrivEnv.in(unsafe.Pointer(x)) }

// CatchPos is the catch block's position.
func (x *TryFrame) CatchPos() *int32 { return tryFrameCatchPos.in(unsafe.Pointer(x)) }

// FinallyPos is the finally block's position.
func (x *TryFrame) FinallyPos() *int32 { return tryFrameFinallyPos.in(unsafe.Pointer(x)) }

// FinallyRet is where a finally block returns to.
func (x *TryFrame) FinallyRet() *int32 { return tryFrameFinallyRet.in(unsafe.Pointer(x)) }

// PromiseReaction mirrors goja's promiseReaction: what runs when a promise settles.
type PromiseReaction struct{ _ noCopy }

var (
	promiseReactionCapability  = need[*PromiseCapability]("promiseReaction", "capability")
	promiseReactionTyp         = need[int]("promiseReaction", "typ")
	promiseReactionHandler     = need[*JobCallback]("promiseReaction", "handler")
	promiseReactionAsyncRunner = need[*AsyncRunner]("promiseReaction", "asyncRunner")
	promiseReactionAsyncCtx    = need[iface]("promiseReaction", "asyncCtx")
)

// Capability is the derived promise and its resolvers.
func (x *PromiseReaction) Capability() **PromiseCapability {
	return promiseReactionCapability.in(unsafe.Pointer(x))
}

// Typ is 0 for a fulfill reaction, 1 for a reject one.
func (x *PromiseReaction) Typ() *int { return promiseReactionTyp.in(unsafe.Pointer(x)) }

// Handler is the handler, for then and catch.
func (x *PromiseReaction) Handler() **JobCallback {
	return promiseReactionHandler.in(unsafe.Pointer(x))
}

// AsyncRunner is the async function awaiting, for await.
func (x *PromiseReaction) AsyncRunner() **AsyncRunner {
	return promiseReactionAsyncRunner.in(unsafe.Pointer(x))
}

// AsyncCtx is the embedder's async context.
func (x *PromiseReaction) AsyncCtx() *iface { return promiseReactionAsyncCtx.in(unsafe.Pointer(x)) }

// PromiseCapability mirrors goja's promiseCapability.
type PromiseCapability struct{ _ noCopy }

var (
	promiseCapabilityPromise    = need[*goja.Object]("promiseCapability", "promise")
	promiseCapabilityResolveObj = need[*goja.Object]("promiseCapability", "resolveObj")
	promiseCapabilityRejectObj  = need[*goja.Object]("promiseCapability", "rejectObj")
)

// Promise is the promise.
func (x *PromiseCapability) Promise() **goja.Object {
	return promiseCapabilityPromise.in(unsafe.Pointer(x))
}

// ResolveObj is its resolve function.
func (x *PromiseCapability) ResolveObj() **goja.Object {
	return promiseCapabilityResolveObj.in(unsafe.Pointer(x))
}

// RejectObj is its reject function.
func (x *PromiseCapability) RejectObj() **goja.Object {
	return promiseCapabilityRejectObj.in(unsafe.Pointer(x))
}

// JobCallback mirrors goja's jobCallback.
type JobCallback struct{ _ noCopy }

var (
	jobCallbackCallback = need[func(goja.FunctionCall) goja.Value]("jobCallback", "callback")
)

// Callback is the handler.
func (x *JobCallback) Callback() *func(goja.FunctionCall) goja.Value {
	return jobCallbackCallback.in(unsafe.Pointer(x))
}

// AsyncRunner mirrors goja's asyncRunner: an async function suspended at await.
type AsyncRunner struct{ _ noCopy }

var (
	asyncRunnerGen        = need[Generator]("asyncRunner", "gen")
	asyncRunnerPromiseCap = need[*PromiseCapability]("asyncRunner", "promiseCap")
	asyncRunnerF          = need[*goja.Object]("asyncRunner", "f")
	asyncRunnerVmCall     = need[unsafe.Pointer]("asyncRunner", "vmCall")
)

// Gen is the suspended frame.
func (x *AsyncRunner) Gen() *Generator { return asyncRunnerGen.in(unsafe.Pointer(x)) }

// PromiseCap is the async function's result promise.
func (x *AsyncRunner) PromiseCap() **PromiseCapability {
	return asyncRunnerPromiseCap.in(unsafe.Pointer(x))
}

// F is the async function.
func (x *AsyncRunner) F() **goja.Object { return asyncRunnerF.in(unsafe.Pointer(x)) }

// VmCall is goja's entry point.
func (x *AsyncRunner) VmCall() *unsafe.Pointer { return asyncRunnerVmCall.in(unsafe.Pointer(x)) }

// mirrorNames maps each mirror type to the goja type it stands for.
var mirrorNames = map[reflect.Type]string{
	reflect.TypeFor[Base]():              "baseObject",
	reflect.TypeFor[ValueProperty]():     "valueProperty",
	reflect.TypeFor[OrderedMap]():        "orderedMap",
	reflect.TypeFor[MapEntry]():          "mapEntry",
	reflect.TypeFor[FuncBase]():          "baseFuncObject",
	reflect.TypeFor[JSFunc]():            "baseJsFuncObject",
	reflect.TypeFor[ClassFunc]():         "classFuncObject",
	reflect.TypeFor[MethodFunc]():        "methodFuncObject",
	reflect.TypeFor[ArrowFunc]():         "arrowFuncObject",
	reflect.TypeFor[NativeFunc]():        "nativeFuncObject",
	reflect.TypeFor[BoundFunc]():         "boundFuncObject",
	reflect.TypeFor[Stash]():             "stash",
	reflect.TypeFor[PrivateEnv]():        "privateEnv",
	reflect.TypeFor[PrivateEnvType]():    "privateEnvType",
	reflect.TypeFor[PrivateElements]():   "privateElements",
	reflect.TypeFor[Array]():             "arrayObject",
	reflect.TypeFor[SparseArray]():       "sparseArrayObject",
	reflect.TypeFor[SparseItem]():        "sparseArrayItem",
	reflect.TypeFor[MapObject]():         "mapObject",
	reflect.TypeFor[DateObject]():        "dateObject",
	reflect.TypeFor[ErrorObject]():       "errorObject",
	reflect.TypeFor[StackFrame]():        "StackFrame",
	reflect.TypeFor[ArrayBuffer]():       "arrayBufferObject",
	reflect.TypeFor[TypedArray]():        "typedArrayObject",
	reflect.TypeFor[DataView]():          "dataViewObject",
	reflect.TypeFor[PrimitiveObject]():   "primitiveValueObject",
	reflect.TypeFor[StringObject]():      "stringObject",
	reflect.TypeFor[Symbol]():            "Symbol",
	reflect.TypeFor[ProxyObject]():       "proxyObject",
	reflect.TypeFor[PromiseObject]():     "Promise",
	reflect.TypeFor[MappedProperty]():    "mappedProperty",
	reflect.TypeFor[ArgumentsObject]():   "argumentsObject",
	reflect.TypeFor[GeneratorObject]():   "generatorObject",
	reflect.TypeFor[Generator]():         "generator",
	reflect.TypeFor[ExecCtx]():           "execCtx",
	reflect.TypeFor[Context]():           "context",
	reflect.TypeFor[IterStackItem]():     "iterStackItem",
	reflect.TypeFor[regexpObject]():      "regexpObject",
	reflect.TypeFor[regexpPattern]():     "regexpPattern",
	reflect.TypeFor[regexp2Wrapper]():    "regexp2Wrapper",
	reflect.TypeFor[WeakCollection]():    "weakMapObject",
	reflect.TypeFor[WeakMapData]():       "weakMap",
	reflect.TypeFor[TryFrame]():          "tryFrame",
	reflect.TypeFor[PromiseReaction]():   "promiseReaction",
	reflect.TypeFor[PromiseCapability](): "promiseCapability",
	reflect.TypeFor[JobCallback]():       "jobCallback",
	reflect.TypeFor[AsyncRunner]():       "asyncRunner",
	reflect.TypeFor[IteratorRecord]():    "iteratorRecord",
	reflect.TypeFor[ArrayIter]():         "arrayIterObject",
	reflect.TypeFor[MapIter]():           "mapIterObject",
	reflect.TypeFor[OrderedMapIter]():    "orderedMapIter",
	reflect.TypeFor[StringIter]():        "stringIterObject",
	reflect.TypeFor[RegExpStringIter]():  "regExpStringIterObject",
	reflect.TypeFor[templateArray]():     "taggedTemplateArray",
	reflect.TypeFor[templateIns]():       "getTaggedTmplObject",
}
