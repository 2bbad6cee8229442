package format

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestCodeSectionChecks(t *testing.T) {
	scripts := []Script{{Name: "a.js", Source: "var a = 1"}, {Name: "<builtin>", Digest: []byte{1}}}
	cases := []struct {
		name string
		code *CodeSection
		text string
	}{
		{"no key", &CodeSection{Programs: [][]byte{{1}, nil}}, "programs without a key"},
		{"count", &CodeSection{Key: "k", Programs: [][]byte{{1}}}, "1 programs for 2 scripts"},
		{"built-in", &CodeSection{Key: "k", Programs: [][]byte{nil, {1}}}, "program 1 is of a built-in script"},
		{"too large", &CodeSection{Key: "k", Programs: [][]byte{bytes.Repeat([]byte{1}, 2000), nil}}, "program 0 of 2000 bytes for a source of 9"},
	}
	for _, c := range cases {
		p := empty()
		p.Scripts = scripts
		p.Code = c.code
		_, err := Decode(encode(t, p), Limits{})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.text)
		}
	}
	p := empty()
	p.Scripts = scripts
	p.Code = &CodeSection{Key: "k", Programs: [][]byte{{1, 2, 3}, nil}}
	got, err := Decode(encode(t, p), Limits{})
	if err != nil || got.Code == nil || !reflect.DeepEqual(*got.Code, *p.Code) {
		t.Errorf("a valid code section: %v, %+v", err, got)
	}
}
