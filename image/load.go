package image

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/internal/loadgc"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// Load reads an image from r and returns the world it holds, in a new VM.
// Nothing runs: no hooks, no main (see Resume). A corrupt, truncated,
// foreign or incompatible image is refused with an error; Load never returns
// a partly built world.
//
// The world's VM is made (NewWorld, which runs opts.VM's Setup functions)
// on another goroutine while the image is read and decoded; Load returns
// only once that goroutine is done.
func Load(r io.Reader, opts LoadOptions) (*vm.VM, *Meta, error) {
	world := startWorld(opts.VM)
	meta, payload, err := readImage(r, opts.Limits)
	if err != nil {
		world.discard()
		return nil, nil, err
	}
	// The layout check is left to NewWorld where the image does not need
	// its fingerprint: a program that runs it on another goroutine
	// (Prepare) then makes the VM and decodes the payload meanwhile.
	if err := checkCompatible(meta, meta.Code == nil); err != nil {
		world.discard()
		return nil, meta, err
	}
	v, err := decodeWorld(payload, opts, meta, world)
	return v, meta, err
}

// LoadFile loads the image at path (see Load), or the image of the bundle
// at path (an executable made by WriteBundle): every command that takes an
// image takes a bundle.
func LoadFile(path string, opts LoadOptions) (*vm.VM, *Meta, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		sec, bundle, err := BundledImage(f, fi.Size())
		if err != nil {
			return nil, nil, err
		}
		if bundle {
			return Load(sec, opts)
		}
	}
	return Load(f, opts)
}

// ErrIncompatible reports an image that this build cannot resume as it was
// saved: its code compiles differently here, or it needs a plugin or a
// built-in script of another build.
var ErrIncompatible = errors.New("image is incompatible with this build")

// CheckCompatible refuses, from its metadata alone, an image this build
// cannot load. An image with a code record (format 1.2 on) is loaded with
// any supported goja, and refused at load only if the state it holds
// depends on code that compiles differently here (see samecode.go); an
// older image only with the heap layout it was made with.
func CheckCompatible(m *Meta) error { return checkCompatible(m, true) }

// checkCompatible is CheckCompatible; the layout check (which fails for a
// goja this build cannot read, whatever the image) is made only if layout.
func checkCompatible(m *Meta, layout bool) error {
	if layout {
		if err := heap.Check(); err != nil {
			return err
		}
	}
	if m.Code == nil && m.Layout != heap.Fingerprint() {
		return fmt.Errorf("%w: it was made with goja %s (heap layout %s) by Stasis %s; this build has goja %s (heap layout %s): rebuild the image from its scripts",
			ErrIncompatible, m.GojaVersion, m.Layout, m.StasisVersion, heap.GojaVersion(), heap.Fingerprint())
	}
	return nil
}

// missingBuiltin refuses an image that uses a built-in this build lacks:
// as made with another goja (which has it), or as corrupt.
func (l *loader) missingBuiltin(name string) {
	if l.meta != nil && !sameGoja(l.meta.GojaVersion) {
		panic(&pluginError{fmt.Errorf("%w: the world uses the built-in %s, which this goja (%s) does not have; the image was made with %s",
			ErrIncompatible, name, heap.GojaVersion(), l.meta.GojaVersion)})
	}
	l.failf("this build has no built-in %q", name)
}

// corrupt is a decoding failure; it carries a message that says where.
type corrupt struct{ msg string }

func (l *loader) failf(format string, args ...any) {
	panic(&corrupt{fmt.Sprintf(format, args...)})
}

// DecodePayload builds a world from an image payload made by this build.
// The world does not keep data (a copy of it, which its scripts' sources
// and stored code are left in: format.Decode).
func DecodePayload(data []byte, opts LoadOptions) (*vm.VM, error) {
	return decodeWorld(bytes.Clone(data), opts, nil, nil)
}

// decodeWorld builds a world from the payload of an image whose metadata
// is meta (nil: a payload of this build, whose code needs no check). What
// an image of a newer format version holds that this build cannot make
// sense of is refused as format.ErrNewerVersion, naming both versions.
// world is the world being made for it (nil: decodeWorld starts making it).
func decodeWorld(data []byte, opts LoadOptions, meta *Meta, world *pendingWorld) (*vm.VM, error) {
	ver := format.Current
	if meta != nil {
		ver = meta.Version
	}
	if world == nil {
		world = startWorld(opts.VM)
	}
	v, err := decodePayload(data, opts, meta, ver, world)
	return v, format.AsNewer(ver, err)
}

