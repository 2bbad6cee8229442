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

// templateMirror mirrors goja's taggedTemplateArray.
type templateMirror struct {
	arr   unsafe.Pointer // *arrayObject
	idPtr unsafe.Pointer // *[]Value, into a getTaggedTmplObject instruction
}

// insTemplateMirror mirrors goja's getTaggedTmplObject instruction.
type insTemplateMirror struct {
	raw, cooked []goja.Value
}

var templateLayout struct {
	tab    unsafe.Pointer // itab of *taggedTemplateArray as an objectImpl
	typ    reflect.Type   // taggedTemplateArray
	insTab unsafe.Pointer // itab of *getTaggedTmplObject as an instruction
}

const templateSample = `(function (s) { return s })` + "`a${1}\\x62`"

// checkTemplateLayout verifies the mirrors on a sample and records the
// interface tables that tell tagged template arrays and their instructions.
func checkTemplateLayout(rt *goja.Runtime) error {
	p, err := goja.Compile("template-probe", templateSample, false)
	if err != nil {
		return err
	}
	v, err := rt.RunProgram(p)
	if err != nil {
		return err
	}
	o, ok := v.(*goja.Object)
	if !ok {
		return fmt.Errorf("tagged template sample is not an object")
	}
	self := reflect.ValueOf(o).Elem().FieldByName("self").Elem()
	if self.Type().String() != "*goja.taggedTemplateArray" {
		return fmt.Errorf("tagged template sample is a %s", self.Type())
	}
	t := self.Type().Elem()
	mt := reflect.TypeOf(templateMirror{})
	if t.NumField() != 2 || t.Size() != mt.Size() || t.Field(0).Type.String() != "*goja.arrayObject" ||
		t.Field(1).Name != "idPtr" || t.Field(1).Type.String() != "*[]goja.Value" ||
		t.Field(0).Offset != mt.Field(0).Offset || t.Field(1).Offset != mt.Field(1).Offset {
		return fmt.Errorf("taggedTemplateArray is not {*arrayObject; idPtr *[]Value}")
	}
	m := mirrorOf(o)
	templateLayout.tab, templateLayout.typ = m.self.tab, t
	var site *insTemplateMirror
	code := field(reflect.ValueOf(p), "code")
	words := codeWords(p)
	for pc := range words {
		it := code.Index(pc).Elem().Type()
		if it.Kind() == reflect.Ptr && it.Elem().Name() == "getTaggedTmplObject" {
			if err := compareLayout(reflect.TypeOf(insTemplateMirror{}), it.Elem(), "getTaggedTmplObject", discardHash{}); err != nil {
				return err
			}
			templateLayout.insTab = words[pc].tab
			site = (*insTemplateMirror)(words[pc].data)
		}
	}
	if site == nil {
		return fmt.Errorf("no getTaggedTmplObject instruction in a tagged template probe")
	}
	tm := (*templateMirror)(m.self.data)
	if tm.idPtr != unsafe.Pointer(&site.cooked) || len(site.raw) != 2 || len(site.cooked) != 2 {
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
		return (*templateMirror)(data).arr
	}
	return data
}

// TemplateID returns the site identity (idPtr) of a tagged template array;
// ok is false for every other object.
func TemplateID(o *goja.Object) (id unsafe.Pointer, ok bool) {
	m := mirrorOf(o)
	if m.self.tab != templateLayout.tab || m.self.tab == nil {
		return nil, false
	}
	return (*templateMirror)(m.self.data).idPtr, true
}

// TemplateSite is a tagged template call site: the instruction at Pc of a
// program, whose cooked and raw strings identify the arrays it makes.
type TemplateSite struct {
	Pc          int
	Cooked, Raw unsafe.Pointer
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
			m := (*insTemplateMirror)(ins[pc].data)
			out = append(out, TemplateSite{Pc: pc, Cooked: unsafe.Pointer(&m.cooked), Raw: unsafe.Pointer(&m.raw)})
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
	m := mirrorOf(o)
	tm := (*templateMirror)(t)
	tm.arr, tm.idPtr = m.self.data, id
	m.self = iface{tab: templateLayout.tab, data: t}
	return nil
}
