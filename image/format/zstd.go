package format

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/zstd"
	"github.com/stasisvm/stasis/internal/pages"
)

// A compressed payload is written as consecutive zstd frames of at most
// frameSize bytes of payload each, as many as that takes, of equal sizes
// (so that none is too short to declare its size: zstd leaves the content
// size out of frames of less than 1 KiB), each declaring its content size.
// A zstd stream may hold any number of frames, and every reader
// (klauspost's DecodeAll, the zstd tool) decodes it as the concatenation
// of their contents: readers before this framing read new images, and an
// image of one frame (older writers) is still read. What the frames give a
// reader is that they can be decompressed independently, each into its
// own place of the payload, on as many goroutines as there are cores:
// decompression came before anything else of a load could start (13% of
// the start of a bundle of TypeScript's 14 MB payload, on one core).
// Frames of 1 MiB make TypeScript's image 0.9% larger than one frame.
const frameSize = 1 << 20

// maxFramedRatio is the most bytes of payload per stored byte that unpack
// decompresses in parallel. The parallel way allocates (and populates) the
// whole payload before any frame is decoded, and a frame's headers alone
// may claim 128 KiB per 4 bytes of blocks: without a bound, a file of 11 KB
// of garbage blocks cost the 256 MiB it claimed before it was refused.
// Beyond the bound the sequential way decodes, which grows its buffer as
// content is really decoded. Image payloads compress a few times over,
// far below it.
const maxFramedRatio = 256

var (
	encoderOnce sync.Once
	encoder     *zstd.Encoder
)

func zstdEncoder() *zstd.Encoder {
	encoderOnce.Do(func() {
		encoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	})
	return encoder
}

// compress returns payload as zstd frames (see frameSize).
func compress(payload []byte) []byte {
	enc := zstdEncoder()
	out := make([]byte, 0, len(payload)/4)
	k := (len(payload) + frameSize - 1) / frameSize
	for i := range k {
		out = enc.EncodeAll(payload[i*len(payload)/k:(i+1)*len(payload)/k], out)
	}
	return out
}

// unpack decompresses a zstd payload that the header says is n bytes. It
// never decodes more than n bytes, and it allocates for n only once the
// frames agree (a frame that declares more is refused before decoding).
// Frames that declare their sizes, n in all, are decompressed in
// parallel; anything else (one frame, a frame without a size, sizes that
// do not add up, a frame that fails) goes the sequential way, which says
// what is wrong. So does a payload over maxFramedRatio times its stored
// size.
func unpack(stored []byte, n uint64) ([]byte, error) {
	if n/maxFramedRatio <= uint64(len(stored)) && runtime.GOMAXPROCS(0) > 1 {
		if fs := framesOf(stored, n); len(fs) > 1 {
			if out, ok := unpackFrames(stored, fs, n); ok {
				return out, nil
			}
		}
	}
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(max(n, 1)))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	out, err := d.DecodeAll(stored, make([]byte, 0, min(n, uint64(len(stored))*4+4096)))
	if err != nil {
		if errors.Is(err, zstd.ErrDecoderSizeExceeded) {
			return nil, formatErr(ErrCorrupt, fmt.Sprintf("payload decompresses to more than the %d bytes the header says", n))
		}
		return nil, formatErr(ErrCorrupt, fmt.Sprintf("payload does not decompress: %v", err))
	}
	return out, nil
}

// zframe is one zstd frame of a stored payload: its bytes are
// stored[start:end], its content goes to payload[off:off+size].
type zframe struct {
	start, end int
	off, size  uint64
}

// Block headers (zstd format, 3.1.1.2): 3 bytes, little-endian; bit 0 is
// Last_Block, bits 1-2 Block_Type, the rest Block_Size. A block holds at
// most 128 KiB of content.
const (
	blockRaw, blockRLE, blockCompressed = 0, 1, 2
	maxBlockContent                     = 128 << 10
)

// framesOf lists the frames of stored, walking their headers and block
// headers without decoding anything, when every frame is an ordinary one
// (no dictionary, not skippable) that declares a content size its blocks
// can hold, and the sizes add up to n; else it returns nil.
func framesOf(stored []byte, n uint64) []zframe {
	var fs []zframe
	var off uint64
	for p := 0; p < len(stored); {
		var h zstd.Header
		if err := h.Decode(stored[p:]); err != nil || h.Skippable || !h.HasFCS || h.DictionaryID != 0 {
			return nil
		}
		q, blocks := p+h.HeaderSize, uint64(0)
		for last := false; !last; blocks++ {
			if len(stored)-q < 3 {
				return nil
			}
			bh := int(stored[q]) | int(stored[q+1])<<8 | int(stored[q+2])<<16
			q += 3
			last = bh&1 != 0
			size := bh >> 3
			switch bh >> 1 & 3 {
			case blockRaw, blockCompressed:
			case blockRLE:
				size = 1
			default:
				return nil
			}
			if len(stored)-q < size {
				return nil
			}
			q += size
		}
		if h.HasCheckSum {
			q += 4
		}
		if q > len(stored) || h.FrameContentSize > blocks*maxBlockContent || h.FrameContentSize > n-off {
			return nil
		}
		fs = append(fs, zframe{start: p, end: q, off: off, size: h.FrameContentSize})
		off += h.FrameContentSize
		p = q
	}
	if off != n {
		return nil
	}
	return fs
}

// unpackFrames decompresses the frames fs of stored, n bytes in all, each
// into its place of the payload, on up to GOMAXPROCS goroutines. It
// reports false if a frame fails or decodes to other than its size.
func unpackFrames(stored []byte, fs []zframe, n uint64) ([]byte, bool) {
	workers := min(runtime.GOMAXPROCS(0), len(fs))
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(workers),
		zstd.WithDecoderMaxMemory(max(n, 1)), zstd.WithDecodeAllCapLimit(true))
	if err != nil {
		return nil, false
	}
	defer d.Close()
	out := make([]byte, n)
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// stored may be a mapped file (a bundle's image): a file cut
			// short under it faults here, which would end the process.
			// The frame fails instead, and the sequential way, on the
			// caller's goroutine, meets the fault there.
			defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
			defer func() {
				if r := recover(); r != nil {
					if _, fault := r.(interface{ Addr() uintptr }); !fault {
						panic(r)
					}
					failed.Store(true)
				}
			}()
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= len(fs) {
					return
				}
				f := fs[i]
				// Faulted in one call, not page by page as decoded.
				pages.Populate(out[f.off : f.off+f.size])
				// Capped at the frame's size: a frame cannot write past
				// its place (the decoder refuses to grow it).
				got, err := d.DecodeAll(stored[f.start:f.end], out[f.off:f.off:f.off+f.size])
				if err != nil || uint64(len(got)) != f.size || f.size > 0 && &got[0] != &out[f.off] {
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	return out, !failed.Load()
}