func decodePayload(data []byte, opts LoadOptions, meta *Meta, ver format.Version, world *pendingWorld) (*vm.VM, error) {
	// The scripts' programs are made on other goroutines from the moment
	// the payload's scripts and code sections are decoded, while the rest
	// of the payload, the world and its objects are (load waits for them
	// before filling objects).
	var jobs []*scriptJob
	p, err := format.DecodeScriptsFirst(data, opts.Limits, ver, func(p *format.Payload) {
		jobs = startScripts(p, opts.CompileSource, len(data))
	})
	if err != nil {
		world.discard()
		return nil, err
	}
	defer loadgc.Pause(worldBytes(p, len(data)))()
	v, err := world.wait()
	if err != nil {
		return nil, err
	}
	b, _ := baselineOf(v)
	l := &loader{v: v, rt: v.Runtime(), b: b, p: p, lim: opts.Limits.WithDefaults(), meta: meta,
		compileSource: opts.CompileSource, jobs: jobs}
	// Every saved timer is armed from one instant, so they keep their order.
	v.Loop().Freeze()
	defer v.Loop().Thaw()
	err = v.Try("load", func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				switch x := r.(type) {
				case *corrupt:
					err = fmt.Errorf("%w: %s", ErrCorrupt, x.msg)
				case *pluginError:
					err = x.err
				default:
					panic(r)
				}
			}
		}()
		return l.load()
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// worldBytes estimates what building the world of payload p (size bytes
// unpacked) allocates, for the collector's settings during the load
// (loadgc.Pause): at least 256 bytes an object (an ordinary object with
// properties takes 456: goja's Object, its baseObject and a property map
// of one group; a world of 200,000 records allocates 480 an object), and
// at most about 512 an object and 32 a byte of the payload (a value
// coded in a byte is an interface of 16 bytes, and its box or slot).
func worldBytes(p *payload, size int) (expect, bound uint64) {
	n := uint64(len(p.Objects.Kinds))
	return 256 * n, 512*n + 32*uint64(size)
}

type loader struct {
	v   *vm.VM
	rt  *goja.Runtime
	b   *baseline
	p   *payload
	lim format.Limits
	// meta is the image's metadata, nil for a payload of this build.
	meta *Meta
	// compileSource ignores the image's stored code (LoadOptions).
	compileSource bool
	// jobs make the scripts' programs (startScripts).
	jobs []*scriptJob

	strVals  []goja.Value
	keys     []unistring.String
	keySet   []bool
	syms     []*goja.Symbol
	objs     []*goja.Object
	stashes  []*heap.Stash
	progs    [][]heap.ProgramInfo
	ff       *heap.FunctionFactory
	global   *heap.Stash
	extraAt  []int32              // per object, its record in Objects.Extra, or -1
	shapeKs  [][]unistring.String // per shape, its keys, once checked (shapeKeys)
	shapeLen []bool               // per shape, whether "length" is among its keys
	// Per shape, without and with an interior length property (kept), its
	// property map's keys and template and its shared names (shapeMapOf).
	shapeMaps [2][]*shapeMap
	names     []unistring.String            // shapeMapOf's buffer
	seenKeys  map[unistring.String]struct{} // shapeKeys' set, for large shapes
	objects   *heap.ObjectMaker
	// protoRoots are the objects whose prototype fillObjects set to an
	// object of the image other than a built-in: checkGraph's starts.
	protoRoots []*goja.Object
	vals       []goja.Value // a property map's values, being gathered
	nums       *heap.Numbers
	strs       *heap.Strings
	collsSlow  int               // entries added through set (slowCollectionEntries)
	colls      *heap.Collections // fills Maps and Sets beyond collsSlow's entries
	collKeys   []goja.Value      // a collection's keys, being gathered
	collVals   []goja.Value      // and its values
	// An object's private elements, being gathered (fillPrivate).
	privBrands []*heap.PrivateEnvType
	privElems  []*heap.PrivateElements
	plugins    []natives.Plugin

	programsOf   map[*vm.Script][]heap.ProgramInfo
	promiseParts map[int]promiseParts
	asyncMaker   goja.Callable

	frames   []*heap.ExecCtx
	made     map[*heap.Stash]madeBy
	progLocs map[*goja.Program]progLoc
	// scopeMaps holds, per script and program, the program's scope
	// analysis, once checkScopes needed it.
	scopeMaps [][]*heap.ScopeMap
	makerBuf  []*heap.ScopeMaker // checkChain's buffer

	creating     []bool
	brands       []*heap.PrivateEnvType
	privEnvs     []*heap.PrivateEnv
	missing      map[uint64]string // built-ins of the image this build lacks, by object
	methodArrays [][]goja.Value
	blankRegExp  *goja.Object // see regexpCache.newRegExp
}

