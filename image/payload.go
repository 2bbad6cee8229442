package image

import (
	"sort"

	"github.com/dop251/goja/unistring"
)

// The payload of an image is one CBOR array (the payload struct below,
// encoded with cbor "toarray"; docs/FORMAT.md says the same for people):
//
//	payload   = [strings, lone, floats, bigints, buffers, scripts, symbols, shapes,
//	             objects, stashes, roots, plugins, natives, brands, privenvs,
//	             methodtables, weak, mapped]
//	strings   = [* text]             every distinct string once (UTF-8)
//	lone      = {* uint => [* uint]} strings holding lone surrogates, as UTF-16 code units
//	floats    = [* float]            numbers that are not small integers (-0, NaN, ±Infinity, fractions)
//	bigints   = [* text]             BigInts in base 16, "-" first when negative
//	buffers   = [* bytes]            ArrayBuffer contents
//	scripts   = [* [name, source, strict]]   every compiled unit, in registry order
//	symbols   = [* [how, string]]    how: 0 built-in (by name), 1 registered (Symbol.for key),
//	                                 2 unique with a description, 3 unique without one
//	shapes    = [* [* key, attrs]]   key lists that objects share; key is a string index
//	objects   = [kinds, intrinsic, proto, shape, flags, slots, symprops, elems, arrlen,
//	             extra, private]     columns, see objectsSection
//	stashes   = [* [* uint]]         captured scopes: outer, funcType, with-object, values,
//	                                 extra arguments, names (see saver.stash)
//	roots     = [patches, globals, onsave, onresume, main]
//	plugins   = [* [name, version, state]]  native plugins and their saved state
//	natives   = [* uint]             (object, plugin, record) for marked ordinary objects
//	brands    = [* [fields, methods]]       class brands (private environment types)
//	privenvs  = [* [instance, static, outer]]  class private environments
//	methodtables = [* [* element]]   private method tables shared by a class and its instances
//	weak      = [* [* uint]]         WeakMap (key, value) and WeakSet (key) entries
//	mapped    = [* uint]             arguments elements aliasing a parameter slot
//
// A value is a uint64 code whose low three bits say what the rest means
// (see the tag constants). Objects, strings, symbols, floats and BigInts are
// referred to by their index in their section. Objects are numbered in the
// order the walk meets them, breadth first from the roots; the same world
// always walks in the same order, so it always gives the same bytes.

// Value code tags.
const (
	tagObject  = 0 // object number
	tagString  = 1 // string index
	tagInt     = 2 // non-negative integer n
	tagNegInt  = 3 // negative integer -(n+1)
	tagFloat   = 4 // float index
	tagSymbol  = 5 // symbol index
	tagSpecial = 6 // one of the special values below
	tagBigInt  = 7 // BigInt index
)

// Special values (tagSpecial).
const (
	specialNone      = 0 // no value: an array hole, an uninitialised binding
	specialUndefined = 1
	specialNull      = 2
	specialFalse     = 3
	specialTrue      = 4
)

func code(tag, n uint64) uint64 { return n<<3 | tag }

var (
	codeNone      = code(tagSpecial, specialNone)
	codeUndefined = code(tagSpecial, specialUndefined)
)

// Property attributes in shapes and patches.
const (
	attrWritable     = 1 << 0
	attrEnumerable   = 1 << 1
	attrConfigurable = 1 << 2
	attrAccessor     = 1 << 3 // two slots: getter, setter
	attrPlain        = 1 << 4 // stored as a bare value (all attributes true)
	attrInterior     = 1 << 5 // the object's own built-in length property record
	attrMapped       = 1 << 6 // an arguments element aliasing a parameter (in payload.Mapped; no slot)
)

// Object flags.
const (
	flagNotExtensible = 1 << 0
	flagSymbols       = 1 << 1 // has symbol-keyed properties (in objectsSection.SymProps)
	flagPrivate       = 1 << 3 // has private elements (in objectsSection.Private)
)

// objKind is the kind of an object record in an image. The numbers are part
// of the format: never renumber, only add.
type objKind uint8

const (
	okIntrinsic objKind = iota
	okOrdinary
	okArray
	okFunction
	okGeneratorFunction
	okAsyncFunction
	okClass
	okMethod
	okGeneratorMethod
	okAsyncMethod
	okArrow
	okAsyncArrow
	okMap
	okSet
	okDate
	okRegExp
	okError
	okArrayBuffer
	okTypedArray
	okDataView
	okPrimitive
	okStringObject
	okSparseArray
	okNative    // an object a plugin owns and rebuilds: extra = plugin index, record code
	okBound     // extra = target, this, argument count, arguments...
	okProxy     // extra = target, handler, revoked, callable
	okWeakMap   // extra = weak record index
	okWeakSet   // extra = weak record index
	okPromise   // extra = state, result, handled
	okArguments // extra = length
	okGenerator // extra = see saver.generator
	okResolver  // extra = promise, reject (0/1), already used (0/1)
	numObjKinds
)

