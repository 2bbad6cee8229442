package format

import (
	"math"
	"reflect"
	"testing"
)

// TestUintsDecodeAsLibrary decodes columns with Uints and with the CBOR
// library's generic path into []uint64: the same values, or both refuse.
func TestUintsDecodeAsLibrary(t *testing.T) {
	enc := func(v any) []byte { return encoded(t, v) }
	cases := []struct {
		name string
		data []byte
	}{
		{"empty", enc([]uint64{})},
		{"null", enc([]uint64(nil))},
		{"every head size", enc([]uint64{0, 23, 24, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, math.MaxUint64})},
		{"many", enc(make([]uint64, 1000))},
		{"negative", enc([]int64{1, -1})},
		{"text", enc([]any{1, "a"})},
		{"nested", enc([]any{1, []uint64{2}})},
		{"float", enc([]any{1, 1.5})},
		{"not an array", enc(uint64(7))},
		{"map", enc(map[uint64]uint64{1: 2})},
		{"indefinite length", []byte{0x9f, 0x01, 0x02, 0xff}},
		{"truncated", enc([]uint64{1, 1000000})[:4]},
		{"count past the end", []byte{0x9a, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"trailing bytes", append(enc([]uint64{1}), 0x01)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want []uint64
			wantErr := decMode.Unmarshal(c.data, &want)
			var got Uints
			gotErr := got.UnmarshalCBOR(c.data)
			if c.name == "indefinite length" {
				// The payload's scan refuses indefinite lengths before
				// anything is decoded; a column must not accept them either.
				if gotErr == nil {
					t.Fatalf("accepted %x as %v", c.data, got)
				}
				return
			}
			if (gotErr != nil) != (wantErr != nil) {
				t.Fatalf("Uints: %v (%v), library: %v (%v)", got, gotErr, want, wantErr)
			}
			if gotErr == nil && !reflect.DeepEqual([]uint64(got), want) {
				t.Fatalf("Uints %v, library %v", got, want)
			}
		})
	}
}

// TestUintsInPayload decodes columns inside a payload (the library calls
// Uints for each field, null ones included), as Decode does.
func TestUintsInPayload(t *testing.T) {
	var p Payload
	p.Objects.Intrinsic = Uints{1 << 40}
	p.Objects.Slots = Uints{0, 24, 300, 70000, 1 << 33}
	b, err := Encode(&p)
	if err != nil {
		t.Fatal(err)
	}
	var q Payload
	if err := decMode.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(q.Objects.Slots, p.Objects.Slots) || !reflect.DeepEqual(q.Objects.Intrinsic, p.Objects.Intrinsic) || q.Objects.Proto != nil {
		t.Fatalf("decoded %+v, want %+v", q.Objects, p.Objects)
	}
}