func (l *loader) load() error {
	p := l.p
	l.global = heap.GlobalStash(l.rt)
	l.nums = heap.NewNumbers(l.rt)
	l.strs = heap.NewStrings(l.rt)
	l.programsOf = map[*vm.Script][]heap.ProgramInfo{}
	l.v.SetAttachment(programsKey{}, l.programsOf)
	l.strVals = make([]goja.Value, len(p.Strings))
	l.keys = make([]unistring.String, len(p.Strings))
	l.keySet = make([]bool, len(p.Strings))
	// Nothing before the scripts are registered compiles a script (the
	// scripts of the image take the next places of the registry) or
	// needs a program.
	before := len(l.v.Scripts().All())
	if err := l.matchPlugins(); err != nil {
		return err
	}
	ff, err := heap.NewFunctionFactory(l.rt)
	if err != nil {
		return err
	}
	l.ff = ff
	l.symbols()
	l.createObjects()
	if n := len(l.v.Scripts().All()); n != before {
		return fmt.Errorf("%d scripts were compiled while the world's objects were made", n-before)
	}
	if err := l.scripts(); err != nil {
		return err
	}
	if err := l.checkCode(); err != nil {
		return err
	}
	l.createPrivate()
	l.stashes = make([]*heap.Stash, len(p.Stashes))
	for i := range l.stashes {
		l.stashes[i] = heap.NewStash()
	}
	for i, rec := range p.Stashes {
		l.fillStash(i, rec)
	}
	l.fillObjects()
	l.fillIterators()
	l.fillMapped()
	l.fillTemplates()
	// Cycles first: the scope checks follow chains of scopes.
	l.checkGraph()
	l.checkScopes()
	l.applyRoots()
	l.rebindNatives()
	l.resumeSaving()
	return nil
}

// scripts registers the payload's scripts in the world, in order, with
// the programs their jobs made (built-in scripts are the world's own).
func (l *loader) scripts() error {
	for i, sc := range l.p.Scripts {
		if sc.Digest != nil {
			s := builtinScript(l.v, sc.Name, sc.Digest, sc.Strict)
			if s == nil {
				return fmt.Errorf("%w: it uses the built-in script %s of another Stasis build: rebuild the image from its scripts", ErrIncompatible, sc.Name)
			}
			infos := heap.Programs(s.Program)
			l.progs = append(l.progs, infos)
			l.programsOf[s] = infos
			continue
		}
		j := l.jobs[i]
		<-j.done
		c, err := j.c, j.err
		switch {
		case err == nil:
		case j.code != nil:
			return fmt.Errorf("%w: script %d (%s): stored code: %v", ErrCorrupt, i, sc.Name, err)
		case l.meta != nil && !sameGoja(l.meta.GojaVersion):
			// goja versions differ in what they accept (an older one
			// fails on a source map comment it cannot follow).
			return fmt.Errorf("%w: script %s does not compile with this goja (%s): %v; the image was made with %s",
				ErrIncompatible, sc.Name, heap.GojaVersion(), err, l.meta.GojaVersion)
		default:
			return fmt.Errorf("%w: script %d (%s) does not compile: %v", ErrCorrupt, i, sc.Name, err)
		}
		script := l.v.Scripts().Insert(sc.Name, sc.Source, sc.Strict, c.prg)
		if j.code != nil {
			rememberCode(l.v, script, j.code)
		}
		l.progs = append(l.progs, c.infos)
		l.programsOf[script] = c.infos
	}
	return nil
}

// resumeSaving arranges for the stasis.saveImage call that made the image to
// return a second time, now in the resumed world: its promise resolves with
// {resumed: true, path} as the first task of the event loop, after the
// resume hooks, main and any scripts have run.
func (l *loader) resumeSaving() {
	r := l.p.Roots
	if r.Saving == codeNone {
		return
	}
	parts := l.partsOf(r.Saving)
	if *heap.PromiseOf(l.object(r.Saving)).State() != goja.PromiseStatePending {
		l.failf("the saving stasis.saveImage promise is already settled")
	}
	path := l.str(r.SavePath)
	resolve, ok := goja.AssertFunction(parts.resolve)
	if !ok {
		l.failf("the saving stasis.saveImage promise has no resolve function")
	}
	rt := l.rt
	l.v.Loop().Post(func() error {
		res := rt.NewObject()
		_ = res.Set("resumed", true)
		_ = res.Set("path", path)
		_, err := resolve(goja.Undefined(), res)
		return err
	})
}

