package image

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// Save writes an image of the world v to w. The world must have been made
// by NewWorld or Load, and must be idle: no JavaScript running, no pending
// promise jobs. On error nothing useful has been written to w.
func Save(w io.Writer, v *vm.VM, opts SaveOptions) error {
	meta, payload, err := encodeImage(v, opts)
	if err != nil {
		return err
	}
	return format.Write(w, meta, payload)
}

// SaveFile saves v to path atomically: the image is written to a temporary
// file beside path, synced, and renamed over it, so an existing image is
// never left half-written.
func SaveFile(path string, v *vm.VM, opts SaveOptions) error {
	meta, payload, err := encodeImage(v, opts)
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, 0o644, func(w io.Writer) error { return format.Write(w, meta, payload) })
}

// encodeImage walks the world and returns the metadata and payload of an
// image of it.
func encodeImage(v *vm.VM, opts SaveOptions) (*Meta, []byte, error) {
	p, cols, code, err := walkPieces(v, true)
	if err != nil {
		return nil, nil, err
	}
	p.Code = codeSection(v, p.Scripts)
	payload, err := format.EncodePieces(p, cols)
	if err != nil {
		return nil, nil, err
	}
	meta := &Meta{
		StasisVersion: vm.Version,
		GojaVersion:   heap.GojaVersion(),
		Layout:        heap.Fingerprint(),
		Created:       createdTime(opts.Created).Unix(),
		Plugins:       pluginInfos(v),
		Code:          code,
	}
	for _, s := range v.Scripts().All() {
		if s.Name != "" && s.Name[0] != '<' && len(meta.Entry) < 64 {
			meta.Entry = append(meta.Entry, s.Name)
		}
	}
	return meta, payload, nil
}

func createdTime(t time.Time) time.Time {
	if !t.IsZero() {
		return t
	}
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Now()
}

// EncodePayload walks the world and returns the image payload (uncompressed CBOR).
func EncodePayload(v *vm.VM) (out []byte, err error) {
	p, cols, _, err := walkPieces(v, false)
	if err != nil {
		return nil, err
	}
	p.Code = codeSection(v, p.Scripts)
	return format.EncodePieces(p, cols)
}

// walkPayload walks the world into the payload of an image of it, and
// returns the image's code record (see samecode.go) with it when code is
// set.
func walkPayload(v *vm.VM, code bool) (*format.Payload, []byte, error) {
	p, cols, rec, err := walkPieces(v, code)
	if err != nil {
		return nil, nil, err
	}
	ob := &p.Objects
	ob.Kinds, ob.Flags = join(cols.Kinds), join(cols.Flags)
	ob.Proto, ob.Shape, ob.Slots = join(cols.Proto), join(cols.Shape), join(cols.Slots)
	ob.Elems, ob.ArrLen = join(cols.Elems), join(cols.ArrLen)
	return p, rec, nil
}

// walkPieces is walkPayload with the long columns of the objects section
// left in the pieces the walk built them in (see column): encoding them
// from there saves copying each whole.
func walkPieces(v *vm.VM, code bool) (*format.Payload, *format.Pieces, []byte, error) {
	b, err := baselineOf(v)
	if err != nil {
		return nil, nil, nil, err
	}
	// Every pending timer's remaining time is measured from one instant.
	v.Loop().Freeze()
	defer v.Loop().Thaw()
	s := newSaver(v, b, false)
	if err := v.Try("save", s.walk); err != nil {
		var u *unsupported
		if errors.As(err, &u) {
			// Walk again, recording how each object was reached, to name the path.
			t := newSaver(v, b, true)
			if err := v.Try("save", t.walk); err != nil {
				return nil, nil, nil, err
			}
		}
		return nil, nil, nil, err
	}
	// Return a copy of the payload, so that nothing points into the saver
	// any more (s is dead from here): its tables (a number for every
	// object, the shapes, the strings) can be collected while the payload
	// is encoded.
	p := s.p
	cols := &format.Pieces{Kinds: s.kinds8.pieces(), Flags: s.flags.pieces(),
		Proto: s.proto.pieces(), Shape: s.shape.pieces(), Slots: s.slots.pieces(),
		Elems: s.elems.pieces(), ArrLen: s.arrLen.pieces()}
	if !code {
		return &p, cols, nil, nil
	}
	return &p, cols, s.codeRecord(), nil
}

// node identifies an object (stash false) or a stash (stash true) in the walk.
type node struct {
	stash bool
	idx   uint32
}

// edge says how the walk first reached a node: from which node, by which label.
type edge struct {
	from  node
	label uint8
	n     uint64
	root  bool
}

// Edge labels.
const (
	lProp       = iota // n: string index of the key
	lSymProp           // n: symbol index
	lGetter            // n: string index
	lSetter            // n: string index
	lElem              // n: index
	lProto             //
	lMapKey            // n: entry number
	lMapValue          // n: entry number
	lStashSlot         // n: slot
	lScope             // a function's scope
	lHome              // a method's home object
	lInternal          // n/a: another internal field
	lRootGlobal        // n: string index of the binding name
	lRootHook          // n: 0 onSave, 1 onResume (index in the bits above), 2 main, 3 the saving stasis.saveImage promise
	lRootPlugin        // n: plugin index
	lFrameSlot         // n: frame number << 32 | stack slot, in a suspended frame
	lFrameScope        // n: frame number: the scope a suspended frame runs in
)

type progRef struct{ script, index int }

