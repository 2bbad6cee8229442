package format

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// The memory bombs of issue 13, made by code: each is refused with one line
// that says what is wrong, and refusing it allocates little.

// empty is the smallest valid payload: no objects, no hooks.
func empty() *Payload {
	return &Payload{Roots: Roots{Main: CodeNone, Saving: CodeNone}}
}

func encode(t testing.TB, p *Payload) []byte {
	t.Helper()
	b, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// zeros returns a zstd stream that decompresses to n zero bytes (n a
// multiple of 64 MiB), made from one compressed chunk repeated, as a
// crafted file would be.
func zeros(t testing.TB, n uint64) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if err != nil {
		t.Fatal(err)
	}
	chunk := enc.EncodeAll(make([]byte, 64<<20), nil)
	return bytes.Repeat(chunk, int(n/(64<<20)))
}

// container wraps a stored payload in a header that claims unpacked bytes.
func container(stored []byte, unpacked uint64) []byte {
	var meta bytes.Buffer
	_ = Write(&meta, &Meta{StasisVersion: "test"}, nil)
	mb := meta.Bytes()[headerSize:]
	h := make([]byte, headerSize)
	copy(h, magicLiteral)
	binary.LittleEndian.PutUint16(h[8:], Major)
	binary.LittleEndian.PutUint32(h[12:], flagZstd)
	binary.LittleEndian.PutUint32(h[16:], uint32(len(mb)))
	binary.LittleEndian.PutUint64(h[24:], uint64(len(stored)))
	binary.LittleEndian.PutUint64(h[32:], unpacked)
	binary.LittleEndian.PutUint32(h[40:], crc32.Update(crc32.Checksum(mb, castagnoli), castagnoli, stored))
	binary.LittleEndian.PutUint32(h[44:], crc32.Checksum(h[:44], castagnoli))
	return append(append(h, mb...), stored...)
}

func TestBombsInTheContainer(t *testing.T) {
	gig := zeros(t, 1<<30)
	cases := []struct {
		name  string
		img   []byte
		lim   Limits
		want  error
		text  string
		bound uint64 // most bytes that refusing it may allocate
	}{
		// A 1 GiB payload in a few hundred KB: refused from the header.
		{"1 GiB of zeros", container(gig, 1<<30), Limits{}, ErrLimit,
			"payload of 1073741824 bytes unpacked is over the limit of 536870912", 1 << 20},
		// The header says 16 GiB; nothing of that is allocated.
		{"a header claiming 16 GiB", container(gig[:1000], 16<<30), Limits{}, ErrLimit,
			"payload of 17179869184 bytes unpacked is over the limit", 1 << 20},
		// The same file under a raised limit but a header that understates
		// it: decoding stops at what the header said.
		{"a header that understates", container(gig, 64<<20), Limits{Payload: 2 << 30}, ErrCorrupt,
			"decompresses to more than the 67108864 bytes the header says", 3 * 64 << 20},
	}
	for _, c := range cases {
		var err error
		n := allocated(func() { _, _, err = Read(bytes.NewReader(c.img), c.lim) })
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want %v saying %q on one line", c.name, err, c.want, c.text)
		}
		// The file itself is read into memory once.
		if n > c.bound+uint64(len(c.img)) {
			t.Errorf("%s: refusing it allocated %d bytes, want at most %d", c.name, n, c.bound+uint64(len(c.img)))
		}
	}
}

func TestBombsInThePayload(t *testing.T) {
	objects := func(n int) *Payload {
		p := empty()
		p.Objects.Kinds = bytes.Repeat([]byte{byte(KindOrdinary)}, n)
		return p
	}
	sharedBuffer := empty()
	sharedBuffer.Buffers = [][]byte{bytes.Repeat([]byte{7}, 4<<20)}
	for i := 0; i < 64; i++ {
		o := &sharedBuffer.Objects
		o.Kinds = append(o.Kinds, byte(KindArrayBuffer))
		o.Proto, o.Shape, o.Flags = append(o.Proto, CodeNull), append(o.Shape, 0), append(o.Flags, 0)
		o.Extra = append(o.Extra, []uint64{0, 0})
	}
	sharedBuffer.Shapes = [][]uint64{{}}
	bigString := empty()
	bigString.Strings = []string{strings.Repeat("x", 3<<20)}
	emptyRecords := empty()
	emptyRecords.Stashes = make([][]uint64, 4<<20)
	arguments := empty()
	cases := []struct {
		name  string
		p     *Payload
		lim   Limits
		want  error
		text  string
		bound uint64
	}{
		// 20 million objects in a 4 KB image: over the object limit.
		{"20 million objects", objects(20 << 20), Limits{}, ErrLimit, "20971520 objects are over the limit of 16777216", 1 << 20},
		// Fewer, but with no columns for them: refused before any is made.
		{"objects without columns", objects(1 << 20), Limits{}, ErrCorrupt,
			"prototype, shape and flag columns of 0, 0 and 0 entries for 1048576 objects", 4 << 20},
		// 64 ArrayBuffers of one buffer.
		{"one buffer for 64 ArrayBuffers", sharedBuffer, Limits{}, ErrCorrupt, "object 1: buffer 0 belongs to another ArrayBuffer", 12 << 20},
		// A string over the limit, refused before it is decoded.
		{"a string over the limit", bigString, Limits{StringBytes: 2 << 20}, ErrLimit,
			"strings of 3145728 bytes are over the limit of 2097152", 1 << 20},
		{"buffers over the limit", sharedBuffer, Limits{BufferBytes: 1 << 20}, ErrLimit,
			"ArrayBuffers of 4194304 bytes are over the limit of 1048576", 1 << 20},
		// Millions of empty records: a byte each in CBOR, 24 in Go.
		{"empty records", emptyRecords, Limits{}, ErrCorrupt, "would decode into", 1 << 20},
		{"records over the limit", emptyRecords, Limits{Objects: 1000}, ErrLimit, "4194304 stashes records are over the limit of 1000", 1 << 20},
		{"hooks that are not there", func() *Payload { arguments.Roots.OnResume = []uint64{Code(TagObject, 5)}; return arguments }(),
			Limits{}, ErrCorrupt, "onResume hooks: value 40 refers past its section", 1 << 20},
	}
	for _, c := range cases {
		data := encode(t, c.p)
		var err error
		n := allocated(func() { _, err = Decode(data, c.lim) })
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want %v saying %q on one line", c.name, err, c.want, c.text)
		}
		if n > c.bound {
			t.Errorf("%s: refusing it allocated %d bytes, want at most %d", c.name, n, c.bound)
		}
	}
}