func (l *loader) str(i uint64) string {
	if i >= uint64(len(l.p.Strings)) {
		l.failf("string %d out of range", i)
	}
	return l.p.Strings[i]
}

// strValue returns the JS string for index i, made once.
func (l *loader) strValue(i uint64) goja.Value {
	s := l.str(i)
	if v := l.strVals[i]; v != nil {
		return v
	}
	var v goja.Value
	if u, ok := l.p.Lone[i]; ok {
		v = goja.StringFromUTF16(u)
	} else {
		v = l.strs.Value(s)
	}
	l.strVals[i] = v
	return v
}

// key returns the property name for string index i.
func (l *loader) key(i uint64) unistring.String {
	s := l.str(i)
	if l.keySet[i] {
		return l.keys[i]
	}
	var k unistring.String
	if u, ok := l.p.Lone[i]; ok {
		k = unistring.FromUtf16(append([]uint16{0xFEFF}, u...))
		if len(u) > 0 && !hasNonASCII(u) {
			k = unistring.String(s)
		}
	} else {
		k = unistring.NewFromString(s)
	}
	l.keys[i], l.keySet[i] = k, true
	return k
}

func hasNonASCII(u []uint16) bool {
	for _, c := range u {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func (l *loader) symbols() {
	for i, rec := range l.p.Symbols {
		var sym *goja.Symbol
		switch rec[0] {
		case 0:
			sym = l.b.symByNm[l.str(rec[1])]
			if sym == nil {
				l.failf("symbol %d: no built-in symbol %q", i, l.str(rec[1]))
			}
		case 1:
			v, err := l.b.symbolFor(goja.Undefined(), l.strValue(rec[1]))
			if err != nil {
				return
			}
			sym = v.(*goja.Symbol)
		case 2:
			v, _ := l.b.symbolCtor(goja.Undefined(), l.strValue(rec[1]))
			sym = v.(*goja.Symbol)
		case 3:
			v, _ := l.b.symbolCtor(goja.Undefined())
			sym = v.(*goja.Symbol)
		default:
			l.failf("symbol %d: unknown kind %d", i, rec[0])
		}
		l.syms = append(l.syms, sym)
	}
}

// value decodes a value code.
// some is value for a place that must hold one: "none" (a hole, an
// uninitialised binding) there is refused, as goja would dereference it.
func (l *loader) some(c uint64, i int, what string) goja.Value {
	v := l.value(c)
	if v == nil {
		l.failf("object %d: %s is missing", i, what)
	}
	return v
}

func (l *loader) value(c uint64) goja.Value {
	n := c >> 3
	switch c & 7 {
	case tagObject:
		if n >= uint64(len(l.objs)) {
			l.failf("object %d out of range", n)
		}
		if l.objs[n] == nil {
			if name, ok := l.missing[n]; ok {
				l.missingBuiltin(name)
			}
			l.createLate(int(n))
		}
		return l.objs[n]
	case tagString:
		return l.strValue(n)
	case tagInt:
		return l.nums.Int(int64(n))
	case tagNegInt:
		return l.nums.Int(-int64(n) - 1)
	case tagFloat:
		if n >= uint64(len(l.p.Floats)) {
			l.failf("float %d out of range", n)
		}
		return l.nums.Float(l.p.Floats[n])
	case tagSymbol:
		if n >= uint64(len(l.syms)) {
			l.failf("symbol %d out of range", n)
		}
		return l.syms[n]
	case tagSpecial:
		switch n {
		case specialNone:
			return nil
		case specialUndefined:
			return goja.Undefined()
		case specialNull:
			return goja.Null()
		case specialFalse:
			return l.rt.ToValue(false)
		case specialTrue:
			return l.rt.ToValue(true)
		}
		l.failf("unknown special value %d", n)
	case tagBigInt:
		if n >= uint64(len(l.p.BigInts)) {
			l.failf("BigInt %d out of range", n)
		}
		z, ok := new(big.Int).SetString(l.p.BigInts[n], 16)
		if !ok {
			l.failf("BigInt %d is malformed", n)
		}
		return l.rt.ToValue(z)
	}
	return nil
}

// object decodes an object code (undefined means none).
func (l *loader) object(c uint64) *goja.Object {
	if c == codeUndefined || c == codeNone || c == code(tagSpecial, specialNull) {
		return nil
	}
	o, ok := l.value(c).(*goja.Object)
	if !ok {
		l.failf("value %d is not an object", c)
	}
	return o
}

// cursor reads a column sequentially with bounds checks.
type cursor struct {
	l *loader
	// name and num say what the cursor reads, for messages: "slots", or
	// "function 12" (num is 13: the number plus one, 0 for none). The
	// message is made only when a read fails: a load makes a cursor per
	// function, stash and promise.
	name string
	num  int
	s    []uint64
	i    int
}

// where names what the cursor reads.
func (c *cursor) where() string {
	if c.num == 0 {
		return c.name
	}
	return fmt.Sprintf("%s %d", c.name, c.num-1)
}

func (c *cursor) next() uint64 {
	if c.i >= len(c.s) {
		c.l.failf("%s: column ends early", c.where())
	}
	c.i++
	return c.s[c.i-1]
}

func (c *cursor) count(max int) int {
	n := c.next()
	if n > uint64(max) {
		c.l.failf("%s: count %d too large", c.where(), n)
	}
	return int(n)
}

var ctorNames = map[objKind]string{
	okMap: "globalThis.Map", okSet: "globalThis.Set", okDate: "globalThis.Date", okError: "globalThis.Error",
	okRegExp: "globalThis.RegExp", okWeakMap: "globalThis.WeakMap", okWeakSet: "globalThis.WeakSet",
	okProxy: "globalThis.Proxy",
}

func (l *loader) ctor(k objKind) *goja.Object {
	o := l.b.object(ctorNames[k])
	if o == nil {
		l.failf("built-in %s is missing", ctorNames[k])
	}
	return o
}

var funcKinds = map[objKind]heap.Kind{
	okFunction: heap.KindFunction, okGeneratorFunction: heap.KindGeneratorFunction,
	okAsyncFunction: heap.KindAsyncFunction, okClass: heap.KindClass, okMethod: heap.KindMethod,
	okGeneratorMethod: heap.KindGeneratorMethod, okAsyncMethod: heap.KindAsyncMethod,
	okArrow: heap.KindArrow, okAsyncArrow: heap.KindAsyncArrow,
}

// funcKindOf is funcKinds as an array: a load asks it for every object,
// and a map's look-up (hashing the kind) was 7% of a load of many small
// objects.
var funcKindOf = func() (t [numObjKinds]struct {
	kind heap.Kind
	ok   bool
}) {
	for k, fk := range funcKinds {
		t[k].kind, t[k].ok = fk, true
	}
	return t
}()

// funcKind returns the kind of function objects of kind k make, if they
// are functions.
func funcKind(k objKind) (heap.Kind, bool) {
	if k >= numObjKinds {
		return 0, false
	}
	e := funcKindOf[k]
	return e.kind, e.ok
}

// createObjects makes every object of the image (empty), in two rounds:
// views on buffers need their buffer first.
func (l *loader) createObjects() {
	ob := &l.p.Objects
	l.objs = make([]*goja.Object, len(ob.Kinds))
	extra := 0
	intrinsic := 0
	// Per object, the index of its extra record (most objects have none:
	// an index is 4 bytes where a slice header per object was 24).
	if len(ob.Extra) > math.MaxInt32 {
		l.failf("%d extra records", len(ob.Extra))
	}
	extraAt := make([]int32, len(ob.Kinds))
	for i, kb := range ob.Kinds {
		k := objKind(kb)
		if k >= numObjKinds {
			l.failf("object %d: unknown kind %d", i, k)
		}
		if k.HasExtra() {
			if extra >= len(ob.Extra) {
				l.failf("object %d: extra records end early", i)
			}
			extraAt[i] = int32(extra)
			extra++
		} else {
			extraAt[i] = -1
		}
	}
	l.extraAt = extraAt
	rt := l.rt
	l.objects = heap.NewObjectMaker(rt)
	for i, kb := range ob.Kinds {
		k := objKind(kb)
		ext := l.extra(i)
		need := func(n int) {
			if len(ext) < n {
				l.failf("object %d: record too short", i)
			}
		}
		var o *goja.Object
		var err error
		switch k {
		case okIntrinsic:
			if intrinsic >= len(ob.Intrinsic) {
				l.failf("object %d: intrinsic names end early", i)
			}
			name := l.str(ob.Intrinsic[intrinsic])
			intrinsic++
			if o = l.b.object(name); o == nil {
				// Another goja may have built-ins this one lacks (an
				// image lists every built-in, to compare it with the
				// pristine one): only a use of one refuses the image.
				if l.missing == nil {
					l.missing = map[uint64]string{}
				}
				l.missing[uint64(i)] = name
				continue
			}
		case okOrdinary:
			o = l.objects.Object()
		case okArray:
			o = l.objects.Array()
		case okSparseArray:
			o, err = l.ff.New(heap.KindSparseArray)
		case okMap, okSet, okError, okWeakMap, okWeakSet:
			o, err = rt.New(l.ctor(k))
		case okArguments:
			o, err = l.ff.New(heap.KindArguments)
		case okGenerator:
			o, err = l.ff.New(heap.KindGenerator)
		case okIterator:
			o, err = l.newIterator(i, ext)
		case okPromise:
			o, err = l.newPromise(i)
		case okDate:
			o, err = rt.New(l.ctor(k), rt.ToValue(0))
		case okRegExp:
			need(2)
			o, err = patternCache.newRegExp(rt, l.ctor(k), l.some(ext[0], i, "the pattern"), l.some(ext[1], i, "the flags"), &l.blankRegExp)
		case okArrayBuffer:
			need(2)
			if ext[0] >= uint64(len(l.p.Buffers)) {
				l.failf("object %d: buffer %d out of range", i, ext[0])
			}
			// format.Decode made sure that no other ArrayBuffer has these bytes.
			o = rt.ToValue(rt.NewArrayBuffer(l.p.Buffers[ext[0]])).(*goja.Object)
			*heap.ArrayBufferOf(o).Detached() = ext[1] != 0
		case okPrimitive, okStringObject:
			need(1)
			pv := l.value(ext[0])
			if pv == nil {
				l.failf("object %d: boxed value missing", i)
			}
			o = pv.ToObject(rt)
		case okTypedArray, okDataView, okNative, okBound, okProxy, okResolver, okRevoke:
			continue // made when first needed: they refer to other objects
		default:
			if fk, ok := funcKind(k); ok {
				o, err = l.ff.New(fk)
			} else {
				l.failf("object %d: kind %d cannot be created", i, k)
			}
		}
		if err != nil {
			l.failf("object %d: %v", i, err)
		}
		l.objs[i] = o
	}
	l.creating = make([]bool, len(ob.Kinds))
	for i := range ob.Kinds {
		if _, ok := l.missing[uint64(i)]; l.objs[i] == nil && !ok {
			l.createLate(i)
		}
	}
}

// extra returns object i's record in Objects.Extra (nil: none).
func (l *loader) extra(i int) []uint64 {
	if x := l.extraAt[i]; x >= 0 {
		return l.p.Objects.Extra[x]
	}
	return nil
}

// createLate makes an object that is built from other objects (a view on a
// buffer, a bound function, a proxy, a plugin's object), making those first.
func (l *loader) createLate(i int) {
	if l.creating == nil || l.creating[i] {
		l.failf("object %d refers to itself while being made", i)
	}
	l.creating[i] = true
	rt := l.rt
	k := objKind(l.p.Objects.Kinds[i])
	ext := l.extra(i)
	need := func(n int) {
		if len(ext) < n {
			l.failf("object %d: record too short", i)
		}
	}
	var o *goja.Object
	var err error
	switch k {
	case okTypedArray:
		need(4)
		ctor := l.object(ext[1])
		if !l.b.typedArrayCtors[ctor] {
			l.failf("object %d: %s is not a typed array constructor", i, l.b.name(ctor))
		}
		l.checkView(i, ext[0], ext[2], ext[3]*uint64(ctor.Get("BYTES_PER_ELEMENT").ToInteger()))
		o, err = rt.New(ctor, l.value(ext[0]), rt.ToValue(ext[2]), rt.ToValue(ext[3]))
	case okDataView:
		need(3)
		l.checkView(i, ext[0], ext[1], ext[2])
		o, err = rt.New(l.b.dataViewCtor, l.value(ext[0]), rt.ToValue(ext[1]), rt.ToValue(ext[2]))
	case okBound:
		need(3)
		t := boundTableOf(l.v)
		if t == nil {
			l.failf("object %d: this world cannot make bound functions", i)
		}
		c := &cursor{l: l, name: "object", num: i + 1, s: ext}
		target, this := l.some(c.next(), i, "the bound target"), l.some(c.next(), i, "the bound this")
		args := []goja.Value{this}
		for n := c.count(len(ext)); n > 0; n-- {
			args = append(args, l.some(c.next(), i, "a bound argument"))
		}
		var v goja.Value
		v, err = t.bind(target, args...)
		if err == nil {
			o = v.(*goja.Object)
			t.add(o, &boundInfo{target: target, this: this, args: args[1:]})
		}
	case okProxy:
		need(4)
		o, err = l.proxy(ext)
	case okResolver:
		o = l.createResolver(i, ext)
	case okRevoke:
		need(1)
		o = l.createRevoke(i, ext[0])
	case okNative:
		need(2)
		p := l.plugin(ext[0])
		rb, ok := p.(natives.Rebuilder)
		if !ok {
			l.failf("object %d: plugin %s cannot rebuild objects", i, p.Name())
		}
		o, err = rb.Rebuild(l.v, l.value(ext[1]))
		if err != nil {
			panic(&pluginError{fmt.Errorf("plugin %s: %w", p.Name(), err)})
		}
	default:
		l.failf("object %d: kind %d is not made late", i, k)
	}
	if err != nil {
		l.failf("object %d: %v", i, err)
	}
	if o == nil {
		l.failf("object %d was not made", i)
	}
	l.objs[i] = o
}

func (l *loader) proxy(ext []uint64) (*goja.Object, error) {
	rt := l.rt
	if ext[2] != 0 { // revoked
		var target goja.Value = rt.NewObject()
		if ext[3] != 0 {
			target = rt.ToValue(func(goja.FunctionCall) goja.Value { return goja.Undefined() })
		}
		rev, err := rt.RunString("(function (t) { var r = Proxy.revocable(t, {}); r.revoke(); return r.proxy })")
		if err != nil {
			return nil, err
		}
		fn, _ := goja.AssertFunction(rev)
		v, err := fn(goja.Undefined(), target)
		if err != nil {
			return nil, err
		}
		return v.(*goja.Object), nil
	}
	return rt.New(l.ctor(okProxy), l.value(ext[0]), l.value(ext[1]))
}

// createRevoke makes a revoke function (of Proxy.revocable) for the proxy
// coded c: a fresh one, pointed at that proxy.
func (l *loader) createRevoke(i int, c uint64) *goja.Object {
	revocable, ok := goja.AssertFunction(l.b.object("globalThis.Proxy.revocable"))
	if !ok {
		l.failf("built-in Proxy.revocable is missing")
	}
	res, err := revocable(goja.Undefined(), l.rt.NewObject(), l.rt.NewObject())
	if err != nil {
		l.failf("object %d: %v", i, err)
	}
	fn, _ := res.(*goja.Object).Get("revoke").(*goja.Object)
	proxy := l.object(c)
	if fn == nil || proxy == nil {
		l.failf("object %d: a revoke function without a proxy", i)
	}
	if err := heap.SetRevokedProxy(fn, proxy); err != nil {
		l.failf("object %d: %v", i, err)
	}
	return fn
}

func (l *loader) stashRef(c uint64) *heap.Stash {
	switch c {
	case 0:
		return nil
	case 1:
		return l.global
	}
	if c-2 >= uint64(len(l.stashes)) {
		l.failf("stash %d out of range", c-2)
	}
	return l.stashes[c-2]
}

func (l *loader) fillStash(i int, rec []uint64) {
	c := &cursor{l: l, name: "stash", num: i + 1, s: rec}
	st := l.stashes[i]
	*st.Outer() = l.stashRef(c.next())
	*st.FuncType() = uint8(c.next())
	if oc := c.next(); oc != codeNone {
		*st.Obj() = l.object(oc)
	}
	n := c.count(len(rec))
	*st.Values() = make([]goja.Value, n)
	for j := range *st.Values() {
		(*st.Values())[j] = l.value(c.next())
	}
	if n := c.count(len(rec)); n > 0 {
		*st.ExtraArgs() = make([]goja.Value, n)
		for j := range *st.ExtraArgs() {
			(*st.ExtraArgs())[j] = l.value(c.next())
		}
	}
	if *st.Obj() != nil && (len(*st.Values()) > 0 || len(*st.ExtraArgs()) > 0) {
		// A with statement's scope is its object: goja refuses (by
		// panicking) to reach a slot of it by index.
		l.failf("stash %d: the scope of a with statement has %d slots", i, len(*st.Values())+len(*st.ExtraArgs()))
	}
	if c.next() == 1 {
		n := c.count(len(rec))
		*st.Names() = make(map[unistring.String]uint32, n)
		for j := 0; j < n; j++ {
			k := l.key(c.next())
			slot := c.next()
			// The top three bits are goja's flags (const, var, deletable).
			if idx := slot &^ (7 << 29); slot > math.MaxUint32 || idx >= uint64(len(*st.Values())) {
				l.failf("stash %d: variable %q has slot %d of %d", i, k.String(), idx, len(*st.Values()))
			}
			(*st.Names())[k] = uint32(slot)
		}
	}
}

func (l *loader) program(script, index uint64) *goja.Program {
	if script == 0 {
		return nil
	}
	if script-1 >= uint64(len(l.progs)) || index >= uint64(len(l.progs[script-1])) {
		l.failf("program %d/%d out of range", script, index)
	}
	return l.progs[script-1][index].Program
}

func (l *loader) programSource(script, index uint64) string {
	l.program(script, index)
	return l.progs[script-1][index].Source
}

// checkView refuses a view whose buffer is not an ArrayBuffer of the image
// or whose bytes lie outside it.
func (l *loader) checkView(i int, buf, offset, size uint64) {
	o := l.object(buf)
	if o == nil || heap.KindOf(o) != heap.KindArrayBuffer {
		l.failf("object %d: a view on something that is not an ArrayBuffer", i)
	}
	n := uint64(len(*heap.ArrayBufferOf(o).Data()))
	if offset > n || size > n-offset {
		l.failf("object %d: a view of %d bytes at %d on a buffer of %d", i, size, offset, n)
	}
}

// checkGraph refuses cycles that would make goja loop forever: in
// prototype chains and in the chains of scopes and private environments.
func (l *loader) checkGraph() {
	const (
		unseen = iota
		onPath
		done
	)
	// Object states by address (objTable): a Go map keyed by pointer was
	// up to two fifths of a load of many small objects, a hash table 8%.
	state := newObjTable()
	var kinds heap.KindClassifier
	var path []*goja.Object
	// A proxy without a getPrototypeOf trap answers with its target's
	// prototype: the chain goes on through the target.
	next := func(p *goja.Object) *goja.Object {
		if kinds.Kind(p) == heap.KindProxy {
			return *heap.ProxyOf(p).Target()
		}
		return *heap.BaseOf(p).Prototype()
	}
	// Chains are followed from the objects whose prototype fillObjects
	// set to an object of the image other than a built-in (protoRoots),
	// and from those whose prototype it does not set but the image's
	// (natives, proxies, resolvers: few), not from every object: reading
	// each object's memory was 8% of a load of Tree1M, whose objects'
	// prototypes are all built-ins. Built-ins are no roots: their
	// prototypes are still the new world's here (a changed one is set
	// later, by applyRoots, through goja's own check of cycles), and so
	// are those of every object on their chains, which end. No cycle
	// through an object of the image is missed: on such a cycle, no
	// object is a built-in (whose chain ends), so either some object's
	// prototype was not set by fillObjects (a root), or some object of
	// the image comes before one that is not (its prototype is no
	// built-in: a root), or every object is of the image, each one's
	// prototype the next: all roots. A lodash world has 820 built-ins
	// among its 1,955 objects.
	roots := l.protoRoots
	for i, kb := range l.p.Objects.Kinds {
		if k := objKind(kb); !k.HasProperties() && k != okIntrinsic && l.objs[i] != nil {
			roots = append(roots, l.objs[i])
		}
	}
	for _, o := range roots {
		// An object whose prototype is none, or one whose chain was
		// followed to its end, is on no cycle (a cycle through it would
		// go through its prototype): most objects of a world are such
		// leaves, and need no state of their own.
		if q := next(o); q == nil {
			continue
		} else if st, _ := state.get(q); st == done {
			continue
		}
		path = path[:0]
		for p := o; p != nil; p = next(p) {
			st, _ := state.get(p)
			if st == done {
				break
			}
			if st == onPath {
				l.failf("a prototype chain is a cycle")
			}
			state.set(p, onPath)
			path = append(path, p)
		}
		for _, p := range path {
			state.set(p, done)
		}
	}
	seen := map[*heap.Stash]bool{}
	for _, st := range l.stashes {
		n := 0
		for s := st; s != nil && !seen[s]; s = *s.Outer() {
			if n++; n > len(l.stashes)+1 {
				l.failf("a chain of scopes is a cycle")
			}
		}
		for s := st; s != nil && !seen[s]; s = *s.Outer() {
			seen[s] = true
		}
	}
	for _, e := range l.privEnvs {
		n := 0
		for p := e; p != nil; p = *p.Outer() {
			if n++; n > len(l.privEnvs)+1 {
				l.failf("a chain of private environments is a cycle")
			}
		}
	}
}
