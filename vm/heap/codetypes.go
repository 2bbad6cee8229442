package heap

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
)

// The registry of goja's instruction types, for storing compiled programs
// (progcode.go). goja's instructions are values of about 250 unexported Go
// types behind one unexported interface; Go code cannot name them, so they
// are found in the binary's own type table, which the linker writes for
// every pointer, slice, map and array type the program uses (reflect reads
// it for reflect.PointerTo and friends; github.com/modern-go/reflect2 reads
// it the same way). Every goja type T whose *T is there is a candidate; the
// ones that implement goja's instruction interface are instructions. A type
// missing from the table (the linker may drop one that nothing converts to
// an interface) is not an error: a program holding it is stored as source
// and compiled at load (EncodeProgram says so).

//go:linkname typelinks reflect.typelinks
func typelinks() (sections []unsafe.Pointer, offset [][]int32)

//go:linkname rtypeOff reflect.rtypeOff
func rtypeOff(section unsafe.Pointer, off int32) unsafe.Pointer

// typeFromRType makes a reflect.Type of a runtime type descriptor, as an
// interface holding a nil value of that type would give.
func typeFromRType(rt unsafe.Pointer) reflect.Type {
	var x any
	(*[2]unsafe.Pointer)(unsafe.Pointer(&x))[0] = rt
	return reflect.TypeOf(x)
}

// gojaTypes is scanGojaTypes, scanned once per process: the registry and
// the program walker both read it (the list is never changed).
var gojaTypes = sync.OnceValue(scanGojaTypes)

// gojaTypeList is the types of package goja that the binary's type table
// reaches through a pointer: each *goja.T, sorted by its string
// ("*goja.loadStash"). A sorted list rather than a map: making a map of
// them was most of the scan's cost (its fresh memory).
type gojaTypeList []reflect.Type

// scanGojaTypes lists the types of package goja that the binary's type
// table reaches through a pointer. The table is sorted by type string, so
// only the range of "*goja." is read.
func scanGojaTypes() gojaTypeList {
	const prefix = "*goja."
	var out gojaTypeList
	sections, offsets := typelinks()
	for i, sec := range sections {
		offs := offsets[i]
		at := func(k int) reflect.Type { return typeFromRType(rtypeOff(sec, offs[k])) }
		k := sort.Search(len(offs), func(k int) bool { return at(k).String() >= prefix })
		for ; k < len(offs); k++ {
			t := at(k)
			if !strings.HasPrefix(t.String(), prefix) {
				break
			}
			if t.Kind() != reflect.Ptr || t.Elem().PkgPath() != gojaModule {
				continue
			}
			out = append(out, t)
		}
	}
	// One section per module, each sorted: a binary with several (a
	// plugin) lists them one after the other.
	if !sort.SliceIsSorted(out, func(i, j int) bool { return out[i].String() < out[j].String() }) {
		sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	}
	return out
}

// lookup returns the type named name ("*goja.newFunc" or "goja.loadVal"),
// or nil when the binary has no pointer to it.
func (l gojaTypeList) lookup(name string) reflect.Type {
	ptr := name
	if !strings.HasPrefix(name, "*") {
		ptr = "*" + name
	}
	k := sort.Search(len(l), func(k int) bool { return l[k].String() >= ptr })
	if k == len(l) || l[k].String() != ptr {
		return nil
	}
	if ptr != name {
		return l[k].Elem()
	}
	return l[k]
}

// codeRegistry is what this build can store of compiled programs. What a
// program's code is made of (goja's instruction interface, its constants,
// the yield markers) and the key are found once per process; the codec of
// each type is built when a program first needs it (a program of lodash
// holds fewer than 100 of goja's 250 instruction types: building them all
// was most of the registry's cost, on the critical path of a bundle's
// start). The registry is shared by every encoder and decoder of the
// process, also concurrently: types are added under mu, and an entry never
// changes once handed out, but for the interface words of slot types added
// after it (see codeType.words), which no decoder reads before its own
// types are looked up.
type codeRegistry struct {
	err error
	// insIface, valueIface and stringIface are goja's instruction, Value
	// and String interface types.
	insIface, valueIface, stringIface   reflect.Type
	programType, fileType, regexpType   reflect.Type
	bigIntType, yieldType, privTypeType reflect.Type
	objectType                          reflect.Type
	// yields are goja's yield marker singletons, by index: goja tells them
	// apart by address (yield and yieldEmpty have equal contents).
	yields []unsafe.Pointer
	// key identifies the code this build writes (CodeKey).
	key string
	// candidates are the types a program may hold, by name: read-only
	// once the registry is built.
	candidates map[string]candidate
	// instructions counts the instruction types among them.
	instructions int

	mu sync.Mutex // guards what follows
	b  *codecBuilder
	// byName and byType are the types registered so far (a codeType
	// each, with or without a codec): byName for decoding, byType for
	// encoding.
	byName map[string]*codeType
	byType map[reflect.Type]*codeType
	// ids counts the codeTypes made (their ids are below it).
	ids int
	// slabTypes are the types decoders allocate by the chunk, by slab id
	// (only ever appended to: a decoder keeps the slice it saw).
	slabTypes []slabType
	// slots are the interface types that codecs read values of, in the
	// order met (a codeType's words are indexed by them).
	slots []ifaceSlot
	// insCodec reads and writes an instruction; codeSlab and mapSlab are
	// the slab ids of instructions and of source positions. Set by
	// checkProgramCodec, which also fills progLayout.
	insCodec          *codec
	codeSlab, mapSlab int
}

