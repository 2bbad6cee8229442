package heap

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"runtime"
	"sort"
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
// the program walker both read it (the map is never changed).
var gojaTypes = sync.OnceValue(scanGojaTypes)

// scanGojaTypes lists the types of package goja that the binary's type
// table reaches through a pointer (T for each *goja.T), by their string
// ("goja.loadStash", "*goja.newFunc"). The table is sorted by type string,
// so only the range of "*goja." is read.
func scanGojaTypes() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	const prefix = "*goja."
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
			out[t.String()] = t
			out[t.Elem().String()] = t.Elem()
		}
	}
	return out
}

// codeRegistry is what this build can store of compiled programs.
type codeRegistry struct {
	err error
	// byName maps a type's string to its entry, for decoding.
	byName map[string]*codeType
	// byType maps a type to its entry, for encoding.
	byType map[reflect.Type]*codeType
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
	// corpusInstructions counts the instruction types in the registry.
	instructions int
	// ids counts the codeTypes made (their ids are below it).
	ids int
	// slabTypes are the types decoders allocate by the chunk, by slab id.
	slabTypes []slabType
}

var (
	registryOnce sync.Once
	registry     *codeRegistry
)

func codeTypes() *codeRegistry {
	registryOnce.Do(func() { registry = buildRegistry() })
	return registry
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
	if err := r.build(); err != nil {
		r.err = fmt.Errorf("goja's compiled code cannot be stored by this build: %v", err)
	}
	return r
}

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
	for _, info := range Programs(p) {
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
	for _, prg := range []*goja.Program{p, again} {
		first := prg == p
		for _, info := range Programs(prg) {
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
	if pt, ok := all["*goja.privateEnvType"]; ok {
		r.privTypeType = pt
	}
	var names []string
	for name, t := range all {
		if t.Implements(r.insIface) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	// Constants (loadVal, tagged templates) are primitives; these are the
	// only Value types a program may hold.
	for _, v := range []goja.Value{goja.Null(), goja.Undefined()} {
		constants[reflect.TypeOf(v)] = true
	}
	// What a throwConst instruction throws: goja's referenceError, a string.
	extra := []reflect.Type{}
	if t, ok := all["goja.referenceError"]; ok {
		extra = append(extra, t)
	}
	b := &codecBuilder{r: r}
	for _, name := range names {
		if !shared[all[name]] {
			b.register(all[name], true)
		}
	}
	for t := range constants {
		b.register(t, false)
	}
	for _, t := range extra {
		b.register(t, false)
	}
	if err := checkProgramCodec(r, b); err != nil {
		return err
	}
	b.fillItabs()
	for _, ct := range r.byType {
		if ct.ins {
			r.instructions++
		}
	}
	// Every instruction the probes of this package compile must be known.
	for _, info := range Programs(p) {
		c := code(info.Program)
		for pc := 0; pc < c.Len(); pc++ {
			t := c.Index(pc).Elem().Type()
			if ct := r.byType[t]; ct == nil || ct.codec == nil {
				return fmt.Errorf("instruction type %s is not storable", t)
			}
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "stasis code %d\x00goja %s\x00%s %s/%s\x00", codeVersion, GojaVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	var keys []string
	for t, ct := range r.byType {
		if ct.codec != nil {
			keys = append(keys, describeType(t))
		}
	}
	sort.Strings(keys)
	h.Write([]byte(strings.Join(keys, "\n")))
	r.key = fmt.Sprintf("goja-code-%d:", codeVersion) + hex.EncodeToString(h.Sum(nil)[:12])
	return nil
}

// describeType writes a type's layout: its name, size and fields.
func describeType(t reflect.Type) string {
	var b strings.Builder
	var walk func(t reflect.Type, depth int)
	walk = func(t reflect.Type, depth int) {
		fmt.Fprintf(&b, "%s:%d", t, t.Size())
		if t.Kind() == reflect.Struct && depth < 4 {
			b.WriteString("{")
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				fmt.Fprintf(&b, "%s@%d ", f.Name, f.Offset)
				walk(f.Type, depth+1)
				b.WriteString(";")
			}
			b.WriteString("}")
		}
	}
	walk(t, 0)
	return b.String()
}
