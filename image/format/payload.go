package format

import (
	"bytes"
	"strconv"

	"github.com/fxamacker/cbor/v2"
)

// The payload of an image is one CBOR array (the Payload struct below,
// encoded with cbor "toarray"; docs/FORMAT.md says the same for people):
//
//	payload   = [strings, lone, floats, bigints, buffers, scripts, symbols, shapes,
//	             objects, stashes, roots, plugins, natives, brands, privenvs,
//	             methodtables, weak, mapped, templates, code]
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
//	             extra, private]     columns, see Objects
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
//	templates = [* uint]             tagged template arrays: object, script+1, program
//	                                 index, pc of the call site, raw (1) or cooked (0)
//	code      = null | [key, [* bytes]]   compiled programs, one per script (empty:
//	                                 compile the source); key names the goja, Go and
//	                                 instruction layouts they are valid for (vm/heap's
//	                                 CodeKey; progcode.go gives the bytes' grammar)
//
// A value is a uint64 code whose low three bits say what the rest means
// (see the tag constants). Objects, strings, symbols, floats and BigInts are
// referred to by their index in their section. Objects are numbered in the
// order the walk meets them, breadth first from the roots; the same world
// always walks in the same order, so it always gives the same bytes.

// Value code tags: the low three bits of a value code.
const (
	TagObject  = 0 // object number
	TagString  = 1 // string index
	TagInt     = 2 // non-negative integer n
	TagNegInt  = 3 // negative integer -(n+1)
	TagFloat   = 4 // float index
	TagSymbol  = 5 // symbol index
	TagSpecial = 6 // one of the special values below
	TagBigInt  = 7 // BigInt index
)

// Special values (TagSpecial).
const (
	SpecialNone      = 0 // no value: an array hole, an uninitialised binding
	SpecialUndefined = 1
	SpecialNull      = 2
	SpecialFalse     = 3
	SpecialTrue      = 4
)

// Code makes a value code from a tag and its number.
func Code(tag, n uint64) uint64 { return n<<3 | tag }

// Codes of the special values a reader meets most.
const (
	CodeNone      uint64 = SpecialNone<<3 | TagSpecial
	CodeUndefined uint64 = SpecialUndefined<<3 | TagSpecial
	CodeNull      uint64 = SpecialNull<<3 | TagSpecial
	// CodeElemProperty marks an element stored as a property record
	// (attrs, then the value, or getter and setter) instead of a value.
	CodeElemProperty uint64 = 5<<3 | TagSpecial
)

// Zigzag maps a signed integer to an unsigned one that is small when the
// integer is near zero (-1 is 1, 1 is 2).
func Zigzag(i int64) uint64 { return uint64(i<<1) ^ uint64(i>>63) }

// Unzigzag inverts Zigzag.
func Unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// Property attributes in shapes and patches.
const (
	AttrWritable     = 1 << 0
	AttrEnumerable   = 1 << 1
	AttrConfigurable = 1 << 2
	AttrAccessor     = 1 << 3 // two slots: getter, setter
	AttrPlain        = 1 << 4 // stored as a bare value (all attributes true)
	AttrInterior     = 1 << 5 // the object's own built-in length property record
	AttrMapped       = 1 << 6 // an arguments element aliasing a parameter (in payload.Mapped; no slot)
)

// Object flags.
const (
	FlagNotExtensible = 1 << 0
	FlagSymbols       = 1 << 1 // has symbol-keyed properties (in Objects.SymProps)
	FlagPrivate       = 1 << 3 // has private elements (in Objects.Private)
)

// Kind is the kind of an object record in an image. The numbers are part
// of the format: never renumber, only add.
type Kind uint8