// TestRecordsDecodeAsLibrary decodes lists of records with Records and
// with the CBOR library's generic path into [][]uint64: the same values
// (nil and empty records told apart), or both refuse.
func TestRecordsDecodeAsLibrary(t *testing.T) {
	enc := func(v any) []byte { return encoded(t, v) }
	cases := []struct {
		name string
		data []byte
	}{
		{"empty", enc([][]uint64{})},
		{"null", enc([][]uint64(nil))},
		{"records", enc([][]uint64{{1, 2, 3}, nil, {}, {math.MaxUint64, 24, 256, 65536, math.MaxUint32 + 1}, {7}})},
		{"only nulls", enc([][]uint64{nil, nil})},
		{"many", enc(make([][]uint64, 1000))},
		{"flat", enc([]uint64{1, 2})},
		{"negative", enc([][]int64{{1}, {-1}})},
		{"text", enc([]any{[]uint64{1}, "a"})},
		{"text inside", enc([]any{[]any{1, "a"}})},
		{"deeper", enc([]any{[]any{1, []uint64{2}}})},
		{"not an array", enc(uint64(7))},
		{"indefinite inner", []byte{0x81, 0x9f, 0x01, 0xff}},
		{"truncated", enc([][]uint64{{1, 1000000}})[:5]},
		{"count past the end", []byte{0x81, 0x9a, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{"records past the end", []byte{0x9a, 0xff, 0xff, 0xff, 0xff, 0x80}},
		{"trailing bytes", append(enc([][]uint64{{1}}), 0x01)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want [][]uint64
			wantErr := decMode.Unmarshal(c.data, &want)
			var got Records
			gotErr := got.UnmarshalCBOR(c.data)
			if c.name == "indefinite inner" {
				// The payload's scan refuses indefinite lengths first.
				if gotErr == nil {
					t.Fatalf("accepted %x as %v", c.data, got)
				}
				return
			}
			if (gotErr != nil) != (wantErr != nil) {
				t.Fatalf("Records: %v (%v), library: %v (%v)", got, gotErr, want, wantErr)
			}
			if gotErr == nil && !reflect.DeepEqual([][]uint64(got), want) {
				t.Fatalf("Records %#v, library %#v", got, want)
			}
			for k := range got {
				if len(got[k]) != cap(got[k]) {
					t.Fatalf("record %d has room past its end (len %d, cap %d): an append would write into the next", k, len(got[k]), cap(got[k]))
				}
			}
		})
	}
}

// TestObjectsDecodeAsLibrary decodes objects' columns with Objects's own
// decoder and with the library's (objectsPlain): the same values, or both
// refuse.
func TestObjectsDecodeAsLibrary(t *testing.T) {
	enc := func(v any) []byte { return encoded(t, v) }
	full := benchPayload(300).Objects
	full.Extra = Records{{1, 2}, nil, {}, {3}}
	full.Private = Uints{1, 2, 3}
	withEmpty := Objects{Kinds: []byte{}, Flags: []byte{}, Slots: Uints{}, Extra: Records{}}
	good := enc(full)
	cases := []struct {
		name string
		data []byte
	}{
		{"full", good},
		{"all null", enc(Objects{})},
		{"empty columns", enc(withEmpty)},
		{"null section", []byte{0xf6}},
		{"kinds as an array", enc([]any{[]uint64{1, 2}, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil})},
		{"kinds as text", enc([]any{"ab", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil})},
		{"ten columns", enc([]any{nil, nil, nil, nil, nil, nil, nil, nil, nil, nil})},
		{"twelve columns", enc([]any{nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil})},
		{"a negative integer", enc([]any{nil, []int64{-1}, nil, nil, nil, nil, nil, nil, nil, nil, nil})},
		{"a record of text", enc([]any{nil, nil, nil, nil, nil, nil, nil, nil, nil, []any{"x"}, nil})},
		{"truncated", good[:len(good)-3]},
		{"trailing bytes", append(append([]byte{}, good...), 0)},
		{"not an array", enc(uint64(3))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want Objects
			wantErr := decMode.Unmarshal(c.data, (*objectsPlain)(&want))
			var got Objects
			gotErr := got.UnmarshalCBOR(c.data)
			if (gotErr != nil) != (wantErr != nil) {
				t.Fatalf("Objects: %v, library: %v", gotErr, wantErr)
			}
			if gotErr == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("Objects %+v\nlibrary %+v", got, want)
			}
			if _, fast := objectsAt(c.data); fast != (c.name == "full" || c.name == "all null" || c.name == "empty columns") {
				t.Errorf("decoded without the library: %v", fast)
			}
		})
	}
	// Damaged columns: every byte of a small section changed in turn to
	// values that make heads, lengths and types wrong.
	small := enc(Objects{Kinds: []byte{1, 2}, Proto: Uints{3, 300}, Flags: []byte{0}, Slots: Uints{70000}, Extra: Records{{1}, nil}, Private: Uints{}})
	for i := range small {
		for _, x := range []byte{0x00, 0x17, 0x18, 0x1b, 0x1f, 0x40, 0x5f, 0x60, 0x80, 0x8b, 0x9f, 0xa0, 0xf6, 0xff, small[i] + 1, small[i] - 1} {
			d := append([]byte{}, small...)
			d[i] = x
			var want, got Objects
			wantErr := decMode.Unmarshal(d, (*objectsPlain)(&want))
			gotErr := got.UnmarshalCBOR(d)
			if (gotErr != nil) != (wantErr != nil) || gotErr == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("byte %d set to %#x: Objects %+v (%v), library %+v (%v)", i, x, got, gotErr, want, wantErr)
			}
		}
	}
}

// encoded returns v as the payload's encoder writes it.
func encoded(t testing.TB, v any) []byte {
	t.Helper()
	b, err := encMode.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
