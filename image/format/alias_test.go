package format

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// within tells whether the n bytes at p lie inside data.
func within(data []byte, p *byte, n int) bool {
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	a := uintptr(unsafe.Pointer(p))
	return a >= lo && a+uintptr(n) <= lo+uintptr(len(data))
}

// TestDecodeLeavesSourcesAndCodeInPlace: a payload's sources and programs
// are not copied out of its bytes, and decode to what was encoded.
func TestDecodeLeavesSourcesAndCodeInPlace(t *testing.T) {
	p := empty()
	p.Scripts = []Script{
		{Name: "<builtin>", Digest: []byte{1, 2}},
		{Name: "a.js", Source: strings.Repeat("var a = 1;\n", 100), Strict: true},
		{Name: "é.js", Source: "let é = '→'"},
		{Name: "empty.js"},
	}
	p.Code = &CodeSection{Key: "k", Programs: [][]byte{nil, {1, 2, 3}, {}, nil}}
	data := encode(t, p)
	got, err := Decode(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Scripts, p.Scripts) || !reflect.DeepEqual(*got.Code, *p.Code) {
		t.Fatalf("decoded %+v %+v, want %+v %+v", got.Scripts, got.Code, p.Scripts, p.Code)
	}
	for i := 1; i < 3; i++ {
		if s := got.Scripts[i].Source; !within(data, unsafe.StringData(s), len(s)) {
			t.Errorf("script %d: its source was copied out of the payload", i)
		}
	}
	if b := got.Code.Programs[1]; !within(data, &b[0], len(b)) {
		t.Error("a program was copied out of the payload")
	}
	if b := got.Code.Programs[1]; cap(b) != len(b) {
		t.Errorf("a program of %d bytes has room for %d: appending to it would write over the payload", len(b), cap(b))
	}
}

// TestScriptsAndCodeInOtherShapes: records not in the shape the writer
// gives them decode as the CBOR library decodes them, or are refused as
// it refuses them.
func TestScriptsAndCodeInOtherShapes(t *testing.T) {
	scripts := []struct {
		name string
		cbor []byte
	}{
		{"writer's shape", []byte{0x81, 0x84, 0x61, 'a', 0x61, 'b', 0xf4, 0xf6}},
		{"digest as bytes", []byte{0x81, 0x84, 0x61, 'a', 0x60, 0xf5, 0x41, 7}},
		{"null record", []byte{0x81, 0xf6}},
		{"null source", []byte{0x81, 0x84, 0x61, 'a', 0xf6, 0xf4, 0xf6}},
		{"null strict", []byte{0x81, 0x84, 0x61, 'a', 0x61, 'b', 0xf6, 0xf6}},
		{"tagged source", []byte{0x81, 0x84, 0x61, 'a', 0xd8, 0x40, 0x61, 'b', 0xf4, 0xf6}},
		{"three fields", []byte{0x81, 0x83, 0x61, 'a', 0x61, 'b', 0xf4}},
		{"five fields", []byte{0x81, 0x85, 0x61, 'a', 0x61, 'b', 0xf4, 0xf6, 0}},
		{"source as bytes", []byte{0x81, 0x84, 0x61, 'a', 0x41, 'b', 0xf4, 0xf6}},
		{"invalid UTF-8 source", []byte{0x81, 0x84, 0x61, 'a', 0x61, 0xff, 0xf4, 0xf6}},
		{"invalid UTF-8 name", []byte{0x81, 0x84, 0x61, 0xc3, 0x61, 'b', 0xf4, 0xf6}},
		{"strict as integer", []byte{0x81, 0x84, 0x61, 'a', 0x61, 'b', 1, 0xf6}},
	}
	for _, c := range scripts {
		var got []Script
		var want []scriptPlain
		errGot, errWant := decMode.Unmarshal(c.cbor, &got), decMode.Unmarshal(c.cbor, &want)
		if (errGot == nil) != (errWant == nil) {
			t.Errorf("scripts, %s: error %v, the library's %v", c.name, errGot, errWant)
			continue
		}
		if errGot == nil && !reflect.DeepEqual(got, *(*[]Script)(unsafe.Pointer(&want))) {
			t.Errorf("scripts, %s: %+v, the library's %+v", c.name, got, want)
		}
	}
	code := []struct {
		name string
		cbor []byte
	}{
		{"writer's shape", []byte{0x82, 0x61, 'k', 0x83, 0xf6, 0x42, 1, 2, 0x40}},
		{"no programs", []byte{0x82, 0x61, 'k', 0x80}},
		{"null programs", []byte{0x82, 0x61, 'k', 0xf6}},
		{"null key", []byte{0x82, 0xf6, 0x81, 0x41, 1}},
		{"program as text", []byte{0x82, 0x61, 'k', 0x81, 0x61, 'x'}},
		{"program as an array", []byte{0x82, 0x61, 'k', 0x81, 0x82, 1, 2}},
		{"tagged program", []byte{0x82, 0x61, 'k', 0x81, 0xd8, 0x40, 0x41, 1}},
		{"three fields", []byte{0x83, 0x61, 'k', 0x80, 0}},
		{"more programs declared than bytes", []byte{0x82, 0x61, 'k', 0x9a, 0xff, 0xff, 0xff, 0xff, 0x41, 1}},
	}
	for _, c := range code {
		var got *CodeSection
		var want *codePlain
		errGot, errWant := decMode.Unmarshal(c.cbor, &got), decMode.Unmarshal(c.cbor, &want)
		if (errGot == nil) != (errWant == nil) {
			t.Errorf("code, %s: error %v, the library's %v", c.name, errGot, errWant)
			continue
		}
		if errGot == nil && !reflect.DeepEqual(got, (*CodeSection)(want)) {
			t.Errorf("code, %s: %+v, the library's %+v", c.name, got, want)
		}
	}
}
