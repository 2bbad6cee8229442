package format

import (
	"strings"
	"testing"
)

// benchPayload is a payload shaped like a world of n small objects: each
// with a prototype, a shape of four keys and four slots (numbers, strings,
// a reference to another object), one array in ten.
func benchPayload(n int) *Payload {
	p := empty()
	p.Strings = []string{"id", "name", "ok", "next"}
	for i := 0; i < 1000; i++ {
		p.Strings = append(p.Strings, "n"+string(rune('a'+i%26))+string(rune('a'+i/26%26)))
	}
	p.Shapes = [][]uint64{{0, AttrPlain, 1, AttrPlain, 2, AttrPlain, 3, AttrPlain}, {}}
	o := &p.Objects
	for i := 0; i < n; i++ {
		if i%10 == 9 {
			o.Kinds = append(o.Kinds, byte(KindArray))
			o.Shape = append(o.Shape, 1)
			o.ArrLen = append(o.ArrLen, 2, 2, 1)
			o.Elems = append(o.Elems, Code(TagInt, uint64(i)), Code(TagObject, uint64(i/2)))
		} else {
			o.Kinds = append(o.Kinds, byte(KindOrdinary))
			o.Shape = append(o.Shape, 0)
			o.Slots = append(o.Slots, Code(TagInt, uint64(i)), Code(TagString, uint64(4+i%1000)),
				Code(TagSpecial, SpecialTrue), Code(TagObject, uint64((i*7+1)%n)))
		}
		o.Proto = append(o.Proto, CodeNull)
		o.Flags = append(o.Flags, 0)
	}
	return p
}

// BenchmarkDecode measures what measuring and checking a payload costs:
// Decode (scan, limits, CBOR, structural check) against the CBOR decoding
// alone, its baseline.
func BenchmarkDecode(b *testing.B) {
	data := encode(b, benchPayload(200000))
	b.Run("Unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			var p Payload
			if err := decMode.Unmarshal(data, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Decode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			if _, err := Decode(data, Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStringsSection measures decoding a strings section of 2,000
// strings of 1 to 60 bytes (lodash's has 1,827, 30 bytes on average) with
// Texts, against the CBOR library's generic path into []string, its
// baseline.
func BenchmarkStringsSection(b *testing.B) {
	s := make([]string, 2000)
	for i := range s {
		s[i] = strings.Repeat(string(rune('a'+i%26)), 1+i%60)
	}
	data, err := encMode.Marshal(s)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Library", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			var x []string
			if err := decMode.Unmarshal(data, &x); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Texts", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			var x Texts
			if err := decMode.Unmarshal(data, &x); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkObjectsSection measures decoding the objects' columns of
// 200,000 small objects as Decode does (decodeSection: Objects's own
// decoder), against the library's generic path for the same struct
// (whose columns then use their own decoders, after the library has
// walked the section to check it and walked each column to skip it), its
// baseline.
func BenchmarkObjectsSection(b *testing.B) {
	data, err := encMode.Marshal(benchPayload(200000).Objects)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Library", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			var o Objects
			if err := decMode.Unmarshal(data, (*objectsPlain)(&o)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Section", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for range b.N {
			var o Objects
			if err := decodeSection(data, &o); err != nil {
				b.Fatal(err)
			}
		}
	})
}
