package image

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/stasisvm/stasis/image/format"
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
