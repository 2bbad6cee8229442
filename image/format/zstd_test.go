package format

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/stasisvm/stasis/internal/benchcpu"
)

// framedPayload returns n bytes that compress about as an image's payload
// does: words from a small vocabulary among random bytes.
func framedPayload(n int) []byte {
	rnd := rand.New(rand.NewSource(int64(n)))
	words := []string{"function ", "return ", "var ", "this.", "prototype", "(", ")", "{", "}", ";\n"}
	var b bytes.Buffer
	for b.Len() < n {
		if rnd.Intn(4) == 0 {
			b.WriteByte(byte(rnd.Intn(256)))
		} else {
			b.WriteString(words[rnd.Intn(len(words))])
		}
	}
	return b.Bytes()[:n]
}

// sequential decodes stored as a reader that knows nothing of the frames
// does (every reader before them): one DecodeAll over the whole stream.
func sequential(t *testing.T, stored []byte) []byte {
	t.Helper()
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	out, err := d.DecodeAll(stored, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPayloadFrames(t *testing.T) {
	tests := []struct {
		name   string
		size   int
		frames int
	}{
		{"one short frame", 5000, 1},
		{"just under a frame", frameSize - 1, 1},
		{"exactly a frame", frameSize, 1},
		{"a byte over a frame", frameSize + 1, 2},
		{"three and a half frames", frameSize*3 + frameSize/2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := framedPayload(tt.size)
			stored := compress(payload)
			n := uint64(len(payload))
			fs := framesOf(stored, n)
			if len(fs) != tt.frames {
				t.Fatalf("%d frames, want %d", len(fs), tt.frames)
			}
			for i, f := range fs {
				at, end := uint64(i*tt.size/tt.frames), uint64((i+1)*tt.size/tt.frames)
				if f.off != at || f.size != end-at {
					t.Errorf("frame %d: %d bytes at %d, want %d at %d", i, f.size, f.off, end-at, at)
				}
			}
			// The parallel path itself (unpack falls back to the
			// sequential one if it fails, which would hide it).
			got, ok := unpackFrames(stored, fs, n)
			if !ok || !bytes.Equal(got, payload) {
				t.Fatalf("unpackFrames: ok %v, payload equal %v", ok, bytes.Equal(got, payload))
			}
			if got, err := unpack(stored, n); err != nil || !bytes.Equal(got, payload) {
				t.Fatalf("unpack: %v, payload equal %v", err, bytes.Equal(got, payload))
			}
			if got := sequential(t, stored); !bytes.Equal(got, payload) {
				t.Fatal("a reader that decodes the stream as one reads another payload")
			}
			_, got, err := Read(bytes.NewReader(testImage(t, payload)), Limits{})
			if err != nil || !bytes.Equal(got, payload) {
				t.Fatalf("Read: %v, payload equal %v", err, bytes.Equal(got, payload))
			}
		})
	}
}

// TestOneFrameImages reads payloads compressed as one frame, as images
// written before the frames were.
func TestOneFrameImages(t *testing.T) {
	payload := framedPayload(frameSize*2 + 100)
	stored := zstdEncoder().EncodeAll(payload, nil)
	if fs := framesOf(stored, uint64(len(payload))); len(fs) != 1 {
		t.Fatalf("%d frames, want 1", len(fs))
	}
	_, got, err := Read(bytes.NewReader(container(stored, uint64(len(payload)))), Limits{})
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("Read: %v, payload equal %v", err, bytes.Equal(got, payload))
	}
}

