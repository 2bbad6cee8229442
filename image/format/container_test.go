package format

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

func testImage(t testing.TB, payload []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	meta := &Meta{StasisVersion: "test", GojaVersion: "g", Layout: "l", Created: 1, Entry: []string{"a.js"}}
	if err := Write(&buf, meta, payload); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestContainerRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	random := make([]byte, 5000)
	rnd.Read(random)
	for _, payload := range [][]byte{{}, []byte("tiny"), bytes.Repeat([]byte("compressible "), 1000), random} {
		img := testImage(t, payload)
		meta, got, err := Read(bytes.NewReader(img), Limits{})
		if err != nil {
			t.Fatalf("%d bytes: %v", len(payload), err)
		}
		if !bytes.Equal(got, payload) || meta.StasisVersion != "test" || meta.Entry[0] != "a.js" {
			t.Fatalf("%d bytes: round trip differs", len(payload))
		}
	}
}

// rehash recomputes the header checksum after a test changed a header field,
// so that the check under test is the one that fires.
func rehash(img []byte) []byte {
	binary.LittleEndian.PutUint32(img[44:], crc32.Checksum(img[:44], castagnoli))
	return img
}

func TestContainerRefusesBadInput(t *testing.T) {
	good := testImage(t, bytes.Repeat([]byte("payload "), 500))
	mod := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	raw := testImage(t, []byte("tiny"))
	modRaw := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), raw...)) }
	cases := []struct {
		name string
		img  []byte
		want error
		text string
	}{
		{"empty", nil, ErrNotImage, "the file is empty"},
		{"short foreign", []byte("{}"), ErrNotImage, "bad magic"},
		{"json", []byte(`{"a": 1, "b": [1, 2, 3], "c": "this is not an image at all, really not"}`), ErrNotImage, "bad magic"},
		{"png", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 60)...), ErrNotImage, "bad magic"},
		{"elf", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 60)...), ErrNotImage, "bad magic"},
		{"text mode", mod(func(b []byte) []byte { b[0] = '?'; return b }), ErrCorrupt, "transferred as text"},
		{"header bit", mod(func(b []byte) []byte { b[20] ^= 1; return b }), ErrCorrupt, "header checksum"},
		{"newer major", mod(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[8:], Major+1); return rehash(b) }), ErrNewerVersion,
			fmt.Sprintf("image was written by a newer Stasis: format %d.%d; this build reads format %d.%d and older", Major+1, Minor, Major, Minor)},
		{"major 0", mod(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[8:], 0); return rehash(b) }), ErrCorrupt, "is older than any Stasis release"},
		{"unknown flags", mod(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[12:], 5); return rehash(b) }), ErrCorrupt, "unknown flags 0x4"},
		{"payload bit", mod(func(b []byte) []byte { b[len(b)-3] ^= 0x10; return b }), ErrCorrupt, "payload checksum"},
		{"truncated header", good[:30], ErrTruncated, "header needs 48 bytes"},
		{"truncated payload", good[:len(good)-5], ErrTruncated, "payload bytes"},
		{"huge stored length", mod(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[24:], 1<<40); return rehash(b) }), ErrTruncated, "header says 1099511627776 payload bytes"},
		{"huge unpacked length", mod(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[32:], 1<<40); return rehash(b) }), ErrLimit, "payload of 1099511627776 bytes unpacked is over the limit of 536870912"},
		{"unpacked length of a raw payload", modRaw(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[32:], 7); return rehash(b) }), ErrCorrupt, "lengths do not agree"},
		{"unpacked length too small", mod(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[32:], 100); return rehash(b) }), ErrCorrupt, "decompresses to more than the 100 bytes"},
	}
	for _, c := range cases {
		_, _, err := Read(bytes.NewReader(c.img), Limits{})
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.text) {
			t.Errorf("%s: got %v, want %v mentioning %q", c.name, err, c.want, c.text)
		}
	}
}

// TestContainerEveryCutAndFlip: an image cut short anywhere, or with any
// single bit flipped, is refused.
func TestContainerEveryCutAndFlip(t *testing.T) {
	good := testImage(t, bytes.Repeat([]byte("abcdefgh"), 100))
	for n := 0; n < len(good); n++ {
		if _, _, err := Read(bytes.NewReader(good[:n]), Limits{}); err == nil {
			t.Fatalf("cut at %d of %d: accepted", n, len(good))
		}
	}
	for i := 0; i < len(good); i++ {
		for bit := 0; bit < 8; bit += 3 {
			b := append([]byte(nil), good...)
			b[i] ^= 1 << bit
			if _, _, err := Read(bytes.NewReader(b), Limits{}); err == nil {
				t.Fatalf("bit %d of byte %d flipped: accepted", bit, i)
			}
		}
	}
}

func FuzzReadContainer(f *testing.F) {
	f.Add(testImage(f, []byte("seed")))
	f.Add(testImage(f, bytes.Repeat([]byte("z"), 1000)))
	f.Add([]byte("\x89STASIS\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, _ = Read(bytes.NewReader(b), Limits{})
		_, _, _ = ReadMeta(bytes.NewReader(b))
	})
}

// TestReadBytesAsRead: an image in memory is read as from a reader, cut
// anywhere, with a bit flipped, compressed or not; the payload it returns
// does not share the image's memory.
func TestReadBytesAsRead(t *testing.T) {
	for _, payload := range [][]byte{bytes.Repeat([]byte("abcdefgh"), 100), []byte("short")} {
		good := testImage(t, payload)
		var cases [][]byte
		for n := 0; n <= len(good); n++ {
			cases = append(cases, good[:n])
		}
		for i := 0; i < len(good); i += 7 {
			b := append([]byte(nil), good...)
			b[i] ^= 4
			cases = append(cases, b)
		}
		cases = append(cases, append(append([]byte(nil), good...), "trailing"...))
		for i, b := range cases {
			m1, p1, err1 := Read(bytes.NewReader(b), Limits{})
			m2, p2, err2 := ReadBytes(b, Limits{})
			if fmt.Sprint(err1) != fmt.Sprint(err2) || !bytes.Equal(p1, p2) || !reflect.DeepEqual(m1, m2) {
				t.Fatalf("case %d: Read gives %v, ReadBytes %v", i, err1, err2)
			}
			if err2 == nil && len(p2) > 0 && within(b, &p2[0], 1) {
				t.Fatalf("case %d: the payload shares the image's memory", i)
			}
		}
	}
}
