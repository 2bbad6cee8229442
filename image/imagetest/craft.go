package imagetest

import (
	"bytes"
	"testing"

	"github.com/stasisvm/stasis/image/format"
)

// Open returns the metadata and the decoded payload of the image file img,
// read without limits.
func Open(t testing.TB, img []byte) (*format.Meta, *format.Payload) {
	t.Helper()
	meta, data, err := format.Read(bytes.NewReader(img), format.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := format.Decode(data, format.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return meta, p
}

// Rewrite returns the image file img with its payload changed by mutate,
// and its checksums made valid again: an image as a crafted file would be,
// which only the checks of what it holds can refuse.
func Rewrite(t testing.TB, img []byte, mutate func(p *format.Payload)) []byte {
	t.Helper()
	meta, p := Open(t, img)
	mutate(p)
	data, err := format.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := format.Write(&buf, meta, data); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Extra returns the extra record of the first object of kind k in p, and
// fails t when p has none.
func Extra(t testing.TB, p *format.Payload, k format.Kind) []uint64 {
	t.Helper()
	e := 0
	for _, kb := range p.Objects.Kinds {
		if format.Kind(kb) == k {
			return p.Objects.Extra[e]
		}
		if format.Kind(kb).HasExtra() {
			e++
		}
	}
	t.Fatalf("no object of kind %v", k)
	return nil
}
