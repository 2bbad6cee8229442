package format

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds the payload decoder arbitrary bytes (the seeds in
// testdata/fuzz/FuzzDecode are payloads of real worlds). It must refuse
// them with an error or decode them; what it decodes must encode and
// decode again to the same bytes.
func FuzzDecode(f *testing.F) {
	f.Add(encode(f, empty()))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := Limits{Payload: 1 << 20, Objects: 1 << 16, StringBytes: 1 << 20, BufferBytes: 1 << 20}
		p, err := Decode(data, lim)
		if err != nil {
			return
		}
		again, err := Encode(p)
		if err != nil {
			t.Fatalf("a decoded payload does not encode: %v", err)
		}
		p2, err := Decode(again, lim)
		if err != nil {
			t.Fatalf("a decoded payload, encoded again, is refused: %v", err)
		}
		again2, _ := Encode(p2)
		if !bytes.Equal(again, again2) {
			t.Fatal("encoding is not stable")
		}
	})
}