// The kinds of object records. What Objects.Extra holds for each is said
// on its line; function kinds keep their data in the functions' columns.
const (
	KindIntrinsic Kind = iota // a built-in, by name (Objects.Intrinsic)
	KindOrdinary
	KindArray
	KindFunction
	KindGeneratorFunction
	KindAsyncFunction
	KindClass
	KindMethod
	KindGeneratorMethod
	KindAsyncMethod
	KindArrow
	KindAsyncArrow
	KindMap
	KindSet
	KindDate
	KindRegExp
	KindError
	KindArrayBuffer
	KindTypedArray
	KindDataView
	KindPrimitive
	KindStringObject
	KindSparseArray
	KindNative    // an object a plugin owns and rebuilds: extra = plugin index, record code
	KindBound     // extra = target, this, argument count, arguments...
	KindProxy     // extra = target, handler, revoked, callable
	KindWeakMap   // extra = weak record index
	KindWeakSet   // extra = weak record index
	KindPromise   // extra = state, result, handled
	KindArguments // extra = length
	KindGenerator // extra = see saver.generator
	KindResolver  // extra = promise, reject (0/1), already used (0/1)
	KindRevoke    // Proxy.revocable's revoke function: extra = the proxy
	KindIterator  // extra = see image/iterators.go
	NumKinds      // the number of kinds; not a kind
)

// Payload is the decoded payload: one field a section, in format order.
type Payload struct {
	_            struct{}            `cbor:",toarray"`
	Strings      Texts               // every distinct string, once; values refer to them by index
	Lone         map[uint64][]uint16 // strings holding lone surrogates, by index: their UTF-16 code units
	Floats       []float64           // numbers that are not small integers (-0, NaN, fractions)
	BigInts      []string            // BigInts in base 16, "-" first when negative
	Buffers      [][]byte            // ArrayBuffer contents
	Scripts      []Script            // compiled units, in registry order
	Symbols      [][2]uint64         // symbols: how (built-in, registered, unique), string
	Shapes       Records             // key lists with attributes, shared by objects
	Objects      Objects             // the objects, in columns
	Stashes      Records             // captured scopes (see the grammar above)
	Roots        Roots               // what the walk starts from
	Plugins      []Plugin            // the native plugins, with their state
	Natives      []uint64            // per marked ordinary object: object number, plugin index, record code
	Brands       [][2]uint64         // class brands (private environment types): number of fields, of methods
	PrivEnvs     [][3]uint64         // class private environments: instance brand+1, static brand+1, outer+1 (0 = none)
	MethodArrays Records             // private method tables shared by a class and its instances (element encoding)
	Weak         Records             // entries of WeakMaps (key, value) and WeakSets (key), by weak record index
	Mapped       []uint64            // mapped arguments elements: object, key string, stash code, slot, attrs
	Templates    []uint64            // tagged template arrays: object, script+1, program index, pc, raw (0/1)
	Code         *CodeSection        // the scripts' compiled programs (format 2.1); nil: none
}

// CodeSection holds the scripts' compiled programs, so that a loader compiles
// nothing. A loader whose engine has another Key compiles the sources.
type CodeSection struct {
	_        struct{} `cbor:",toarray"`
	Key      string   // the layouts the programs are valid for (vm/heap's CodeKey)
	Programs [][]byte // one per script: empty for a script stored as source alone
}

// maxCodeFactor bounds a script's stored program against its source:
// programs take about a third of the source's bytes, up to about 1.7 times
// in a minified library.
const maxCodeFactor = 4

// Plugin names a native plugin the world used, with its saved state.
type Plugin struct {
	_       struct{} `cbor:",toarray"`
	Name    string   // natives.Plugin.Name
	Version int      // the version of its records
	State   uint64   // value code
}

// Script is a compiled unit of the world, stored with its source.
type Script struct {
	_      struct{} `cbor:",toarray"`
	Name   string   // the file name or a label ("<repl:3>")
	Source string   // empty for a built-in script
	Strict bool     // compiled in strict mode from the outside
	// Digest is set, and Source empty, for a script that every world of
	// the build compiles for itself (image.NewWorld): the loader uses the
	// world's own copy when its SHA-256 digest matches.
	Digest []byte
}

// Objects holds objects in columns. Kinds has one entry per object;
// the other columns have entries only for the objects that use them, in
// object order.
type Objects struct {
	_         struct{} `cbor:",toarray"`
	Kinds     []byte   // Kind per object
	Intrinsic Uints    // string index of the name, per intrinsic object
	Proto     Uints    // value code of [[Prototype]], per non-intrinsic object
	Shape     Uints    // shape index, per non-intrinsic object
	Flags     []byte   // object flags, per non-intrinsic object
	Slots     Uints    // property slots of non-intrinsic objects, concatenated
	SymProps  Uints    // per object with FlagSymbols: count, then (symbol code, attrs, slots...)
	Elems     Uints    // array elements, concatenated
	ArrLen    Uints    // per array: length, number of stored elements, length writable (0/1)
	Extra     Records  // per object of a kind with extra data: see Kind
	Private   Uints    // per object with FlagPrivate: count, then (brand, method array+1, field count, fields...)
}