// TestDamagedFrames: frames that cannot be decompressed in parallel are
// refused as a sequential reader refuses them, with its message.
func TestDamagedFrames(t *testing.T) {
	payload := framedPayload(frameSize*2 + frameSize/2)
	stored := compress(payload)
	n := uint64(len(payload))
	fs := framesOf(stored, n)
	if len(fs) != 3 {
		t.Fatalf("%d frames, want 3", len(fs))
	}
	damaged := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(stored)) }
	tests := []struct {
		name     string
		stored   []byte
		unpacked uint64
		splits   bool // framesOf still lists the frames
		text     string
	}{
		{"header understates by a byte", stored, n - 1, false, "decompresses to more than"},
		{"header overstates by a byte", stored, n + 1, false, "header says"},
		{"second frame's content damaged", damaged(func(b []byte) []byte {
			mid := (fs[1].start + fs[1].end) / 2
			b[mid] ^= 0xff
			b[mid+1] ^= 0x5a
			return b
		}), n, true, "does not decompress"},
		{"last frame cut short", stored[:len(stored)-10], n, false, "does not decompress"},
		{"a frame's block type reserved", damaged(func(b []byte) []byte {
			var h zstd.Header
			if err := h.Decode(b[fs[2].start:]); err != nil {
				t.Fatal(err)
			}
			b[fs[2].start+h.HeaderSize] |= 3 << 1
			return b
		}), n, false, "does not decompress"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := framesOf(tt.stored, tt.unpacked) != nil; got != tt.splits {
				t.Errorf("framesOf lists the frames: %v, want %v", got, tt.splits)
			}
			if tt.splits {
				if _, ok := unpackFrames(tt.stored, framesOf(tt.stored, tt.unpacked), tt.unpacked); ok {
					t.Error("unpackFrames succeeded")
				}
			}
			_, _, err := Read(bytes.NewReader(container(tt.stored, tt.unpacked)), Limits{})
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("Read: %v, want ErrCorrupt saying %q", err, tt.text)
			}
		})
	}
}

// BenchmarkUnpack decompresses a payload of TypeScript's size (14 MB),
// stored as one frame (images before the frames, and the baseline) and as
// frames of at most frameSize bytes (decompressed on GOMAXPROCS
// goroutines): wall time falls with the cores, CPU time should not rise.
func BenchmarkUnpack(b *testing.B) {
	payload := framedPayload(14 << 20)
	n := uint64(len(payload))
	for _, bc := range []struct {
		name   string
		stored []byte
	}{
		{"OneFrame", zstdEncoder().EncodeAll(payload, nil)},
		{"Frames", compress(payload)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(n))
			m := benchcpu.Start(b)
			for range b.N {
				if _, err := unpack(bc.stored, n); err != nil {
					b.Fatal(err)
				}
			}
			m.Stop(b)
		})
	}
}

// garbageFrames returns frames that declare n bytes in all, frameSize each,
// whose blocks are one byte of garbage apiece: each block may declare up
// to 128 KiB, so a few bytes of file claim a megabyte of payload.
func garbageFrames(n int) []byte {
	var b []byte
	blocks := frameSize / maxBlockContent
	for range n / frameSize {
		// Frame header: a 4-byte content size, a window of 1 MiB.
		b = append(b, 0x28, 0xb5, 0x2f, 0xfd, 2<<6, 0x50)
		b = binary.LittleEndian.AppendUint32(b, frameSize)
		for k := range blocks {
			bh := blockCompressed<<1 | 1<<3
			if k == blocks-1 {
				bh |= 1
			}
			b = append(b, byte(bh), byte(bh>>8), byte(bh>>16), 0xff)
		}
	}
	return b
}

// TestGarbageFramesCostLittle: frames whose headers add up to what the
// image's header says, but whose blocks are garbage, are refused before
// the payload's size is allocated (and its pages populated): a file of
// 11 KB must not cost the 256 MiB it claims.
func TestGarbageFramesCostLittle(t *testing.T) {
	const n = 256 << 20
	img := container(garbageFrames(n), n)
	var err error
	a := allocated(func() { _, _, err = Read(bytes.NewReader(img), Limits{}) })
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "does not decompress") {
		t.Errorf("Read: %v, want ErrCorrupt saying the payload does not decompress", err)
	}
	if bound := uint64(8 << 20); a > bound {
		t.Errorf("refusing %d bytes of garbage frames allocated %d bytes, want at most %d", len(img), a, bound)
	}
}