// candidate is a type a program may hold: an instruction or a constant.
type candidate struct {
	t   reflect.Type
	ins bool
}

var (
	registryOnce sync.Once
	registry     *codeRegistry
)

func codeTypes() *codeRegistry {
	registryOnce.Do(func() { registry = buildRegistry() })
	return registry
}

// named returns the entry of the type called name, registering it on
// first use, or nil when no program of this build may hold such a type.
// A name that is not a candidate is not remembered (a crafted image may
// name any number of types).
func (r *codeRegistry) named(name string) *codeType {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ct := r.byName[name]; ct != nil {
		return ct
	}
	c, ok := r.candidates[name]
	if !ok {
		return nil
	}
	return r.b.register(c.t, c.ins)
}

// typed returns the entry of type t, as named does.
func (r *codeRegistry) typed(t reflect.Type) *codeType {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.register(t)
}

// slabs returns the slab types registered so far, which cover every type
// looked up before.
func (r *codeRegistry) slabs() []slabType {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.slabTypes
}

// CodeKey identifies the compiled code this build stores and reads: goja's
// module version, Go's version and the layout of every instruction type
// (names, fields and sizes). Stored code is used only by a build with the
// same key; any other build compiles the scripts' sources. It is empty when
// this build cannot store code at all.
func CodeKey() string {
	r := codeTypes()
	if r.err != nil {
		return ""
	}
	return r.key
}

// CodeUnavailable says why this build cannot store compiled code (nil when
// it can).
func CodeUnavailable() error { return codeTypes().err }

// probeSource holds the instructions whose types the registry takes from
// live samples rather than names: the yield markers, by position.
const probeSource = `function* g() { yield 1; var a = yield 2; yield* x; var b = yield* y }
async function h() { await 1 }
var c = [1, 1.5, "a", "é", true, false, 1n, /a/g, String.raw` + "`a${1}é\\u`" + `]
for (let i = 0; i < 2; i++) { if (i) break; try { continue } finally { c.push(i) } }`

func buildRegistry() *codeRegistry {
	r := &codeRegistry{byName: map[string]*codeType{}, byType: map[reflect.Type]*codeType{}}
	r.b = &codecBuilder{r: r, built: map[builtKey]*codec{}, slabs: map[reflect.Type]int{}}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.build(); err != nil {
		r.err = fmt.Errorf("goja's compiled code cannot be stored by this build: %v", err)
	}
	return r
}