type saver struct {
	evalChecked map[evalCheckKey]string         // eval units checked by checkEvalFunction
	argArrows   map[int]*argumentsArrows        // by script: arrows reading an enclosing function's arguments
	tmplSites   map[unsafe.Pointer]templateSite // tagged template call sites, by the identity they give
	failures    []*unsupported                  // distinct reasons this save fails, in walk order
	stopped     bool                            // the walk ended early: enough reasons, or a broken state after one
	frameNames  []string                        // suspended frames met, described, when tracking
	frames      []frameRef                      // their programs and scopes, for the names of their variables

	v     *vm.VM
	rt    *goja.Runtime
	b     *baseline
	cls   *heap.ValueClassifier
	kinds heap.KindClassifier
	p     payload

	strs                      map[string]uint64
	floats                    map[uint64]uint64
	syms                      map[*goja.Symbol]uint64
	objs                      *objTable      // object -> number
	kinds8, flags             column[byte]   // Objects.Kinds and Objects.Flags as the walk builds them
	proto, shape, slots       column[uint64] // Objects.Proto, Shape and Slots as the walk builds them
	elems, arrLen             column[uint64] // Objects.Elems and ArrLen as the walk builds them
	list                      []*goja.Object // objects in number order; list[head:] are still to write
	head                      int
	objEdge                   []edge
	stashes                   map[*heap.Stash]uint32
	squeue                    []*heap.Stash
	sEdge                     []edge
	sList                     []*heap.Stash // stashes by number, when tracking
	namer                     scopeNamer
	progs                     map[*goja.Program]progRef
	progSrc                   map[*goja.Program]string
	shapes                    map[string]uint64
	shapeBuf                  []byte
	shapeTmp                  []uint64
	global                    *heap.Stash
	cur                       node
	h                         hiddenSaver
	mapped                    []pendingMapped
	evalTrees                 [][]heap.ProgramInfo
	evalTreeScript            []int
	plugins                   []natives.Plugin
	hasMarks                  bool
	track                     bool // record how each node was reached, to name paths in errors
	nStashes                  uint32
	regexpSource, regexpFlags goja.Callable
	iterMaps                  []pendingIterMap                  // Map and Set iterators, to be given their collection
	mapOwners                 map[*heap.OrderedMap]*goja.Object // the Map or Set object of each ordered map met
	orphanMaps                map[*goja.Object]bool             // Maps and Sets made for iterators that alone hold them
	code                      codeUse                           // what the state needs of the compiled code (samecode.go)
}

func newSaver(v *vm.VM, b *baseline, track bool) *saver {
	s := &saver{
		v: v, rt: v.Runtime(), b: b, cls: heap.NewValueClassifier(), track: track,
		strs: map[string]uint64{}, floats: map[uint64]uint64{}, syms: map[*goja.Symbol]uint64{},
		objs: newObjTable(), stashes: map[*heap.Stash]uint32{}, shapes: map[string]uint64{},
		progs: map[*goja.Program]progRef{}, progSrc: map[*goja.Program]string{},
	}
	s.global = heap.GlobalStash(s.rt)
	s.plugins = natives.Plugins(v)
	s.hasMarks = natives.HasMarks(v)
	s.p.Lone = map[uint64][]uint16{}
	if f, ok := goja.AssertFunction(b.object("globalThis.RegExp.prototype.source#get")); ok {
		s.regexpSource = f
	}
	if f, ok := goja.AssertFunction(b.object("globalThis.RegExp.prototype.flags#get")); ok {
		s.regexpFlags = f
	}
	for i, sc := range v.Scripts().All() {
		if strings.HasPrefix(sc.Name, builtinScriptPrefix) {
			s.p.Scripts = append(s.p.Scripts, scriptRecord{Name: sc.Name, Strict: sc.Strict, Digest: sourceDigest(sc.Source)})
		} else {
			s.p.Scripts = append(s.p.Scripts, scriptRecord{Name: sc.Name, Source: sc.Source, Strict: sc.Strict})
		}
		for j, pi := range programsOf(v, sc) {
			s.progs[pi.Program] = progRef{i, j}
			s.progSrc[pi.Program] = pi.Source
		}
	}
	return s
}

// unsupported is a save failure tied to a node of the graph.
type unsupported struct {
	at     node
	reason string
}

func (u *unsupported) Error() string { return u.reason }

func (s *saver) fail(reason string, args ...any) {
	panic(&unsupported{at: s.cur, reason: fmt.Sprintf(reason, args...)})
}

// walk saves everything reachable from the roots. What cannot be saved
// does not end the walk: it goes on to find other reasons, so that one
// failed save names up to maxReasons distinct ones (see failures.go).
func (s *saver) walk() error {
	s.guarded(s.roots)
	for !s.stopped && s.more() {
		for !s.stopped && s.head < len(s.list) {
			o := s.list[s.head]
			s.cur = node{idx: uint32(s.head)}
			s.head++
			s.guardedObject(o)
		}
		for !s.stopped && len(s.squeue) > 0 {
			st := s.squeue[0]
			s.squeue = s.squeue[1:]
			s.cur = node{stash: true, idx: s.stashes[st]}
			s.guardedStash(st)
		}
	}
	if len(s.failures) == 0 {
		s.guarded(s.patchIterMaps)
	}
	return s.failure()
}

