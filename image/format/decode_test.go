package format

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// TestSectionsAreThePayloadsFields: sections lists Payload's fields in
// their order (the format's), each once.
func TestSectionsAreThePayloadsFields(t *testing.T) {
	var p Payload
	secs := p.sections()
	k := 0
	for f := range reflect.TypeFor[Payload]().Fields() {
		if f.Name == "_" {
			continue
		}
		if k >= numSections {
			t.Fatalf("Payload has more than %d sections", numSections)
		}
		ptr := reflect.ValueOf(secs[k]).UnsafePointer()
		if want := unsafe.Add(unsafe.Pointer(&p), f.Offset); ptr != want || reflect.TypeOf(secs[k]).Elem() != f.Type {
			t.Errorf("section %d (%s) is not the field %s", k, sectionNames[k], f.Name)
		}
		k++
	}
	if k != numSections {
		t.Errorf("Payload has %d sections, want %d", k, numSections)
	}
}

// withScripts is a payload of objects, strings and scripts with code.
func withScripts() *Payload {
	p := benchPayload(500)
	p.Scripts = []Script{{Name: "<builtin>", Digest: []byte{9}}, {Name: "a.js", Source: "var a = [1, 2, 3]"}}
	p.Code = &CodeSection{Key: "k", Programs: [][]byte{nil, {4, 5, 6}}}
	p.Roots.Main = CodeNone
	p.Roots.Saving = CodeNone
	return p
}

// TestDecodeSectionBySection: a payload decoded section by section is the
// payload the library decodes whole.
func TestDecodeSectionBySection(t *testing.T) {
	data := encode(t, withScripts())
	got, err := Decode(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var want Payload
	if err := decMode.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("decoded %+v\nthe library decodes %+v", got, want)
	}
}

// TestDecodeScriptsFirst: the callback sees the scripts and code sections
// before the others are decoded, and is not called for code that does not
// match the scripts.
func TestDecodeScriptsFirst(t *testing.T) {
	want := withScripts()
	calls := 0
	got, err := DecodeScriptsFirst(encode(t, want), Limits{}, Current, func(p *Payload) {
		calls++
		if !reflect.DeepEqual(p.Scripts, want.Scripts) || !reflect.DeepEqual(p.Code, want.Code) {
			t.Errorf("the callback sees scripts %+v and code %+v", p.Scripts, p.Code)
		}
		if p.Strings != nil || p.Objects.Kinds != nil {
			t.Error("the callback is called after the other sections are decoded")
		}
	})
	if err != nil || calls != 1 || len(got.Strings) != len(want.Strings) {
		t.Fatalf("decoded with %d calls: %v", calls, err)
	}

	bad := withScripts()
	bad.Code.Programs = bad.Code.Programs[:1]
	calls = 0
	_, err = DecodeScriptsFirst(encode(t, bad), Limits{}, Current, func(*Payload) { calls++ })
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "1 programs for 2 scripts") || calls != 0 {
		t.Errorf("code for fewer scripts: %v, %d calls", err, calls)
	}

	// A section after the code refused: the callback has run, the payload
	// is refused all the same.
	late := withScripts()
	late.Roots.Main = Code(TagObject, 1<<20)
	calls = 0
	_, err = DecodeScriptsFirst(encode(t, late), Limits{}, Current, func(*Payload) { calls++ })
	if !errors.Is(err, ErrCorrupt) || calls != 1 {
		t.Errorf("a main function out of range: %v, %d calls", err, calls)
	}
}