// build finds the candidates and the key; r.mu is held.
func (r *codeRegistry) build() error {
	p, err := goja.Compile("probe", probeSource, false)
	if err != nil {
		return err
	}
	pv := reflect.ValueOf(p)
	r.programType = pv.Type()
	codeF, ok := pv.Type().Elem().FieldByName("code")
	if !ok || codeF.Type.Kind() != reflect.Slice || codeF.Type.Elem().Kind() != reflect.Interface {
		return fmt.Errorf("goja.Program has no code slice")
	}
	r.insIface = codeF.Type.Elem()
	srcF, ok := pv.Type().Elem().FieldByName("src")
	if !ok {
		return fmt.Errorf("goja.Program has no src")
	}
	r.fileType = srcF.Type
	r.valueIface = reflect.TypeOf((*goja.Value)(nil)).Elem()
	r.stringIface = reflect.TypeOf((*goja.String)(nil)).Elem()

	// The yield markers, in the order the probe's generator emits them:
	// yieldEmpty (the start of every generator), yield, yieldRes,
	// yieldDelegate, yieldDelegateRes; then await.
	var markers []unsafe.Pointer
	constants := map[reflect.Type]bool{}
	probe := Programs(p)
	for _, info := range probe {
		c := code(info.Program)
		for pc := 0; pc < c.Len(); pc++ {
			ins := c.Index(pc).Elem()
			switch t := ins.Type(); {
			case t.Kind() == reflect.Ptr && t.Elem().Name() == "yieldMarker":
				r.yieldType = t
				markers = append(markers, ins.UnsafePointer())
			case t.Name() == "loadVal":
				v := ins.Field(0).Elem()
				if v.Kind() == reflect.Ptr && v.Type().Elem().Name() == "valueBigInt" {
					r.bigIntType = v.Type()
				}
				constants[v.Type()] = true
			case t.Kind() == reflect.Ptr && t.Elem().Name() == "getTaggedTmplObject":
				for _, name := range []string{"raw", "cooked"} {
					s := field(ins, name)
					for i := 0; i < s.Len(); i++ {
						e := s.Index(i).Elem()
						constants[e.Type()] = true
						if e.Kind() == reflect.Ptr && e.Type().Elem().Name() == "valueProperty" {
							constants[field(e, "value").Elem().Type()] = true
							f, _ := e.Type().Elem().FieldByName("getterFunc")
							r.objectType = f.Type
						}
					}
				}
			case t.Kind() == reflect.Ptr && t.Elem().Name() == "newRegexp":
				f, _ := t.Elem().FieldByName("pattern")
				r.regexpType = f.Type
			}
		}
	}
	if len(markers) != 6 {
		return fmt.Errorf("the probe has %d yield markers, want 6", len(markers))
	}
	seen := map[unsafe.Pointer]bool{}
	for _, m := range markers {
		if seen[m] {
			return fmt.Errorf("two yield markers of the probe are the same singleton")
		}
		seen[m] = true
	}
	r.yields = markers
	if r.bigIntType == nil || r.regexpType == nil || r.objectType == nil {
		return fmt.Errorf("the probe has no BigInt, RegExp or tagged template literal")
	}
	// Pointer instructions that two compilations share are singletons
	// (goja may compare them by address): only the known ones are stored.
	shared := map[reflect.Type]bool{}
	again, err := goja.Compile("probe", probeSource, false)
	if err != nil {
		return err
	}
	ptrs := map[unsafe.Pointer]bool{}
	for _, infos := range [][]ProgramInfo{probe, Programs(again)} {
		first := infos[0].Program == p
		for _, info := range infos {
			c := code(info.Program)
			for pc := 0; pc < c.Len(); pc++ {
				ins := c.Index(pc).Elem()
				if ins.Kind() != reflect.Ptr || ins.Type() == r.yieldType {
					continue
				}
				if first {
					ptrs[ins.UnsafePointer()] = true
				} else if ptrs[ins.UnsafePointer()] {
					shared[ins.Type()] = true
				}
			}
		}
	}

	all := gojaTypes()
	r.privTypeType = all.lookup("*goja.privateEnvType")
	r.candidates = make(map[string]candidate, 512)
	for _, pt := range all {
		for _, t := range []reflect.Type{pt, pt.Elem()} {
			if !shared[t] && t.Implements(r.insIface) {
				r.candidates[t.String()] = candidate{t, true}
				r.instructions++
			}
		}
	}
	// Constants (loadVal, tagged templates) are primitives; these are the
	// only Value types a program may hold.
	for _, v := range []goja.Value{goja.Null(), goja.Undefined()} {
		constants[reflect.TypeOf(v)] = true
	}
	// What a throwConst instruction throws: goja's referenceError, a string.
	if t := all.lookup("goja.referenceError"); t != nil {
		constants[t] = true
	}
	for t := range constants {
		if _, ok := r.candidates[t.String()]; ok {
			return fmt.Errorf("constant type %s is an instruction type", t)
		}
		r.candidates[t.String()] = candidate{t, false}
	}
	if err := checkProgramCodec(r, r.b); err != nil {
		return err
	}
	// Every instruction the probes of this package compile must be known.
	for _, info := range probe {
		c := code(info.Program)
		for pc := 0; pc < c.Len(); pc++ {
			t := c.Index(pc).Elem().Type()
			if ct := r.register(t); ct == nil || ct.codec == nil {
				return fmt.Errorf("instruction type %s is not storable", t)
			}
		}
	}
	r.key = codeKey(r.candidates)
	return nil
}

// register is typed with r.mu held.
func (r *codeRegistry) register(t reflect.Type) *codeType {
	if ct := r.byType[t]; ct != nil {
		return ct
	}
	c, ok := r.candidates[t.String()]
	if !ok || c.t != t {
		return nil
	}
	return r.b.register(c.t, c.ins)
}

// codeKey hashes the versions and the layouts of every candidate type:
// whether or not this build makes a codec of a type, a build that lays
// any of them out differently reads no code of this one.
func codeKey(candidates map[string]candidate) string {
	h := sha256.New()
	fmt.Fprintf(h, "stasis code %d\x00goja %s\x00%s %s/%s\x00", codeVersion, GojaVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	names := make([]string, 0, len(candidates))
	for name := range candidates {
		names = append(names, name)
	}
	sort.Strings(names)
	var buf []byte
	for i, name := range names {
		if i > 0 {
			buf = append(buf, '\n')
		}
		buf = describeType(buf, candidates[name].t, 0)
		h.Write(buf)
		buf = buf[:0]
	}
	return fmt.Sprintf("goja-code-%d:", codeVersion) + hex.EncodeToString(h.Sum(nil)[:12])
}

// describeType appends a type's layout to b: its name, size and fields
// (to a depth of four structs).
func describeType(b []byte, t reflect.Type, depth int) []byte {
	b = append(b, t.String()...)
	b = append(b, ':')
	b = strconv.AppendUint(b, uint64(t.Size()), 10)
	if t.Kind() == reflect.Struct && depth < 4 {
		b = append(b, '{')
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			b = append(b, f.Name...)
			b = append(b, '@')
			b = strconv.AppendUint(b, uint64(f.Offset), 10)
			b = append(b, ' ')
			b = describeType(b, f.Type, depth+1)
			b = append(b, ';')
		}
		b = append(b, '}')
	}
	return b
}
