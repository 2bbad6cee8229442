package format

import (
	"reflect"
	"strings"
	"testing"
)

// TestTextsDecodeAsLibrary decodes lists of strings with Texts and with
// the CBOR library's generic path into []string: the same values, or
// both refuse.
func TestTextsDecodeAsLibrary(t *testing.T) {
	enc := func(v any) []byte { return encoded(t, v) }
	cases := []struct {
		name string
		data []byte
	}{
		{"empty", enc([]string{})},
		{"null", enc([]string(nil))},
		{"strings", enc([]string{"", "a", "é", "€𝄞", strings.Repeat("x", 23), strings.Repeat("y", 24), strings.Repeat("z", 300), strings.Repeat("w", 70000)})},
		{"many", enc(make([]string, 1000))},
		{"invalid UTF-8", []byte{0x82, 0x61, 'a', 0x62, 0xc3, 0x28}},
		{"byte string", enc([]any{"a", []byte("b")})},
		{"number", enc([]any{"a", 1})},
		{"nested", enc([]any{"a", []string{"b"}})},
		{"null string", enc([]any{"a", nil})},
		{"not an array", enc("a")},
		{"map", enc(map[string]string{"a": "b"})},
		{"indefinite length", []byte{0x9f, 0x61, 'a', 0xff}},
		{"indefinite string", []byte{0x81, 0x7f, 0x61, 'a', 0xff}},
		{"truncated", enc([]string{"a", "bcdef"})[:5]},
		{"count past the end", []byte{0x9a, 0xff, 0xff, 0xff, 0xff, 0x60}},
		{"length past the end", []byte{0x81, 0x7a, 0xff, 0xff, 0xff, 0xff, 'a'}},
		{"trailing bytes", append(enc([]string{"a"}), 0x01)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want []string
			wantErr := decMode.Unmarshal(c.data, &want)
			var got Texts
			gotErr := got.UnmarshalCBOR(c.data)
			if strings.HasPrefix(c.name, "indefinite") {
				// The payload's scan refuses indefinite lengths before
				// anything is decoded; Texts must not accept them either.
				if gotErr == nil {
					t.Fatalf("accepted %x as %q", c.data, got)
				}
				return
			}
			if (gotErr != nil) != (wantErr != nil) {
				t.Fatalf("Texts: %q (%v), library: %q (%v)", got, gotErr, want, wantErr)
			}
			if gotErr == nil && !reflect.DeepEqual([]string(got), want) {
				t.Fatalf("Texts %q, library %q", got, want)
			}
		})
	}
	// Damaged lists: every byte changed in turn to values that make heads,
	// lengths, types and UTF-8 wrong (but for indefinite lengths, which
	// the payload's scan refuses first).
	small := enc([]string{"ab", "", "é", strings.Repeat("x", 30)})
	for i := range small {
		for _, x := range []byte{0x00, 0x17, 0x18, 0x1b, 0x40, 0x60, 0x61, 0x78, 0x80, 0xc3, 0xf6, 0xff, small[i] + 1, small[i] - 1} {
			if x == 0x5f || x == 0x7f || x == 0x9f || x == 0xbf {
				continue
			}
			d := append([]byte{}, small...)
			d[i] = x
			var want []string
			wantErr := decMode.Unmarshal(d, &want)
			var got Texts
			gotErr := got.UnmarshalCBOR(d)
			if (gotErr != nil) != (wantErr != nil) || gotErr == nil && !reflect.DeepEqual([]string(got), want) {
				t.Fatalf("byte %d set to %#x: Texts %q (%v), library %q (%v)", i, x, got, gotErr, want, wantErr)
			}
		}
	}
}
