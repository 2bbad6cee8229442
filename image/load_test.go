package image

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/image/imagetest"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

func savedImage(t testing.TB, src string) []byte {
	t.Helper()
	v, _ := newTestWorld(t)
	run(t, v, "w.js", src)
	var buf bytes.Buffer
	if err := Save(&buf, v, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLoadRefusesOtherLayout(t *testing.T) {
	v, _ := newTestWorld(t)
	payload, err := EncodePayload(v)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	meta := &Meta{StasisVersion: "0.0.1", GojaVersion: "v0.0.0-old", Layout: "0123456789abcdef"}
	if err := format.Write(&buf, meta, payload); err != nil {
		t.Fatal(err)
	}
	_, _, err = Load(&buf, LoadOptions{})
	if !errors.Is(err, ErrIncompatible) || !strings.Contains(err.Error(), "goja v0.0.0-old (heap layout 0123456789abcdef)") {
		t.Fatalf("got %v, want a refusal naming the other layout", err)
	}
}

// TestLoadRefusesBadPayloads: a container that is sound around a payload
// that is not gives a clear error, never a panic or a world.
func TestLoadRefusesBadPayloads(t *testing.T) {
	v, _ := newTestWorld(t)
	meta := &Meta{StasisVersion: "x", GojaVersion: "y", Layout: heap.Fingerprint()}
	good, err := EncodePayload(v)
	if err != nil {
		t.Fatal(err)
	}
	badRef, _ := cbor.Marshal([]any{[]string{}, map[int]int{}, []float64{}, []string{}, [][]byte{}, []any{}, []any{},
		[]any{}, []any{[]byte{byte(okOrdinary)}, []int{}, []int{8 << 3}, []int{0}, []byte{0}, []int{}, []int{}, []int{}, []int{}, []any{}, []int{}}, []any{},
		[]any{[]int{}, []int{}, []int{}, []int{}, 6}})
	cases := map[string][]byte{
		"not cbor":          []byte("\xff\xfe\xfd"),
		"cbor but not ours": []byte("\x83\x01\x02\x03"),
		"truncated cbor":    good[:len(good)/2],
		"dangling object":   badRef,
	}
	for name, p := range cases {
		var buf bytes.Buffer
		if err := format.Write(&buf, meta, p); err != nil {
			t.Fatal(err)
		}
		w, _, err := Load(&buf, LoadOptions{})
		if err == nil || w != nil {
			t.Errorf("%s: loaded (err %v)", name, err)
			continue
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: got %v, want ErrCorrupt", name, err)
		}
	}
}

func FuzzDecodePayload(f *testing.F) {
	v, _ := newTestWorld(f)
	run(f, v, "w.js", `var a = [1, {b: new Map([[1, "x"]])}, function f() { return a }, Symbol("s")]; let c = new Set([a]);`)
	seed, err := EncodePayload(v)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := DecodePayload(b, LoadOptions{})
		if err == nil && w == nil {
			t.Fatal("no world and no error")
		}
	})
}

// TestLoadRefusesPrototypeCycle: an image whose prototype chain is a
// cycle (two objects, each the other's prototype) is refused as corrupt.
func TestLoadRefusesPrototypeCycle(t *testing.T) {
	v, _ := newTestWorld(t)
	run(t, v, "w.js", `var parent = { p: 1 }; var child = Object.create(parent); child.c = 2;`)
	data, err := EncodePayload(v)
	if err != nil {
		t.Fatal(err)
	}
	p, err := format.Decode(data, format.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	// Number the objects that have a prototype column entry, as fillObjects does.
	var row []int // object number -> row in the Proto column, or -1
	j := 0
	for _, kb := range p.Objects.Kinds {
		switch objKind(kb) {
		case okIntrinsic, okNative, okProxy, okResolver:
			row = append(row, -1)
		default:
			row = append(row, j)
			j++
		}
	}
	// child is the object whose prototype is an object with a row of its own.
	child, parent := -1, -1
	for i, r := range row {
		if r < 0 {
			continue
		}
		pc := p.Objects.Proto[r]
		if pc&7 == tagObject && row[pc>>3] >= 0 {
			child, parent = i, int(pc>>3)
		}
	}
	if child < 0 {
		t.Fatal("no object with a user-made prototype in the payload")
	}
	p.Objects.Proto[row[parent]] = code(tagObject, uint64(child))
	bad, err := format.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	w, err := DecodePayload(bad, LoadOptions{})
	if w != nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "prototype chain is a cycle") {
		t.Fatalf("got world %v, error %v; want a refusal naming the cycle", w != nil, err)
	}
}

// TestLoadVersions: an image written by a build of format 1 (the same
// payload), or of a newer minor version that added nothing this world
// uses, loads into a world that behaves as the saved one; a newer major
// version is refused, naming both versions.
func TestLoadVersions(t *testing.T) {
	const src = `var xs = [1, 2, 3]; function* g() { for (const x of xs) yield x * 10 } var it = g(); it.next();`
	img := savedImage(t, src)
	// The image as a build before format 2.1 wrote it: no code section.
	meta, p := imagetest.Open(t, img)
	p.Code = nil
	data, err := format.Encode(p)
	if err != nil || data[0] != 0x80|20 || data[len(data)-1] != 0xf6 {
		t.Fatalf("unexpected payload encoding: %v", err)
	}
	data = append([]byte{0x80 | 19}, data[1:len(data)-1]...)
	var old bytes.Buffer
	if err := format.Write(&old, meta, data); err != nil {
		t.Fatal(err)
	}
	withVersion := func(major, minor uint16) []byte {
		b := append([]byte(nil), img...)
		if major < format.Major || minor < 1 {
			b = append([]byte(nil), old.Bytes()...)
		}
		binary.LittleEndian.PutUint16(b[8:], major)
		binary.LittleEndian.PutUint16(b[10:], minor)
		binary.LittleEndian.PutUint32(b[44:], crc32.Checksum(b[:44], crc32.MakeTable(crc32.Castagnoli)))
		return b
	}
	for _, ver := range []format.Version{{Major: 1, Minor: 0}, {Major: 1, Minor: 1}, {Major: 2, Minor: 0}, format.Current, {Major: format.Major, Minor: format.Minor + 1}} {
		var out bytes.Buffer
		v, meta, err := Load(bytes.NewReader(withVersion(ver.Major, ver.Minor)), LoadOptions{VM: vm.Options{Stdout: &out}})
		if err != nil {
			t.Fatalf("format %s: %v", ver, err)
		}
		if meta.Version != ver {
			t.Fatalf("format %s: read as %s", ver, meta.Version)
		}
		run(t, v, "probe.js", `console.log(JSON.stringify([it.next(), it.next(), it.next()]))`)
		if want := `[{"value":20,"done":false},{"value":30,"done":false},{"done":true}]` + "\n"; out.String() != want {
			t.Fatalf("format %s: the world printed %q, want %q", ver, out.String(), want)
		}
	}
	_, _, err = Load(bytes.NewReader(withVersion(format.Major+1, 0)), LoadOptions{})
	if !errors.Is(err, ErrNewerVersion) || !strings.Contains(err.Error(), "format 3.0; this build reads format "+format.Current.String()+" and older") {
		t.Fatalf("got %v, want a newer-version refusal", err)
	}
}
