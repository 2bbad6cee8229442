package format

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestCodeRecord(t *testing.T) {
	entries := []ScriptCode{
		{Script: 0, Shape: 0xdeadbeef, Programs: []ProgramCode{}},
		{Script: 3, Shape: 1 << 63, Programs: []ProgramCode{{Index: 0, Hash: 7}, {Index: 300, Hash: ^uint64(0)}}},
	}
	b := EncodeCode(entries)
	got, err := DecodeCode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, entries) {
		t.Fatalf("decoded %+v, want %+v", got, entries)
	}
	if got, err := DecodeCode(EncodeCode(nil)); err != nil || len(got) != 0 {
		t.Fatalf("an empty record decodes to %v, %v", got, err)
	}
	bad := []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "version []"},
		{"a later version", []byte{2}, "version [2]"},
		{"a hash cut short", b[:len(b)-1], "cut short"},
		{"scripts out of order", EncodeCode([]ScriptCode{{Script: 2}, {Script: 2}}), "script 2 after script 2"},
		{"programs out of order", EncodeCode([]ScriptCode{{Programs: []ProgramCode{{Index: 5}, {Index: 4}}}}), "program 4 after program 5"},
		{"a count over the bytes", []byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}, "programs in 0 bytes"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := DecodeCode(c.b)
			if err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an ErrCorrupt error with %q", err, c.want)
			}
		})
	}
}

// FuzzDecodeCode: a code record decodes or is refused; what decodes encodes
// back to the same bytes (there is one encoding of each record).
func FuzzDecodeCode(f *testing.F) {
	f.Add(EncodeCode([]ScriptCode{{Script: 1, Shape: 2, Programs: []ProgramCode{{Index: 3, Hash: 4}}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, err := DecodeCode(b)
		if err != nil {
			return
		}
		if again := EncodeCode(entries); !bytes.Equal(again, b) {
			t.Fatalf("decoded %+v, which encodes to %x, not %x", entries, again, b)
		}
	})
}
