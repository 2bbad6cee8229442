package heap

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/dop251/goja"
)

// programInstructions names the goja instruction types that hold a nested
// program, with the fields that hold it, in the order goja's own dump visits them.
var programInstructions = map[string][]string{
	"newFunc": {"prg"}, "newAsyncFunc": {"prg"}, "newGeneratorFunc": {"prg"}, "newMethod": {"prg"},
	"newAsyncMethod": {"prg"}, "newGeneratorMethod": {"prg"}, "newArrowFunc": {"prg"}, "newAsyncArrowFunc": {"prg"},
	"newClass": {"initFields", "ctor"}, "newDerivedClass": {"initFields", "ctor"},
	"newStaticFieldInit": {"initFields"},
}

// field returns the named (possibly promoted) field of the struct v points
// to, made readable despite being unexported.
func field(v reflect.Value, name string) reflect.Value {
	for v.Kind() == reflect.Ptr || v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	f := v.FieldByName(name)
	if !f.IsValid() {
		panic(fmt.Sprintf("goja layout: no field %s in %s", name, v.Type()))
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// ProgramInfo describes one program of a script's tree.
type ProgramInfo struct {
	// Program is the program itself.
	Program *goja.Program
	// Source is the text of the function (or class) the program belongs to,
	// as the creating instruction holds it: a function object's own text.
	Source string
	// Maker names the instruction that makes functions of this program,
	// and its field when it has two ("newFunc", "newClass.ctor",
	// "newClass.initFields"); empty for a script's own program.
	Maker string
	// InitFields is, for a class constructor's program, the program of the
	// class's field initialisers that the same instruction holds (or nil).
	InitFields *goja.Program
	// Name is the name the creating instruction gives the function or
	// class ("" for anonymous ones and a script's own program).
	Name string
	// Parent is the index (in the same list) of the program whose code
	// makes functions of this one, and PC the making instruction's
	// position in it; Parent is -1 for a script's own program.
	Parent, PC int
}

// Programs lists p and every program nested in it, in a pre-order walk that
// is the same for every compilation of the same source: a function is
// identified across runtimes by its script and its index in this list.
func Programs(p *goja.Program) []ProgramInfo { return programs(p, 0) }

// smallProgram is the most source, in bytes, of a program that Programs
// lists by reflection alone while the table of instruction types
// (programWalker) is not made: making the table (once per process) costs
// about as much CPU as listing 20 KB of source by reflection, so a process
// that only ever lists small programs (the layout check's probes, the
// promise combinators, a world of a few lines) need not make it.
const smallProgram = 8 << 10

// programs is Programs, making room for n programs at once.
func programs(p *goja.Program, n int) []ProgramInfo {
	out := make([]ProgramInfo, 0, n)
	if !walkerMade.Load() {
		if _, src := ProgramSource(p); len(src) <= smallProgram {
			walkPrograms(reflect.ValueOf(p), ProgramInfo{Parent: -1}, &out)
			return out
		}
	}
	w := programWalker()
	if w == nil {
		walkPrograms(reflect.ValueOf(p), ProgramInfo{Parent: -1}, &out)
		return out
	}
	w.walk(unsafe.Pointer(p), ProgramInfo{Parent: -1}, &out)
	return out
}

// The walk reads the instructions as interface words: the first word of an
// instruction names its type (goja's instruction interface is not empty,
// so it is the itab of the type), and a table from that word to what the
// type makes replaces reflection per instruction (reading TypeScript's
// 1.2 million instructions by reflect.Value took a ninth of loading its
// world). The table holds the types that make functions, the only ones
// the walk acts on (programInstructions); when it holds all of them, an
// instruction whose word it lacks makes none, else (a table without them
// all) such an instruction takes the reflective path. Listing every
// instruction type instead (about 460, each with its interface word) was
// a tenth of the stored code's decoding in a bundle's start.

// makerField is a *goja.Program field of an instruction that makes
// functions.
type makerField struct {
	off   uintptr
	maker string // as ProgramInfo.Maker
	ctor  bool   // newClass.ctor: InitFields is the instruction's initFields
}

// makerType is what the walk reads of one pointer instruction type.
type makerType struct {
	name            string
	srcOff, nameOff uintptr
	hasSrc, hasName bool
	fields          []makerField
	initOff         uintptr // offset of initFields, for ctor fields
	maker           bool    // a type of programInstructions
	// reflective marks a maker whose fields are not as the fast walk
	// reads them: the reflective path walks it.
	reflective bool
}

// fastWalker is the table of the walk and the layout of goja.Program.
type fastWalker struct {
	codeOff uintptr
	types   map[unsafe.Pointer]*makerType
	// complete tells that types holds every type of programInstructions.
	complete bool
	// slots is types as an open-addressing table (a map lookup per
	// instruction was a third of the walk).
	slots []walkSlot
	mask  uintptr
}

type walkSlot struct {
	word unsafe.Pointer
	mt   *makerType
}

// slot returns the position of word's probe sequence start.
func (w *fastWalker) slot(word unsafe.Pointer) uintptr {
	return (uintptr(word) >> 3) * 0x9E3779B97F4A7C15 >> 40 & w.mask
}

// lookup returns the entry of an itab word, or nil.
func (w *fastWalker) lookup(word unsafe.Pointer) *makerType {
	for i := w.slot(word); ; i = (i + 1) & w.mask {
		s := &w.slots[i]
		if s.word == word {
			return s.mt
		}
		if s.word == nil {
			return nil
		}
	}
}

// index fills slots from types; the table is at most a quarter full.
func (w *fastWalker) index() {
	n := 16
	for n < 4*len(w.types) {
		n *= 2
	}
	w.slots, w.mask = make([]walkSlot, n), uintptr(n-1)
	for word, mt := range w.types {
		i := w.slot(word)
		for w.slots[i].word != nil {
			i = (i + 1) & w.mask
		}
		w.slots[i] = walkSlot{word, mt}
	}
}

var (
	walkerOnce sync.Once
	walker     *fastWalker
	walkerMade atomic.Bool // walker is made
)

// programWalker returns the fast walk's table, or nil when goja's layout
// is not the one it knows (then every walk is reflective).
func programWalker() *fastWalker {
	walkerOnce.Do(func() {
		walker = buildWalker()
		walkerMade.Store(true)
	})
	return walker
}

func buildWalker() *fastWalker {
	pt := reflect.TypeOf((*goja.Program)(nil))
	codeF, ok := pt.Elem().FieldByName("code")
	if !ok || codeF.Type.Kind() != reflect.Slice || codeF.Type.Elem().Kind() != reflect.Interface || codeF.Type.Elem().NumMethod() == 0 {
		return nil
	}
	ins := codeF.Type.Elem()
	w := &fastWalker{codeOff: codeF.Offset, types: map[unsafe.Pointer]*makerType{}, complete: true}
	all := gojaTypes()
	for name, fields := range programInstructions {
		// The reflective walk reads makers of pointer types only.
		t := all.lookup("*goja." + name)
		if t == nil || !t.Implements(ins) {
			w.complete = false
			continue
		}
		mt := &makerType{name: name}
		if !mt.fill(t.Elem(), pt, fields) {
			mt = &makerType{name: name, maker: true, reflective: true}
		}
		w.types[ifaceWord(ins, t)] = mt
	}
	w.index()
	return w
}

// fill reads the offsets of a maker instruction's fields; false when they
// are not as the reflective walk reads them.
func (mt *makerType) fill(st, pt reflect.Type, fields []string) bool {
	mt.maker = true
	if f, ok := st.FieldByName("source"); ok {
		if f.Type.Kind() != reflect.String {
			return false
		}
		mt.hasSrc, mt.srcOff = true, f.Offset
	}
	if f, ok := st.FieldByName("name"); ok && f.Type.Kind() == reflect.String {
		mt.hasName, mt.nameOff = true, f.Offset
	}
	for _, name := range fields {
		f, ok := st.FieldByName(name)
		if !ok || f.Type != pt {
			return false
		}
		mf := makerField{off: f.Offset, maker: mt.name, ctor: name == "ctor"}
		if len(fields) > 1 {
			mf.maker += "." + name
		}
		if mf.ctor {
			init, ok := st.FieldByName("initFields")
			if !ok || init.Type != pt {
				return false
			}
			mt.initOff = init.Offset
		}
		mt.fields = append(mt.fields, mf)
	}
	return true
}

func (w *fastWalker) walk(p unsafe.Pointer, info ProgramInfo, out *[]ProgramInfo) {
	if p == nil {
		return
	}
	info.Program = (*goja.Program)(p)
	self := len(*out)
	*out = append(*out, info)
	code := (*sliceHeader)(unsafe.Add(p, w.codeOff))
	for pc := 0; pc < code.len; pc++ {
		words := (*[2]unsafe.Pointer)(unsafe.Add(code.data, uintptr(pc)*2*unsafe.Sizeof(uintptr(0))))
		mt := w.lookup(words[0])
		if mt == nil && !w.complete || mt != nil && mt.reflective {
			// As the reflective walk does.
			walkInstruction(field(reflect.ValueOf(info.Program), "code"), pc, self, out)
			continue
		}
		if mt == nil || !mt.maker || words[1] == nil {
			continue
		}
		q := words[1]
		src, fname := "", ""
		if mt.hasSrc {
			src = *(*string)(unsafe.Add(q, mt.srcOff))
		}
		if mt.hasName {
			fname = *(*string)(unsafe.Add(q, mt.nameOff))
		}
		for _, f := range mt.fields {
			sub := ProgramInfo{Source: src, Maker: f.maker, Name: fname, Parent: self, PC: pc}
			if f.ctor {
				sub.InitFields = *(**goja.Program)(unsafe.Add(q, mt.initOff))
			}
			w.walk(*(*unsafe.Pointer)(unsafe.Add(q, f.off)), sub, out)
		}
	}
}

func walkPrograms(p reflect.Value, info ProgramInfo, out *[]ProgramInfo) {
	if p.IsNil() {
		return
	}
	info.Program = p.Interface().(*goja.Program)
	self := len(*out)
	*out = append(*out, info)
	// The field is found once per program: finding it by name for each
	// instruction was most of a reflective walk.
	code := field(p, "code")
	for pc := 0; pc < code.Len(); pc++ {
		walkInstruction(code, pc, self, out)
	}
}

// walkInstruction walks the programs that the instruction at pc of code
// (a program's instructions) makes functions of, by reflection.
func walkInstruction(code reflect.Value, pc, self int, out *[]ProgramInfo) {
	ins := code.Index(pc).Elem()
	if ins.Kind() != reflect.Ptr || ins.IsNil() {
		return
	}
	maker := ins.Elem().Type().Name()
	fields, ok := programInstructions[maker]
	if !ok {
		return
	}
	src, fname := "", ""
	if _, ok := ins.Elem().Type().FieldByName("source"); ok {
		src = field(ins, "source").String()
	}
	if f, ok := ins.Elem().Type().FieldByName("name"); ok && f.Type.Kind() == reflect.String {
		fname = field(ins, "name").String()
	}
	for _, name := range fields {
		sub := ProgramInfo{Source: src, Maker: maker, Name: fname, Parent: self, PC: pc}
		if len(fields) > 1 {
			sub.Maker += "." + name
		}
		if name == "ctor" {
			sub.InitFields, _ = field(ins, "initFields").Interface().(*goja.Program)
		}
		walkPrograms(field(ins, name), sub, out)
	}
}

// ProgramName returns the function name goja compiled p with (empty for
// scripts and class constructors).
func ProgramName(p *goja.Program) string {
	return field(reflect.ValueOf(p), "funcName").Interface().(interface{ String() string }).String()
}

// ProgramSource returns the name and whole source text of the unit p belongs to.
func ProgramSource(p *goja.Program) (name, src string) {
	f := field(reflect.ValueOf(p), "src")
	if f.IsNil() {
		return "", ""
	}
	file := f.Interface().(interface {
		Name() string
		Source() string
	})
	return file.Name(), file.Source()
}

// checkProgramLayout verifies the fields Programs reads on a probe program.
func checkProgramLayout() error {
	p, err := goja.Compile("probe", `function f(){}; var a = () => 1; class A extends Object { static x = 1; y = 2; m(){} constructor(){ super() } }; class B { z = 1 }`, false)
	if err != nil {
		return err
	}
	pt := reflect.TypeOf(p).Elem()
	for _, name := range []string{"code", "funcName", "src"} {
		if _, ok := pt.FieldByName(name); !ok {
			return fmt.Errorf("field %q missing in goja.Program", name)
		}
	}
	seen := map[string]bool{}
	code := field(reflect.ValueOf(p), "code")
	var check func(code reflect.Value) error
	check = func(code reflect.Value) error {
		for pc := 0; pc < code.Len(); pc++ {
			ins := code.Index(pc).Elem()
			if ins.Kind() != reflect.Ptr || ins.IsNil() {
				continue
			}
			name := ins.Elem().Type().Name()
			fields, ok := programInstructions[name]
			if !ok {
				continue
			}
			seen[name] = true
			if f, ok := ins.Elem().Type().FieldByName("source"); name != "newStaticFieldInit" && (!ok || f.Type.Kind() != reflect.String) {
				return fmt.Errorf("instruction %s has no source text field", name)
			}
			for _, fname := range fields {
				f, ok := ins.Elem().Type().FieldByName(fname)
				if !ok || f.Type != reflect.TypeOf(p) {
					return fmt.Errorf("instruction %s has no *goja.Program field %q", name, fname)
				}
				if sub := field(ins, fname); !sub.IsNil() {
					if err := check(field(sub, "code")); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	if err := check(code); err != nil {
		return err
	}
	for _, name := range []string{"newFunc", "newArrowFunc", "newDerivedClass", "newClass", "newStaticFieldInit", "newMethod"} {
		if !seen[name] {
			return fmt.Errorf("instruction %s not found compiling a probe", name)
		}
	}
	if n := len(Programs(p)); n < 7 {
		return fmt.Errorf("probe has %d nested programs, want at least 7", n)
	}
	return nil
}