// Roots holds what the walk starts from.
type Roots struct {
	_        struct{} `cbor:",toarray"`
	Patches  []uint64 // changes to built-ins: see patch ops
	Globals  []uint64 // global lexical bindings: (name string index, const 0/1, value code)...
	OnSave   []uint64 // value codes of the stasis.onSave hooks, in order
	OnResume []uint64 // value codes of the stasis.onResume hooks, in order
	Main     uint64   // value code of the main function, or CodeNone
	Saving   uint64   // the promise of the stasis.saveImage call that made the image, or CodeNone
	SavePath uint64   // its path (string index), when Saving is set
}

// Patch ops: each patch is op, object code, then op-specific fields.
const (
	PatchDefine        = 0 // key code, attrs, slot(s)
	PatchDelete        = 1 // key code
	PatchProto         = 2 // value code
	PatchNonExtensible = 3
)

// sizeHint estimates the payload's encoded size from its largest parts:
// about three bytes a number, the bytes of strings and buffers.
func (p *Payload) sizeHint() int {
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

var kindNames = [NumKinds]string{
	KindIntrinsic: "intrinsic", KindOrdinary: "object", KindArray: "array", KindFunction: "function",
	KindGeneratorFunction: "generatorFunction", KindAsyncFunction: "asyncFunction", KindClass: "class",
	KindMethod: "method", KindGeneratorMethod: "generatorMethod", KindAsyncMethod: "asyncMethod",
	KindArrow: "arrow", KindAsyncArrow: "asyncArrow", KindMap: "map", KindSet: "set", KindDate: "date",
	KindRegExp: "regexp", KindError: "error", KindArrayBuffer: "arrayBuffer", KindTypedArray: "typedArray",
	KindDataView: "dataView", KindPrimitive: "primitive", KindStringObject: "stringObject",
	KindSparseArray: "sparseArray", KindNative: "native", KindBound: "bound", KindProxy: "proxy",
	KindWeakMap: "weakMap", KindWeakSet: "weakSet", KindPromise: "promise", KindArguments: "arguments",
	KindGenerator: "generator", KindResolver: "resolver", KindRevoke: "revoke", KindIterator: "iterator",
}

// String names the kind, for people.
func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return "kind" + strconv.Itoa(int(k))
}

// IsFunction tells whether k is a JavaScript function with a program.
func (k Kind) IsFunction() bool {
	return k >= KindFunction && k <= KindAsyncArrow
}

// HasExtra tells whether objects of kind k have a record in Objects.Extra.
func (k Kind) HasExtra() bool {
	switch k {
	case KindIntrinsic, KindOrdinary, KindArray, KindSparseArray:
		return false
	}
	return true
}

// HasProperties tells whether objects of kind k have an entry in the
// Proto, Shape and Flags columns (the others are made whole elsewhere: an
// intrinsic exists already, a plugin or a proxy makes its own object).
func (k Kind) HasProperties() bool {
	switch k {
	case KindIntrinsic, KindNative, KindProxy, KindResolver:
		return false
	}
	return true
}

var encMode = func() cbor.UserBufferEncMode {
	m, err := cbor.EncOptions{Sort: cbor.SortCoreDeterministic, ShortestFloat: cbor.ShortestFloat16,
		NaNConvert: cbor.NaNConvertNone, InfConvert: cbor.InfConvertNone}.UserBufferEncMode()
	if err != nil {
		panic(err)
	}
	return m
}()

var decMode = func() cbor.DecMode {
	m, err := cbor.DecOptions{
		MaxArrayElements: 1<<31 - 1,
		MaxMapPairs:      1<<31 - 1,
		MaxNestedLevels:  8,
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
	}.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}()

