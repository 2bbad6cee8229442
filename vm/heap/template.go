package heap

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/dop251/goja"
)

// Tagged template objects. The strings array a template tag receives
// (`tag\`a${x}b\``) is goja's taggedTemplateArray: an arrayObject (held by
// pointer) plus idPtr, a pointer to the raw or cooked strings slice of the
// getTaggedTmplObject instruction of its call site. goja makes a new pair
// of arrays at every evaluation but makes those of one site compare equal
// (===) through idPtr. Stasis reads such an array as an ordinary array
// (impl follows the pointer) and names its site by (program, pc, raw or
// cooked); a load wraps a rebuilt array again, pointing idPtr into the same
// instruction of the recompiled program, so that it stays equal to the
// arrays its site makes after the load.

// templateArray mirrors goja's taggedTemplateArray.
type templateArray struct{ _ noCopy }

// templateIns mirrors goja's getTaggedTmplObject instruction.
type templateIns struct{ _ noCopy }

var (
	templateArrayArr   = need[unsafe.Pointer]("taggedTemplateArray", "arrayObject") // *arrayObject
	templateArrayIDPtr = need[*[]goja.Value]("taggedTemplateArray", "idPtr")        // into a getTaggedTmplObject instruction
	templateInsRaw     = need[[]goja.Value]("getTaggedTmplObject", "raw")
	templateInsCooked  = need[[]goja.Value]("getTaggedTmplObject", "cooked")
)

var templateLayout struct {
	tab    unsafe.Pointer // itab of *taggedTemplateArray as an objectImpl
	typ    reflect.Type   // taggedTemplateArray
	insTab unsafe.Pointer // itab of *getTaggedTmplObject as an instruction
}

const templateSample = `(function (s) { return s })` + "`a${1}\\x62`"

// templateProbe compiles templateSample and runs it in rt, returning the
// program and the tagged template array it made.
func templateProbe(rt *goja.Runtime) (*goja.Program, *goja.Object, error) {
	p, err := goja.Compile("template-probe", templateSample, false)
	if err != nil {
		return nil, nil, err
	}
	v, err := rt.RunProgram(p)
	if err != nil {
		return nil, nil, err
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return nil, nil, fmt.Errorf("tagged template sample is not an object")
	}
	return p, o, nil
}

// templateTypes adds the types of a tagged template array and its
// instruction, which no sample of layout.go reaches, to the types whose
// fields are looked up; p and o are templateProbe's.
func templateTypes(p *goja.Program, o *goja.Object, into map[string]reflect.Type) {
	collectTypes(reflect.ValueOf(o).Elem().FieldByName("self").Elem().Type(), into)
	code := field(reflect.ValueOf(p), "code")
	for pc := 0; pc < code.Len(); pc++ {
		collectTypes(code.Index(pc).Elem().Type(), into)
	}
}

// checkTemplateLayout verifies the mirrors on a sample (p and o, what
// templateProbe made) and records the interface tables that tell tagged
// template arrays and their instructions.
func checkTemplateLayout(p *goja.Program, o *goja.Object) error {
	self := reflect.ValueOf(o).Elem().FieldByName("self").Elem()
	if self.Type().String() != "*goja.taggedTemplateArray" {
		return fmt.Errorf("tagged template sample is a %s", self.Type())
	}
	t := self.Type().Elem()
	if f, ok := t.FieldByName("arrayObject"); !ok || !f.Anonymous || f.Type.String() != "*goja.arrayObject" {
		return fmt.Errorf("taggedTemplateArray does not embed an *arrayObject")
	}
	m := objectSelf.in(unsafe.Pointer(o))
	templateLayout.tab, templateLayout.typ = m.tab, t
	var site unsafe.Pointer
	code := field(reflect.ValueOf(p), "code")
	words := codeWords(p)
	for pc := range words {
		it := code.Index(pc).Elem().Type()
		if it.Kind() == reflect.Ptr && it.Elem().Name() == "getTaggedTmplObject" {
			templateLayout.insTab = words[pc].tab
			site = words[pc].data
		}
	}
	if site == nil {
		return fmt.Errorf("no getTaggedTmplObject instruction in a tagged template probe")
	}
	if *templateArrayIDPtr.in(m.data) != templateInsCooked.in(site) || len(*templateInsRaw.in(site)) != 2 || len(*templateInsCooked.in(site)) != 2 {
		return fmt.Errorf("a tagged template's idPtr does not point at its instruction's strings")
	}
	return nil
}

// codeWords returns the code of p (without nested programs) as the two
// words of each instruction interface value.
func codeWords(p *goja.Program) []iface {
	code := field(reflect.ValueOf(p), "code")
	if code.Len() == 0 {
		return nil
	}
	return unsafe.Slice((*iface)(code.Index(0).Addr().UnsafePointer()), code.Len())
}

// templateImpl returns the arrayObject of a tagged template array, or data
// itself for any other object.
func templateImpl(tab, data unsafe.Pointer) unsafe.Pointer {
	if tab == templateLayout.tab && tab != nil {
		return *templateArrayArr.in(data)
	}
	return data
}

// TemplateID returns the site identity (idPtr) of a tagged template array;
// ok is false for every other object.
func TemplateID(o *goja.Object) (id unsafe.Pointer, ok bool) {
	m := objectSelf.in(unsafe.Pointer(o))
	if m.tab != templateLayout.tab || m.tab == nil {
		return nil, false
	}
	return unsafe.Pointer(*templateArrayIDPtr.in(m.data)), true
}

// TemplateSite is a tagged template call site: the instruction at Pc of a
// program, whose cooked and raw strings identify the arrays it makes.
type TemplateSite struct {
	Pc          int            // the instruction that makes the template object
	Cooked, Raw unsafe.Pointer // its strings, which identify the arrays it makes
}

// TemplateSites lists the tagged template call sites of p (not of the
// programs nested in it).
func TemplateSites(p *goja.Program) []TemplateSite {
	if templateLayout.insTab == nil {
		return nil
	}
	ins := codeWords(p)
	var out []TemplateSite
	for pc := range ins {
		if ins[pc].tab == templateLayout.insTab {
			d := ins[pc].data
			out = append(out, TemplateSite{Pc: pc, Cooked: unsafe.Pointer(templateInsCooked.in(d)), Raw: unsafe.Pointer(templateInsRaw.in(d))})
		}
	}
	return out
}

// MakeTemplate turns o, a plain array, into a tagged template array whose
// site identity is id (a TemplateSite's Cooked or Raw).
func MakeTemplate(o *goja.Object, id unsafe.Pointer) error {
	if KindOf(o) != KindArray || templateLayout.typ == nil {
		return fmt.Errorf("a tagged template object that is not an array")
	}
	if _, already := TemplateID(o); already {
		return fmt.Errorf("an array made a tagged template object twice")
	}
	t := reflect.New(templateLayout.typ).UnsafePointer()
	m := objectSelf.in(unsafe.Pointer(o))
	*templateArrayArr.in(t), *templateArrayIDPtr.in(t) = m.data, (*[]goja.Value)(id)
	*m = iface{tab: templateLayout.tab, data: t}
	return nil
}
