package format

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
)

// split cuts s into pieces of the given sizes (the last piece takes the
// rest), keeping empty pieces where a size is 0.
func split[T any](s []T, sizes ...int) [][]T {
	var out [][]T
	for _, n := range sizes {
		n = min(n, len(s))
		out = append(out, s[:n:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

// TestEncodePieces checks that a payload whose object columns are given in
// pieces encodes to exactly the bytes of the same payload with the columns
// joined: for columns absent (nil), present but
// empty, cut anywhere, and holding numbers of every CBOR width.
func TestEncodePieces(t *testing.T) {
	wide := []uint64{0, 23, 24, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, math.MaxUint64}
	big := benchPayload(5000)
	tests := []struct {
		name  string
		p     *Payload
		sizes []int
	}{
		{"empty payload", empty(), nil},
		{"one piece each", benchPayload(300), []int{1 << 20}},
		{"many pieces", big, []int{0, 1, 7, 64, 0, 1000, 3}},
		{"numbers of every width", func() *Payload {
			p := benchPayload(20)
			p.Objects.Slots = append(p.Objects.Slots, wide...)
			p.Objects.ArrLen = append(p.Objects.ArrLen, wide...)
			return p
		}(), []int{3, 3}},
		{"empty but not nil", func() *Payload {
			p := empty()
			p.Objects.Elems = []uint64{}
			p.Objects.Flags = []byte{}
			return p
		}(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.p.Objects
			cols := &Pieces{
				Kinds: split(o.Kinds, tt.sizes...), Flags: split(o.Flags, tt.sizes...),
				Proto: split(o.Proto, tt.sizes...), Shape: split(o.Shape, tt.sizes...),
				Slots: split(o.Slots, tt.sizes...), Elems: split(o.Elems, tt.sizes...),
				ArrLen: split(o.ArrLen, tt.sizes...),
			}
			// An empty but non-nil column is one empty piece.
			if o.Elems != nil && len(o.Elems) == 0 {
				cols.Elems = [][]uint64{{}}
			}
			if o.Flags != nil && len(o.Flags) == 0 {
				cols.Flags = [][]byte{{}}
			}
			want, err := Encode(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			other := *tt.p
			other.Objects.Slots, other.Objects.Kinds = []uint64{99}, []byte{1} // ignored
			got, err := EncodePieces(&other, cols)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("pieces encode to %d bytes, joined columns to %d; first difference at byte %d", len(got), len(want), firstDiff(got, want))
			}
		})
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestEncodePiecesKnowsEverySection fails when a section or an objects
// column is added, removed or moved: EncodePieces lists them one by one and
// must be changed with them.
func TestEncodePiecesKnowsEverySection(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[Payload](), "Strings Lone Floats BigInts Buffers Scripts Symbols Shapes Objects Stashes Roots Plugins Natives Brands PrivEnvs MethodArrays Weak Mapped Templates Code"},
		{reflect.TypeFor[Objects](), "Kinds Intrinsic Proto Shape Flags Slots SymProps Elems ArrLen Extra Private"},
	}
	for _, tt := range tests {
		var names []string
		for f := range tt.typ.Fields() {
			if f.Name != "_" {
				names = append(names, f.Name)
			}
		}
		if got := strings.Join(names, " "); got != tt.want {
			t.Errorf("%s has fields\n%s\nEncodePieces writes\n%s", tt.typ, got, tt.want)
		}
	}
}