type payload struct {
	_            struct{} `cbor:",toarray"`
	Strings      []string
	Lone         map[uint64][]uint16
	Floats       []float64
	BigInts      []string
	Buffers      [][]byte
	Scripts      []scriptRecord
	Symbols      [][2]uint64
	Shapes       [][]uint64
	Objects      objectsSection
	Stashes      [][]uint64
	Roots        rootsSection
	Plugins      []pluginRecord
	Natives      []uint64    // per marked ordinary object: object number, plugin index, record code
	Brands       [][2]uint64 // class brands (private environment types): number of fields, of methods
	PrivEnvs     [][3]uint64 // class private environments: instance brand+1, static brand+1, outer+1 (0 = none)
	MethodArrays [][]uint64  // private method tables shared by a class and its instances (element encoding)
	Weak         [][]uint64  // entries of WeakMaps (key, value) and WeakSets (key), by weak record index
	Mapped       []uint64    // mapped arguments elements: object, key string, stash code, slot, attrs
}

// pluginRecord names a native plugin the world used, with its saved state.
type pluginRecord struct {
	_       struct{} `cbor:",toarray"`
	Name    string
	Version int
	State   uint64 // value code
}

type scriptRecord struct {
	_      struct{} `cbor:",toarray"`
	Name   string
	Source string // empty for a built-in script
	Strict bool
	// Digest is set, and Source empty, for a script that every world of
	// the build compiles for itself (image.NewWorld): the loader uses the
	// world's own copy when its SHA-256 digest matches.
	Digest []byte
}

// objectsSection holds objects in columns. Kinds has one entry per object;
// the other columns have entries only for the objects that use them, in
// object order.
type objectsSection struct {
	_         struct{} `cbor:",toarray"`
	Kinds     []byte   // objKind per object
	Intrinsic []uint64 // string index of the name, per intrinsic object
	Proto     []uint64 // value code of [[Prototype]], per non-intrinsic object
	Shape     []uint64 // shape index, per non-intrinsic object
	Flags     []byte   // object flags, per non-intrinsic object
	Slots     []uint64 // property slots of non-intrinsic objects, concatenated
	SymProps  []uint64 // per object with flagSymbols: count, then (symbol code, attrs, slots...)
	Elems     []uint64 // array elements, concatenated
	ArrLen    []uint64 // per array: length, number of stored elements, length writable (0/1)
	Extra     [][]uint64
	Private   []uint64 // per object with flagPrivate: count, then (brand, method array+1, field count, fields...)
}

// rootsSection holds what the walk starts from.
type rootsSection struct {
	_        struct{} `cbor:",toarray"`
	Patches  []uint64 // changes to built-ins: see patch ops
	Globals  []uint64 // global lexical bindings: (name string index, const 0/1, value code)...
	OnSave   []uint64
	OnResume []uint64
	Main     uint64
	Saving   uint64 // the promise of the stasis.saveImage call that made the image, or codeNone
	SavePath uint64 // its path (string index), when Saving is set
}

// Patch ops: each patch is op, object code, then op-specific fields.
const (
	patchDefine        = 0 // key code, attrs, slot(s)
	patchDelete        = 1 // key code
	patchProto         = 2 // value code
	patchNonExtensible = 3
)

func sortUnistrings(s []unistring.String) {
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
}

// sizeHint estimates the payload's encoded size from its largest parts:
// about three bytes a number, the bytes of strings and buffers.
func (p *payload) sizeHint() int {
	n := 1024
	for _, s := range p.Strings {
		n += len(s) + 2
	}
	for _, b := range p.Buffers {
		n += len(b) + 4
	}
	n += 9 * len(p.Floats)
	o := &p.Objects
	n += len(o.Kinds) + len(o.Flags)
	n += 3 * (len(o.Intrinsic) + len(o.Proto) + len(o.Shape) + len(o.Slots) + len(o.SymProps) + len(o.Elems) + len(o.ArrLen) + len(o.Private))
	for _, e := range o.Extra {
		n += 3*len(e) + 1
	}
	for _, sh := range p.Shapes {
		n += 3*len(sh) + 1
	}
	for _, st := range p.Stashes {
		n += 3*len(st) + 1
	}
	return n
}