// str returns the index of a Go string in the strings section.
func (s *saver) str(x string) uint64 {
	if i, ok := s.strs[x]; ok {
		return i
	}
	i := uint64(len(s.p.Strings))
	s.strs[x] = i
	s.p.Strings = append(s.p.Strings, x)
	return i
}

// key returns the string index of a property name.
func (s *saver) key(k unistring.String) uint64 {
	if u := k.AsUtf16(); u != nil {
		return s.utf16(u[1:])
	}
	return s.str(string(k))
}

// utf16 stores a UTF-16 string: as UTF-8 text, plus its code units when it
// holds lone surrogates that UTF-8 cannot carry.
func (s *saver) utf16(u []uint16) uint64 {
	lone := false
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c >= 0xD800 && c <= 0xDBFF && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] <= 0xDFFF {
			i++
			continue
		}
		if c >= 0xD800 && c <= 0xDFFF {
			lone = true
			break
		}
	}
	text := string(utf16.Decode(u))
	if !lone {
		return s.str(text)
	}
	// Lone-surrogate strings are not shared through the text map: their text is lossy.
	i := uint64(len(s.p.Strings))
	s.p.Strings = append(s.p.Strings, text)
	s.p.Lone[i] = append([]uint16(nil), u...)
	return i
}

// value returns the code of a JS value, queueing objects it meets.
func (s *saver) value(v goja.Value, label uint8, n uint64) uint64 {
	switch s.cls.Class(v) {
	case heap.ValueNil:
		return codeNone
	case heap.ValueUndefined:
		return codeUndefined
	case heap.ValueNull:
		return code(tagSpecial, specialNull)
	case heap.ValueBool:
		if heap.Bool(v) {
			return code(tagSpecial, specialTrue)
		}
		return code(tagSpecial, specialFalse)
	case heap.ValueInt:
		i := heap.Int(v)
		if i >= 0 && i < 1<<60 {
			return code(tagInt, uint64(i))
		}
		if i < 0 && i > -(1<<60) {
			return code(tagNegInt, uint64(-(i + 1)))
		}
		return s.float(float64(i))
	case heap.ValueFloat:
		return s.float(heap.Float(v))
	case heap.ValueASCII:
		return code(tagString, s.str(heap.ASCII(v)))
	case heap.ValueUnicode:
		return code(tagString, s.utf16(heap.UTF16(v)))
	case heap.ValueImportedString:
		return code(tagString, s.str(v.String()))
	case heap.ValueBigInt:
		i := uint64(len(s.p.BigInts))
		s.p.BigInts = append(s.p.BigInts, heap.BigInt(v).Text(16))
		return code(tagBigInt, i)
	case heap.ValueSymbol:
		return code(tagSymbol, s.symbol(v.(*goja.Symbol)))
	case heap.ValueObject:
		return code(tagObject, uint64(s.ref(v.(*goja.Object), label, n)))
	}
	s.fail("a value of Go type %T cannot be saved", v)
	return 0
}

func (s *saver) float(f float64) uint64 {
	bits := math.Float64bits(f)
	if i, ok := s.floats[bits]; ok {
		return code(tagFloat, i)
	}
	i := uint64(len(s.p.Floats))
	s.floats[bits] = i
	s.p.Floats = append(s.p.Floats, f)
	return code(tagFloat, i)
}

func (s *saver) symbol(sym *goja.Symbol) uint64 {
	if i, ok := s.syms[sym]; ok {
		return i
	}
	i := uint64(len(s.p.Symbols))
	s.syms[sym] = i
	var rec [2]uint64
	if name, ok := s.b.symName[sym]; ok {
		rec = [2]uint64{0, s.str(name)}
	} else if k, err := s.b.keyFor(goja.Undefined(), sym); err == nil && !goja.IsUndefined(k) {
		rec = [2]uint64{1, s.str(k.String())}
	} else if d := *heap.SymbolOf(sym).Desc(); d != nil {
		rec = [2]uint64{2, s.str(d.String())}
	} else {
		rec = [2]uint64{3, 0}
	}
	s.p.Symbols = append(s.p.Symbols, rec)
	return i
}

// ref returns the number of object o, queueing it when first met.
func (s *saver) ref(o *goja.Object, label uint8, n uint64) uint32 {
	i, ok := s.objs.getOrPut(o, uint32(len(s.list)))
	if ok {
		return i
	}
	if s.track {
		s.objEdge = append(s.objEdge, edge{from: s.cur, label: label, n: n})
	}
	s.list = append(reserve(s.list, 1), o)
	return i
}

// reserve returns s with room for n more elements, doubling its capacity
// when it must grow. The walk's columns grow by millions of entries in a
// large world; append's own growth (a quarter at a time for large slices)
// would copy each of them about four times over and leave the copies to
// the collector, which costs a large save a third of its time and raises
// its peak memory.
func reserve[T any](s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	t := make([]T, len(s), max(2*cap(s), len(s)+n, 64))
	copy(t, s)
	return t
}

func (s *saver) stashRef(st *heap.Stash) uint64 {
	switch {
	case st == nil:
		return 0
	case st == s.global:
		return 1
	}
	if i, ok := s.stashes[st]; ok {
		return uint64(i) + 2
	}
	i := s.nStashes
	s.nStashes++
	s.stashes[st] = i
	if s.track {
		s.sEdge = append(s.sEdge, edge{from: s.cur, label: lScope})
		s.sList = append(s.sList, st)
	}
	s.squeue = append(s.squeue, st)
	return uint64(i) + 2
}

