package format

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand"
	"testing"
	"unsafe"
)

// inside reports whether the bytes of p lie inside b.
func inside(b []byte, p []byte) bool {
	if len(p) == 0 || len(b) == 0 {
		return false
	}
	lo, x := uintptr(unsafe.Pointer(&b[0])), uintptr(unsafe.Pointer(&p[0]))
	return x >= lo && x+uintptr(len(p)) <= lo+uintptr(len(b))
}

// TestUncompressed: a compressed image stored raw reads back to the same
// metadata and payload, keeps its version and metadata bytes, and its
// payload is read in place by ReadBytesInPlace (and copied by ReadBytes);
// a damaged image is refused as a load refuses it.
func TestUncompressed(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	random := make([]byte, 3*frameSize/2)
	rnd.Read(random)
	payloads := map[string][]byte{
		"one frame":  bytes.Repeat([]byte("compressible "), 1000),
		"two frames": append(bytes.Repeat([]byte("source text "), frameSize/12), random[:frameSize/2]...),
		"tiny, raw":  []byte("tiny"),
	}
	for name, payload := range payloads {
		img := testImage(t, payload)
		// An image of an older version keeps its version: its payload
		// is of that version.
		old := append([]byte(nil), img...)
		binary.LittleEndian.PutUint16(old[10:], 0)
		rehash(old)
		for _, in := range [][]byte{img, old} {
			out, err := Uncompressed(in, Limits{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !bytes.Equal(out[8:12], in[8:12]) || binary.LittleEndian.Uint32(out[12:]) != 0 {
				t.Errorf("%s: version %x, flags %x; want version %x, flags 0", name, out[8:12], out[12:16], in[8:12])
			}
			m0, _, err := Read(bytes.NewReader(in), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			m, got, err := ReadBytesInPlace(out, Limits{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !bytes.Equal(got, payload) || m.Version != m0.Version || m.StasisVersion != "test" || len(m.Entry) != 1 {
				t.Errorf("%s: read back %d bytes of payload, version %s (want %s)", name, len(got), m.Version, m0.Version)
			}
			if !inside(out, got) {
				t.Errorf("%s: ReadBytesInPlace copied a raw payload", name)
			}
			if _, got, _ := ReadBytes(out, Limits{}); inside(out, got) || !bytes.Equal(got, payload) {
				t.Errorf("%s: ReadBytes shares the image's memory", name)
			}
			if _, got, _ := ReadBytesInPlace(in, Limits{}); !bytes.Equal(got, payload) || (len(in) < len(out)) == inside(in, got) {
				t.Errorf("%s: ReadBytesInPlace of the image as written", name)
			}
			// Stored raw already: the same bytes, without what follows.
			again, err := Uncompressed(append(out, "trailing"...), Limits{})
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("%s: Uncompressed of a raw image: %v", name, err)
			}
		}
	}

	img := testImage(t, payloads["two frames"])
	bad := append([]byte(nil), img...)
	bad[len(bad)-10] ^= 1
	for _, c := range []struct {
		name string
		img  []byte
		lim  Limits
		want error
	}{
		{"damaged payload", bad, Limits{}, ErrCorrupt},
		{"cut short", img[:len(img)-1], Limits{}, ErrTruncated},
		{"over the payload limit", img, Limits{Payload: 1000}, ErrLimit},
		{"not an image", []byte("#!/bin/sh\n"), Limits{}, ErrNotImage},
	} {
		if _, err := Uncompressed(c.img, c.lim); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}