// Encode returns the payload's bytes (CBOR, uncompressed). The same
// payload always gives the same bytes.
func Encode(p *Payload) ([]byte, error) {
	// Encoding into a buffer of about the right size saves growing it
	// (copying the payload) a dozen times for a large world.
	var buf bytes.Buffer
	buf.Grow(p.sizeHint())
	if err := encMode.MarshalToBuffer(p, &buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Decode reads a payload. It measures the encoded payload against lim
// (zero fields mean the defaults) before anything is allocated for it, and
// checks the structure of what it decoded (see check). The payload's
// scripts' sources and compiled programs are left in data, not copied
// (alias.go): data must not change while the payload, or a world made
// from it, is in use.
func Decode(data []byte, lim Limits) (*Payload, error) {
	return DecodeVersion(data, lim, Current)
}

// DecodeVersion decodes a payload of format version v (the version in its
// image's header, Meta.Version): an older version's payload is read as
// this build's, and a newer minor version's as far as this build can (see
// version.go); what it cannot read is refused as ErrNewerVersion. Like
// Decode, it leaves sources and programs in data.
func DecodeVersion(data []byte, lim Limits, v Version) (*Payload, error) {
	return DecodeScriptsFirst(data, lim, v, nil)
}

// DecodeScriptsFirst is DecodeVersion that decodes the scripts and code
// sections first and, once they and the code's agreement with the scripts
// are checked, calls scripts with the payload holding them (its other
// sections still being decoded, on the calling goroutine: scripts may read
// p.Scripts and p.Code on other goroutines, nothing else), so that a
// loader can start making the scripts' programs while the rest of the
// payload is decoded. scripts is not called for a payload refused before
// that; a payload refused after it is refused all the same.
func DecodeScriptsFirst(data []byte, lim Limits, v Version, scripts func(p *Payload)) (*Payload, error) {
	p, err := decode(data, lim, v, scripts)
	return p, AsNewer(v, err)
}

// sections returns pointers to p's sections, in format order.
func (p *Payload) sections() [numSections]any {
	return [numSections]any{&p.Strings, &p.Lone, &p.Floats, &p.BigInts, &p.Buffers, &p.Scripts,
		&p.Symbols, &p.Shapes, &p.Objects, &p.Stashes, &p.Roots, &p.Plugins, &p.Natives, &p.Brands,
		&p.PrivEnvs, &p.MethodArrays, &p.Weak, &p.Mapped, &p.Templates, &p.Code}
}

// secCode is the position of the code section.
const secCode = numSections - 1

// decodeSection decodes one section's bytes (one CBOR item, as the scan
// found it) into field. A section of a type with its own decoder (Texts,
// Records) goes to that decoder directly: through the library, its bytes
// were walked twice more first (the library checks the item is
// well-formed, then skips over it to find its end), and every item such a
// decoder accepts is well-formed. Any other goes through the library.
func decodeSection(b []byte, field any) error {
	if u, ok := field.(cbor.Unmarshaler); ok {
		return u.UnmarshalCBOR(b)
	}
	return decMode.Unmarshal(b, field)
}

func decode(data []byte, lim Limits, v Version, scripts func(p *Payload)) (*Payload, error) {
	lim = lim.WithDefaults()
	ms, lay, err := scanPayload(data, v)
	if err != nil {
		return nil, Corruptf("payload: %v", err)
	}
	if err := checkMeasures(&ms, len(data), lim); err != nil {
		return nil, err
	}
	if lay.n != numSections {
		data = normalise(data, lay)
		// Where the sections are in the normalised bytes (measured
		// already: the same sections, and empty ones).
		if _, lay, err = scanPayload(data, Current); err != nil {
			return nil, Corruptf("payload: %v", err)
		}
	}
	// Each section is decoded as the library decodes it as a field of
	// Payload (an array of as many sections, as scanPayload made sure);
	// the scripts and code sections first.
	var p Payload
	fields := p.sections()
	order := [numSections]int{secScripts, secCode}
	for k, i := 0, 2; k < numSections; k++ {
		if k != secScripts && k != secCode {
			order[i] = k
			i++
		}
	}
	for i, k := range order {
		if err := decodeSection(data[lay.at[k]:lay.at[k+1]], fields[k]); err != nil {
			return nil, Corruptf("payload: %s: %v", sectionNames[k], err)
		}
		if i == 1 && scripts != nil {
			if err := checkCode(&p, lim); err != nil {
				return nil, err
			}
			scripts(&p)
		}
	}
	if err := check(&p, lim); err != nil {
		return nil, err
	}
	return &p, nil
}
