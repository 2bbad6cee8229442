package heap

import (
	"fmt"
	"reflect"
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
func Programs(p *goja.Program) []ProgramInfo {
	var out []ProgramInfo
	walkPrograms(reflect.ValueOf(p), ProgramInfo{Parent: -1}, &out)
	return out
}

func walkPrograms(p reflect.Value, info ProgramInfo, out *[]ProgramInfo) {
	if p.IsNil() {
		return
	}
	info.Program = p.Interface().(*goja.Program)
	self := len(*out)
	*out = append(*out, info)
	code := field(p, "code")
	for pc := 0; pc < code.Len(); pc++ {
		ins := code.Index(pc).Elem()
		if ins.Kind() != reflect.Ptr || ins.IsNil() {
			continue
		}
		maker := ins.Elem().Type().Name()
		fields, ok := programInstructions[maker]
		if !ok {
			continue
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