var objKinds = map[heap.Kind]objKind{
	heap.KindOrdinary: okOrdinary, heap.KindArray: okArray, heap.KindSparseArray: okSparseArray,
	heap.KindFunction: okFunction, heap.KindGeneratorFunction: okGeneratorFunction,
	heap.KindAsyncFunction: okAsyncFunction, heap.KindClass: okClass, heap.KindMethod: okMethod,
	heap.KindGeneratorMethod: okGeneratorMethod, heap.KindAsyncMethod: okAsyncMethod,
	heap.KindArrow: okArrow, heap.KindAsyncArrow: okAsyncArrow, heap.KindMap: okMap, heap.KindSet: okSet,
	heap.KindDate: okDate, heap.KindRegExp: okRegExp, heap.KindError: okError,
	heap.KindArrayBuffer: okArrayBuffer, heap.KindTypedArray: okTypedArray, heap.KindDataView: okDataView,
	heap.KindPrimitive: okPrimitive, heap.KindStringObject: okStringObject,
	heap.KindBound: okBound, heap.KindProxy: okProxy, heap.KindWeakMap: okWeakMap, heap.KindWeakSet: okWeakSet,
	heap.KindPromise: okPromise, heap.KindArguments: okArguments, heap.KindGenerator: okGenerator,
	heap.KindIterator: okIterator,
}

// notYet explains kinds that a later version will save.
var notYet = map[heap.Kind]string{
	heap.KindHost:      "Go value exposed to JavaScript (needs a native plugin)",
	heap.KindNative:    "native function that is not a built-in (needs a native plugin)",
	heap.KindTemplated: "built-in object that is not part of a fresh world",
}

