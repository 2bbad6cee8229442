package format

import (
	"encoding/binary"
	"fmt"
)

// The code record (metadata key 7, Meta.Code): what the code of the
// image's scripts compiled to, so that a build with another goja can tell
// whether the state the image holds means the same to the code it compiles
// (docs/FORMAT.md, "Images across goja versions"). A byte string:
//
//	code    = version *entry     version: one byte, 1
//	entry   = script shape n n*program
//	program = index hash
//	script  = uvarint            index in the payload's scripts, ascending
//	shape   = 8 bytes            hash of the script's program tree (heap.Shape), little-endian
//	n       = uvarint            programs that follow
//	index   = uvarint            a program's index in the script's tree, ascending
//	hash    = 8 bytes            hash of its code and the code nested in it (heap.CodeHasher)
//
// A script has an entry when a function, frame or tagged template of the
// world names one of its programs; a program is listed when its saved
// state depends on its compiled code (a suspended frame; a function with
// scopes of its own or a private environment; a tagged template's site).

// codeVersion is the first byte of a code record.
const codeVersion = 1

// ScriptCode is one entry of a code record: a script and those of its
// programs whose saved state depends on how they compiled.
type ScriptCode struct {
	Script   uint64        // index in the payload's scripts
	Shape    uint64        // hash of the script's program tree
	Programs []ProgramCode // ascending by Index
}

// ProgramCode is the hash of one program's code.
type ProgramCode struct {
	Index uint64 // index in the script's program tree
	Hash  uint64 // hash of its code and the code nested in it
}

// EncodeCode encodes a code record; entries must be ascending by script,
// programs by index.
func EncodeCode(entries []ScriptCode) []byte {
	b := []byte{codeVersion}
	for _, e := range entries {
		b = binary.AppendUvarint(b, e.Script)
		b = binary.LittleEndian.AppendUint64(b, e.Shape)
		b = binary.AppendUvarint(b, uint64(len(e.Programs)))
		for _, p := range e.Programs {
			b = binary.AppendUvarint(b, p.Index)
			b = binary.LittleEndian.AppendUint64(b, p.Hash)
		}
	}
	return b
}

// DecodeCode decodes a code record, refusing one that is malformed (an
// ErrCorrupt error) or of a later version.
func DecodeCode(b []byte) ([]ScriptCode, error) {
	if len(b) == 0 || b[0] != codeVersion {
		return nil, Corruptf("code record: version %v, this build reads version %d", b[:min(len(b), 1)], codeVersion)
	}
	d := codeDecoder{b: b[1:]}
	var out []ScriptCode
	for len(d.b) > 0 {
		var e ScriptCode
		e.Script = d.uvarint()
		e.Shape = d.u64()
		n := d.uvarint()
		// Each program takes at least 9 bytes: the count cannot ask for more.
		if d.err == nil && n > uint64(len(d.b))/9 {
			d.fail("%d programs in %d bytes", n, len(d.b))
		}
		if d.err == nil && len(out) > 0 && e.Script <= out[len(out)-1].Script {
			d.fail("script %d after script %d", e.Script, out[len(out)-1].Script)
		}
		if d.err != nil {
			return nil, d.err
		}
		e.Programs = make([]ProgramCode, n)
		for i := range e.Programs {
			p := &e.Programs[i]
			p.Index, p.Hash = d.uvarint(), d.u64()
			if d.err == nil && i > 0 && p.Index <= e.Programs[i-1].Index {
				d.fail("script %d: program %d after program %d", e.Script, p.Index, e.Programs[i-1].Index)
			}
		}
		if d.err != nil {
			return nil, d.err
		}
		out = append(out, e)
	}
	return out, nil
}

type codeDecoder struct {
	b   []byte
	err error
}

func (d *codeDecoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = Corruptf("code record: %s", fmt.Sprintf(format, args...))
	}
}

func (d *codeDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("a number is cut short or too long")
		return 0
	}
	if n > 1 && d.b[n-1] == 0 {
		d.fail("a number is not in its shortest form")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *codeDecoder) u64() uint64 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 8 {
		d.fail("a hash is cut short")
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}
