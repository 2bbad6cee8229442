package format

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// withSections returns the payload d with its array of sections changed
// by edit (d's sections are all in their shortest form).
func withSections(t *testing.T, d []byte, edit func(sections [][]byte) [][]byte) []byte {
	t.Helper()
	_, lay, err := scanPayload(d, Current)
	if err != nil {
		t.Fatal(err)
	}
	var secs [][]byte
	s := &scanner{d: d, i: lay.body, m: &measure{}}
	for k := 0; k < lay.n; k++ {
		start := s.i
		if err := s.item(1); err != nil {
			t.Fatal(err)
		}
		secs = append(secs, d[start:s.i])
	}
	secs = edit(secs)
	out := appendHead(nil, 4, uint64(len(secs)))
	for _, sec := range secs {
		out = append(out, sec...)
	}
	return out
}

// TestVersions: how a reader treats payloads of each version: its own and
// format 1's are read; a newer minor version's is read when what it added
// is empty, and otherwise refused as newer, naming both versions; missing
// sections of an older version read as empty.
func TestVersions(t *testing.T) {
	p := empty()
	p.Strings = []string{"a", "b"}
	p.Templates = nil
	data := encode(t, p)
	newer := Version{Major, Minor + 1}
	nullSection := []byte{0xf6}
	full := []byte{0x81, 0x01} // [1]
	cases := []struct {
		name string
		v    Version
		data []byte
		want error
		text string
	}{
		{"this version", Current, data, nil, ""},
		{"format 2.0, without the code section", Version{2, 0},
			withSections(t, data, func(s [][]byte) [][]byte { return s[:numSections-1] }), nil, ""},
		{"format 1.1", Version{1, 1},
			withSections(t, data, func(s [][]byte) [][]byte { return s[:numSections-1] }), nil, ""},
		{"format 1.0 without the templates section", Version{1, 0},
			withSections(t, data, func(s [][]byte) [][]byte { return s[:numSections-2] }), nil, ""},
		{"format 1.0 with a section too few", Version{1, 0},
			withSections(t, data, func(s [][]byte) [][]byte { return s[:numSections-3] }), ErrCorrupt, "not an array of 18 to 19 sections"},
		{"this version with a section too few", Current,
			withSections(t, data, func(s [][]byte) [][]byte { return s[:numSections-1] }), ErrCorrupt, fmt.Sprintf("not an array of %d sections", numSections)},
		{"this version with an unknown section", Current,
			withSections(t, data, func(s [][]byte) [][]byte { return append(s, nullSection) }), ErrCorrupt, fmt.Sprintf("not an array of %d sections", numSections)},
		{"a newer minor version with an empty new section", newer,
			withSections(t, data, func(s [][]byte) [][]byte { return append(s, nullSection, []byte{0x80}) }), nil, ""},
		{"a newer minor version with a new section in use", newer,
			withSections(t, data, func(s [][]byte) [][]byte { return append(s, full) }), ErrNewerVersion,
			fmt.Sprintf("image was written by a newer Stasis: format %s; this build reads format %s and older (payload: section %d is not empty, and this build does not know it)", newer, Current, numSections+1)},
		{"a newer minor version with an unknown object kind", newer,
			encode(t, func() *Payload { q := empty(); q.Objects.Kinds = []byte{200}; return q }()), ErrNewerVersion,
			fmt.Sprintf("format %s; this build reads format %s and older (object 0: unknown kind 200)", newer, Current)},
		{"a newer major version", Version{Major + 1, 0}, data, ErrNewerVersion, fmt.Sprintf("format %d.0; this build reads format %s and older", Major+1, Current)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DecodeVersion(c.data, Limits{}, c.v)
			if c.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Strings) != 2 || got.Strings[1] != "b" {
					t.Fatalf("decoded strings %q", got.Strings)
				}
				// What was read is what this build writes for the world.
				again, err := Encode(got)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(again, data) {
					t.Fatal("the payload read does not encode as this version's")
				}
				return
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) {
				t.Fatalf("got %v, want %v saying %q", err, c.want, c.text)
			}
		})
	}
}