// object writes the record of one object.
func (s *saver) object(o *goja.Object) {
	ob := &s.p.Objects
	ob.Extra = reserve(ob.Extra, 1)
	if name, ok := s.b.nameOf(o); ok {
		s.kinds8.add(byte(okIntrinsic))
		ob.Intrinsic = append(ob.Intrinsic, s.str(name))
		return
	}
	k := s.kinds.Kind(o)
	if k == heap.KindNative {
		if rec, ok := s.resolver(o); ok {
			s.kinds8.add(byte(okResolver))
			ob.Extra = append(ob.Extra, rec)
			return
		}
	}
	if k == heap.KindNative {
		if proxy, ok := heap.RevokedProxy(o); ok {
			s.kinds8.add(byte(okRevoke))
			s.properties(o, k)
			ob.Extra = append(ob.Extra, []uint64{s.value(proxy, lInternal, 0)})
			return
		}
	}
	if p, rec := s.nativeRecord(o); p != nil {
		if k != heap.KindOrdinary {
			s.kinds8.add(byte(okNative))
			ob.Extra = append(ob.Extra, []uint64{s.pluginIndex(p), s.value(rec, lInternal, 0)})
			return
		}
		idx := uint64(s.cur.idx)
		pi := s.pluginIndex(p)
		defer func() { s.p.Natives = append(s.p.Natives, idx, pi, s.value(rec, lInternal, 0)) }()
	}
	ok, known := objKinds[k]
	if !known {
		if why, has := notYet[k]; has {
			s.fail("%s", why)
		}
		s.fail("object of an unknown kind (%s) cannot be saved", heap.GoTypeName(o))
	}
	s.kinds8.add(byte(ok))
	if k == heap.KindProxy {
		ob.Extra = append(ob.Extra, s.proxy(o))
		return
	}
	s.properties(o, k)
	switch k {
	case heap.KindBound:
		ob.Extra = append(ob.Extra, s.bound(o))
	case heap.KindWeakMap, heap.KindWeakSet:
		ob.Extra = append(ob.Extra, s.weak(o))
	case heap.KindPromise:
		ob.Extra = append(ob.Extra, s.promise(o))
	case heap.KindArguments:
		ob.Extra = append(ob.Extra, []uint64{uint64(*heap.ArgumentsOf(o).Length())})
	case heap.KindGenerator:
		ob.Extra = append(ob.Extra, s.generator(o))
	case heap.KindIterator:
		extra := len(ob.Extra)
		ob.Extra = append(ob.Extra, s.iterator(o, extra))
	case heap.KindArray:
		a := heap.ArrayOf(o)
		s.arrLen.add(uint64(*a.Length()))
		s.arrLen.add(uint64(len(*a.Values())))
		s.arrLen.add(b2u(*a.LengthProp().Writable()))
		for i, e := range *a.Values() {
			s.elem(e, uint64(i))
		}
		if id, ok := heap.TemplateID(o); ok {
			s.template(id)
		}
	case heap.KindSparseArray:
		a := heap.SparseArrayOf(o)
		items := a.Items()
		s.arrLen.add(uint64(*a.Length()))
		s.arrLen.add(uint64(items.Len()))
		s.arrLen.add(b2u(*a.LengthProp().Writable()))
		for j := 0; j < items.Len(); j++ {
			it := items.At(j)
			s.elems.add(uint64(*it.Idx()))
			s.elem(*it.Value(), uint64(*it.Idx()))
		}
	case heap.KindMap, heap.KindSet:
		m := heap.MapOf(o)
		s.noteMapOwner(o, *m.M())
		size := *(*m.M()).Size()
		ext := make([]uint64, 1, 1+2*size)
		ext[0] = uint64(size)
		n := uint64(0)
		_ = (*m.M()).ForEachEntry(func(key, val goja.Value) error {
			ext = append(ext, s.value(key, lMapKey, n))
			if k == heap.KindMap {
				ext = append(ext, s.value(val, lMapValue, n))
			}
			n++
			return nil
		})
		ob.Extra = append(ob.Extra, ext)
	case heap.KindDate:
		ob.Extra = append(ob.Extra, []uint64{zigzag(*heap.DateOf(o).Msec())})
	case heap.KindRegExp:
		src, err1 := s.regexpSource(o)
		flags, err2 := s.regexpFlags(o)
		if err1 != nil || err2 != nil {
			s.fail("RegExp whose source or flags cannot be read")
		}
		ob.Extra = append(ob.Extra, []uint64{s.value(src, lInternal, 0), s.value(flags, lInternal, 0)})
	case heap.KindError:
		e := heap.ErrorOf(o)
		stack := e.Stack()
		ext := []uint64{b2u(*e.StackPropAdded()), uint64(stack.Len())}
		for j := 0; j < stack.Len(); j++ {
			f := stack.At(j)
			ref, ok := s.progs[*f.Prg()]
			if *f.Prg() == nil || !ok {
				ext = append(ext, 0, 0)
			} else {
				ext = append(ext, uint64(ref.script)+1, uint64(ref.index))
				s.programUsed(ref, false)
			}
			ext = append(ext, s.key(*f.FuncName()), uint64(*f.Pc()))
		}
		ob.Extra = append(ob.Extra, ext)
	case heap.KindArrayBuffer:
		ab := heap.ArrayBufferOf(o)
		ob.Extra = append(ob.Extra, []uint64{uint64(len(s.p.Buffers)), b2u(*ab.Detached())})
		s.p.Buffers = append(s.p.Buffers, *ab.Data())
	case heap.KindTypedArray:
		ta := heap.TypedArrayOf(o)
		ob.Extra = append(ob.Extra, []uint64{
			s.value(*(*ta.ViewedArrayBuf()).Val(), lInternal, 0), s.value(*ta.DefaultCtor(), lInternal, 0),
			uint64(*ta.Offset() * *ta.ElemSize()), uint64(*ta.Length())})
	case heap.KindDataView:
		dv := heap.DataViewOf(o)
		ob.Extra = append(ob.Extra, []uint64{s.value(*(*dv.ViewedArrayBuf()).Val(), lInternal, 0), uint64(*dv.ByteOffset()), uint64(*dv.ByteLen())})
	case heap.KindPrimitive:
		ob.Extra = append(ob.Extra, []uint64{s.value(*heap.PrimitiveOf(o).PValue(), lInternal, 0)})
	case heap.KindStringObject:
		ob.Extra = append(ob.Extra, []uint64{s.value(*heap.StringObjectOf(o).Value(), lInternal, 0)})
	default:
		if k.IsJSFunction() {
			ob.Extra = append(ob.Extra, s.function(o, k))
		}
	}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func (s *saver) elem(e goja.Value, i uint64) {
	if p := heap.AsProperty(e); p != nil {
		s.elems.add(codeElemProperty)
		s.elems.add(uint64(attrsOf(p)))
		if *p.Accessor() {
			s.elems.add(s.objOrUndef(*p.GetterFunc(), lElem, i))
			s.elems.add(s.objOrUndef(*p.SetterFunc(), lElem, i))
			return
		}
		s.elems.add(s.value(*p.Value(), lElem, i))
		return
	}
	s.elems.add(s.value(e, lElem, i))
}

// elemInto appends an element (a value, or a property record) to out.
func (s *saver) elemInto(out []uint64, e goja.Value, i uint64) []uint64 {
	if p := heap.AsProperty(e); p != nil {
		out = append(out, codeElemProperty, uint64(attrsOf(p)))
		if *p.Accessor() {
			return append(out, s.objOrUndef(*p.GetterFunc(), lElem, i), s.objOrUndef(*p.SetterFunc(), lElem, i))
		}
		return append(out, s.value(*p.Value(), lElem, i))
	}
	return append(out, s.value(e, lElem, i))
}

func attrsOf(p *heap.ValueProperty) byte {
	var a byte
	if *p.Writable() {
		a |= attrWritable
	}
	if *p.Enumerable() {
		a |= attrEnumerable
	}
	if *p.Configurable() {
		a |= attrConfigurable
	}
	if *p.Accessor() {
		a |= attrAccessor
	}
	return a
}

func (s *saver) objOrUndef(o *goja.Object, label uint8, n uint64) uint64 {
	if o == nil {
		return codeUndefined
	}
	return code(tagObject, uint64(s.ref(o, label, n)))
}

// hasOwnLength tells kinds whose "length" property is rebuilt from their state.
func hasOwnLength(k heap.Kind) bool {
	return k == heap.KindArray || k == heap.KindSparseArray || k == heap.KindStringObject
}

// properties writes the prototype, flags, shape and slots of o.
func (s *saver) properties(o *goja.Object, k heap.Kind) {
	ob := &s.p.Objects
	b := heap.BaseOf(o)
	proto := code(tagSpecial, specialNull)
	if *b.Prototype() != nil {
		proto = code(tagObject, uint64(s.ref(*b.Prototype(), lProto, 0)))
	}
	s.proto.add(proto)
	var flags byte
	if !*b.Extensible() {
		flags |= flagNotExtensible
	}
	interior := heap.InteriorLength(o)
	s.shapeBuf = s.shapeBuf[:0]
	s.shapeTmp = s.shapeTmp[:0]
	for _, name := range *b.PropNames() {
		v := (*b.Values())[name]
		if v == nil {
			continue
		}
		if name == "length" && hasOwnLength(k) {
			continue
		}
		ki := s.key(name)
		var attrs byte
		p := heap.AsProperty(v)
		switch m := heap.AsMapped(v); {
		case m != nil:
			attrs = attrsOf(&m.ValueProperty) | attrMapped
			s.mapped = append(s.mapped, pendingMapped{obj: s.cur.idx, key: ki, slot: *m.V(), attrs: attrs})
		case p == nil:
			attrs = attrPlain
			s.slots.add(s.value(v, lProp, ki))
		case *p.Accessor():
			attrs = attrsOf(p)
			s.slots.add(s.objOrUndef(*p.GetterFunc(), lGetter, ki))
			s.slots.add(s.objOrUndef(*p.SetterFunc(), lSetter, ki))
		default:
			attrs = attrsOf(p)
			if p == interior {
				attrs |= attrInterior
			}
			s.slots.add(s.value(*p.Value(), lProp, ki))
		}
		s.shapeTmp = append(s.shapeTmp, ki, uint64(attrs))
		s.shapeBuf = binary.AppendUvarint(s.shapeBuf, ki)
		s.shapeBuf = append(s.shapeBuf, attrs)
	}
	si, ok := s.shapes[string(s.shapeBuf)]
	if !ok {
		si = uint64(len(s.p.Shapes))
		s.shapes[string(s.shapeBuf)] = si
		s.p.Shapes = append(s.p.Shapes, append([]uint64(nil), s.shapeTmp...))
	}
	s.shape.add(si)
	if *b.SymValues() != nil && *(*b.SymValues()).Size() > 0 {
		flags |= flagSymbols
		ob.SymProps = append(ob.SymProps, uint64(*(*b.SymValues()).Size()))
		_ = (*b.SymValues()).ForEachEntry(func(key, v goja.Value) error {
			si := s.symbol(key.(*goja.Symbol))
			kc := code(tagSymbol, si)
			if p := heap.AsProperty(v); p == nil {
				ob.SymProps = append(ob.SymProps, kc, attrPlain, s.value(v, lSymProp, si))
			} else if *p.Accessor() {
				ob.SymProps = append(ob.SymProps, kc, uint64(attrsOf(p)), s.objOrUndef(*p.GetterFunc(), lSymProp, si), s.objOrUndef(*p.SetterFunc(), lSymProp, si))
			} else {
				ob.SymProps = append(ob.SymProps, kc, uint64(attrsOf(p)), s.value(*p.Value(), lSymProp, si))
			}
			return nil
		})
	}
	if s.privateElements(o) {
		flags |= flagPrivate
	}
	s.flags.add(flags)
}

// function returns the extra record of a JS function:
// program (script+1, index; 0,0 for none), source mode and string, scope,
// strict, then kind-specific fields.
func (s *saver) function(o *goja.Object, k heap.Kind) []uint64 {
	f := heap.JSFuncOf(o)
	var ext []uint64
	ext = append(ext, s.program(*f.Prg())...)
	s.checkEvalFunction(*f.Prg(), *f.Stash())
	srcOf := *f.Prg()
	if k == heap.KindClass && srcOf == nil {
		srcOf = *heap.ClassOf(o).InitFields()
	}
	if srcOf != nil && s.progSrc[srcOf] == *f.Src() {
		ext = append(ext, 0, 0)
	} else {
		ext = append(ext, 1, s.str(*f.Src()))
	}
	ext = append(ext, s.stashRef(*f.Stash()), b2u(*f.Strict()), s.privEnv(*f.PrivEnv()))
	// A function with scopes of its own or private names reads them at
	// the slots and indices its compiled code says.
	closure := (*f.Stash() != nil && *f.Stash() != s.global) || *f.PrivEnv() != nil
	if closure {
		s.codeDepends(*f.Prg())
	}
	switch k {
	case heap.KindMethod, heap.KindGeneratorMethod, heap.KindAsyncMethod:
		ext = append(ext, s.objOrUndef(*heap.MethodOf(o).HomeObject(), lHome, 0))
	case heap.KindArrow, heap.KindAsyncArrow:
		if s.arrowReadsArguments(*f.Prg(), *f.Src()) {
			s.fail("arrow function reads its parent's arguments (goja cannot restore it)")
		}
		a := heap.ArrowOf(o)
		nt := codeNone
		if *a.NewTarget() != nil {
			nt = s.value(*a.NewTarget(), lInternal, 0)
		}
		ext = append(ext, s.objOrUndef(*a.FuncObj(), lInternal, 0), nt)
	case heap.KindClass:
		c := heap.ClassOf(o)
		ext = append(ext, s.brand(*c.PrivateEnvType()), s.methodArray(*c.PrivateMethods()))
		ext = append(ext, s.program(*c.InitFields())...)
		if closure {
			s.codeDepends(*c.InitFields())
		}
		ext = append(ext, b2u(*c.Derived()), uint64(len(*c.ComputedKeys())))
		for i, ck := range *c.ComputedKeys() {
			ext = append(ext, s.value(ck, lInternal, uint64(i)))
		}
	}
	return ext
}

func (s *saver) program(p *goja.Program) []uint64 {
	if p == nil {
		return []uint64{0, 0}
	}
	ref, ok := s.progs[p]
	if !ok {
		if ref, ok = s.evalProgram(p, ""); !ok {
			s.fail("function created by direct eval (cannot be restored)")
		}
	}
	s.programUsed(ref, false)
	return []uint64{uint64(ref.script) + 1, uint64(ref.index)}
}

func describeFunc(o *goja.Object, k heap.Kind) string {
	name := ""
	if b := heap.BaseOf(o); *b.Values() != nil {
		if v := (*b.Values())["name"]; v != nil {
			if p := heap.AsProperty(v); p != nil && !*p.Accessor() && *p.Value() != nil {
				name = (*p.Value()).String()
			}
		}
	}
	if name == "" {
		return k.String()
	}
	return fmt.Sprintf("%s %s", k, name)
}

// stash writes the record of one captured scope:
// outer, funcType, with-object, n, values..., n, extraArgs..., names flag, n, (name, flags)...
func (s *saver) stash(st *heap.Stash) {
	rec := []uint64{s.stashRef(*st.Outer()), uint64(*st.FuncType())}
	if *st.Obj() != nil {
		rec = append(rec, code(tagObject, uint64(s.ref(*st.Obj(), lInternal, 0))))
	} else {
		rec = append(rec, codeNone)
	}
	rec = append(rec, uint64(len(*st.Values())))
	for i, v := range *st.Values() {
		rec = append(rec, s.value(v, lStashSlot, uint64(i)))
	}
	rec = append(rec, uint64(len(*st.ExtraArgs())))
	for i, v := range *st.ExtraArgs() {
		rec = append(rec, s.value(v, lStashSlot, uint64(len(*st.Values())+i)))
	}
	if *st.Names() == nil {
		rec = append(rec, 0)
	} else {
		rec = append(rec, 1, uint64(len(*st.Names())))
		for _, name := range sortedNames(*st.Names()) {
			rec = append(rec, s.key(name), uint64((*st.Names())[name]))
		}
	}
	s.p.Stashes = append(s.p.Stashes, rec)
}

func sortedNames(m map[unistring.String]uint32) []unistring.String {
	out := make([]unistring.String, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortUnistrings(out)
	return out
}

// roots records the changes to built-ins, the global lexical bindings and the hooks.
func (s *saver) roots() {
	s.patches()
	for i, bnd := range heap.GlobalBindings(s.rt) {
		ni := s.str(bnd.Name)
		s.cur = node{}
		s.p.Roots.Globals = append(s.p.Roots.Globals, ni, b2u(bnd.Const), s.rootValue(bnd.Value, lRootGlobal, ni))
		_ = i
	}
	h := s.v.Hooks()
	for i, f := range h.OnSave {
		s.p.Roots.OnSave = append(s.p.Roots.OnSave, s.rootValue(f, lRootHook, uint64(i)<<2))
	}
	for i, f := range h.OnResume {
		s.p.Roots.OnResume = append(s.p.Roots.OnResume, s.rootValue(f, lRootHook, uint64(i)<<2|1))
	}
	s.p.Roots.Main = codeNone
	if h.Main != nil {
		s.p.Roots.Main = s.rootValue(h.Main, lRootHook, 2)
	}
	// The stasis.saveImage call that is saving this world is itself in the
	// image: its promise (with whatever awaits it) resolves on resume.
	s.p.Roots.Saving = codeNone
	if p, path := s.v.SavingPromise(); p != nil {
		s.p.Roots.Saving = s.rootValue(p, lRootHook, 3)
		s.p.Roots.SavePath = s.str(path)
	}
	s.pluginStates()
}

// rootValue codes a value reached from a root rather than from another node.
func (s *saver) rootValue(v goja.Value, label uint8, n uint64) uint64 {
	before := len(s.objEdge)
	c := s.value(v, label, n)
	if s.track && len(s.objEdge) > before {
		s.objEdge[before].root = true
	}
	return c
}

// patches compares every built-in object with its pristine state and
// records what the world changed.
func (s *saver) patches() {
	b := s.b
	r := &s.p.Roots
	for i, o := range b.objects {
		if b.live[o] {
			continue
		}
		idx := s.ref(o, lInternal, 0)
		s.cur = node{idx: idx}
		oi := code(tagObject, uint64(idx))
		now, err := b.ownProps(o)
		if err != nil {
			s.fail("built-in %s cannot be read: %v", b.nameList[i], err)
		}
		if was := b.props[i]; !sameProps(was, now) {
			s.propPatches(oi, was, now)
		}
		po, ext := b.protoAndExtensible(o)
		if po != b.proto[i] {
			var pv goja.Value = goja.Null()
			if po != nil {
				pv = po
			}
			r.Patches = append(r.Patches, patchProto, oi, s.value(pv, lProto, 0))
		}
		if !ext && b.ext[i] {
			r.Patches = append(r.Patches, patchNonExtensible, oi)
		}
	}
}

// sameProps tells whether a built-in's own properties are as they were,
// in the same order (as most built-ins of most worlds are).
func sameProps(was, now []propSnap) bool {
	if len(was) != len(now) {
		return false
	}
	for i := range was {
		if was[i].key != now[i].key || !was[i].same(now[i]) {
			return false
		}
	}
	return true
}

// propPatches records how the own properties of the built-in coded oi
// changed from was to now: the properties deleted, then those added or
// changed, in now's order.
func (s *saver) propPatches(oi uint64, was, now []propSnap) {
	r := &s.p.Roots
	wasByKey := make(map[propKey]propSnap, len(was))
	for _, p := range was {
		wasByKey[p.key] = p
	}
	nowKeys := make(map[propKey]bool, len(now))
	for _, p := range now {
		nowKeys[p.key] = true
	}
	for _, p := range was {
		if !nowKeys[p.key] {
			r.Patches = append(r.Patches, patchDelete, oi, s.keyCode(p.key))
		}
	}
	for _, p := range now {
		if old, ok := wasByKey[p.key]; ok && old.same(p) {
			continue
		}
		kc := s.keyCode(p.key)
		label, n := uint8(lProp), kc>>3
		if kc&7 == tagSymbol {
			label = lSymProp
		}
		var attrs byte
		if p.writable {
			attrs |= attrWritable
		}
		if p.enumerable {
			attrs |= attrEnumerable
		}
		if p.configurable {
			attrs |= attrConfigurable
		}
		if p.accessor {
			attrs |= attrAccessor
			r.Patches = append(r.Patches, patchDefine, oi, kc, uint64(attrs),
				s.value(p.get, lGetter, n), s.value(p.set, lSetter, n))
		} else {
			r.Patches = append(r.Patches, patchDefine, oi, kc, uint64(attrs), s.value(p.value, label, n))
		}
	}
}

func (s *saver) keyCode(k propKey) uint64 {
	if k.sym != nil {
		return code(tagSymbol, s.symbol(k.sym))
	}
	return s.value(k.value(s.rt), lInternal, 0)
}

// path names node n by the way the walk first reached it, from a root.
func (s *saver) path(n node) string {
	var parts []string
	for depth := 0; depth < 200; depth++ {
		var e edge
		if n.stash {
			e = s.sEdge[n.idx]
		} else {
			if int(n.idx) >= len(s.objEdge) {
				break
			}
			if name, ok := s.b.nameOf(s.list[n.idx]); ok {
				parts = append(parts, name)
				break
			}
			e = s.objEdge[n.idx]
		}
		parts = append(parts, s.namedLabel(n, e))
		if e.root {
			break
		}
		n = e.from
	}
	var buf bytes.Buffer
	for i := len(parts) - 1; i >= 0; i-- {
		buf.WriteString(parts[i])
	}
	return buf.String()
}

func (s *saver) label(e edge) string {
	switch e.label {
	case lProp:
		return propLabel(s.p.Strings[e.n])
	case lSymProp:
		return "[" + s.symbolName(e.n) + "]"
	case lGetter:
		return propLabel(s.p.Strings[e.n]) + "<get>"
	case lSetter:
		return propLabel(s.p.Strings[e.n]) + "<set>"
	case lElem:
		return "[" + strconv.FormatUint(e.n, 10) + "]"
	case lProto:
		return ".__proto__"
	case lMapKey:
		return ".<key " + strconv.FormatUint(e.n, 10) + ">"
	case lMapValue:
		return ".<value " + strconv.FormatUint(e.n, 10) + ">"
	case lStashSlot:
		return ".<closure var " + strconv.FormatUint(e.n, 10) + ">"
	case lScope:
		return ".<scope>"
	case lHome:
		return ".<home object>"
	case lRootGlobal:
		return s.p.Strings[e.n]
	case lRootHook:
		switch e.n & 3 {
		case 0:
			return "stasis.onSave[" + strconv.FormatUint(e.n>>2, 10) + "]"
		case 1:
			return "stasis.onResume[" + strconv.FormatUint(e.n>>2, 10) + "]"
		case 3:
			return "stasis.saveImage()"
		}
		return "stasis.main"
	case lFrameSlot:
		return ".<suspended " + s.frameName(e.n>>32) + ">[" + strconv.FormatUint(e.n&(1<<32-1), 10) + "]"
	case lFrameScope:
		return ".<suspended " + s.frameName(e.n) + ">.<scope>"
	case lRootPlugin:
		if int(e.n) < len(s.plugins) {
			return "<plugin " + s.plugins[e.n].Name() + ">"
		}
	}
	return ".<internal>"
}

func (s *saver) symbolName(i uint64) string {
	rec := s.p.Symbols[i]
	switch rec[0] {
	case 0:
		return s.p.Strings[rec[1]]
	case 1, 2:
		return "Symbol(" + s.p.Strings[rec[1]] + ")"
	}
	return "Symbol()"
}

func propLabel(k string) string {
	if isIdentifier(k) {
		return "." + k
	}
	if _, err := strconv.ParseUint(k, 10, 32); err == nil {
		return "[" + k + "]"
	}
	return "[" + strconv.Quote(k) + "]"
}

func isIdentifier(k string) bool {
	if k == "" {
		return false
	}
	for i, r := range k {
		if r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= utf8.RuneSelf || i > 0 && r >= '0' && r <= '9' {
			continue
		}
		return false
	}
	return true
}

// mentionsArguments reports whether src uses the identifier "arguments".
// goja gives an arrow function that reads its parent's arguments a broken
// view of them (see GOJA-INTERNALS §4), so such arrows are refused rather
// than saved into a world that behaves differently.
func mentionsArguments(src string) bool {
	for i := 0; ; {
		j := strings.Index(src[i:], "arguments")
		if j < 0 {
			return false
		}
		j += i
		end := j + len("arguments")
		before := j == 0 || !isIdentByte(src[j-1])
		after := end >= len(src) || !isIdentByte(src[end])
		if before && after {
			return true
		}
		i = end
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
