package image

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

func inspectWorld(t *testing.T, v *vm.VM) *Summary {
	t.Helper()
	var img bytes.Buffer
	if err := Save(&img, v, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	s, err := Inspect(bytes.NewReader(img.Bytes()), int64(img.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSummarize(t *testing.T) {
	v, _ := newTestWorld(t)
	run(t, v, "app.js", `
		var app = { name: "demo", cache: [1, 2, 3, { big: new Array(500).fill(7) }] };
		let table = new Map([["a", { rows: [] }]]);
		const buf = new ArrayBuffer(4096);
		function counter() { let n = 0; return () => ++n }
		var tick = counter();
		Array.prototype.sum = function () { return this.reduce((a, b) => a + b, 0) };
		class Thing { #secret = { hidden: [1, 2] }; }
		var thing = new Thing();
		stasis.onResume(() => {});
		stasis.onResume(() => {});
		stasis.onSave(() => {});
		stasis.setMain(function start(...args) {});
	`)
	s := inspectWorld(t, v)
	if s.Format != fmt.Sprintf("%d.%d", format.Major, format.Minor) || s.StasisVersion != vm.Version || !s.Compatible {
		t.Errorf("versions: %+v", s)
	}
	if s.Sizes.File <= 48 || s.Sizes.Unpacked <= 0 || s.Sizes.Stored <= 0 || s.Sizes.Code <= 0 {
		t.Errorf("sizes: %+v", s.Sizes)
	}
	if h := s.Hooks; h.OnSave != 1 || h.OnResume != 2 || !h.Main || h.MainName != "start" ||
		len(h.Code) != 4 || h.Code[2].Source != "function start(...args) {}" {
		t.Errorf("hooks: %+v", s.Hooks)
	}
	if len(s.Scripts) != 1 || s.Scripts[0].Name != "app.js" || s.Scripts[0].Bytes == 0 {
		t.Errorf("scripts: %+v", s.Scripts)
	}
	if strings.Join(s.Globals, " ") != "table Thing buf" {
		t.Errorf("globals: %v", s.Globals)
	}
	kinds := map[string]int{}
	for _, k := range s.Objects {
		kinds[k.Kind] = k.Count
	}
	for _, k := range []string{"object", "array", "map", "arrayBuffer", "arrow", "class", "function"} {
		if kinds[k] == 0 {
			t.Errorf("no objects of kind %s in %v", k, s.Objects)
		}
	}
	if s.Scopes.Count == 0 || s.Scopes.Slots == 0 {
		t.Errorf("scopes: %+v", s.Scopes)
	}
	paths := map[string]ObjectInfo{}
	for _, o := range s.Largest {
		paths[o.Path] = o
	}
	if o := paths["buf"]; o.Bytes != 4096 || o.Kind != "arrayBuffer" {
		t.Errorf("largest: no buf of 4096 bytes in %+v", s.Largest)
	}
	if o := paths["globalThis.app.cache[3].big"]; o.Elements != 500 {
		t.Errorf("largest: no globalThis.app.cache[3].big in %+v", s.Largest)
	}
	if s.Largest[0].Path != "buf" {
		t.Errorf("largest first: %+v", s.Largest[0])
	}
	if strings.Join(s.Patches, " ") != "globalThis.Array.prototype.sum" {
		t.Errorf("patches: %v", s.Patches)
	}
	if vars := slices.Sorted(slices.Values(s.GlobalVars)); strings.Join(vars, " ") != "app counter thing tick" {
		t.Errorf("global properties: %v", s.GlobalVars)
	}
	if _, err := json.Marshal(s); err != nil {
		t.Fatal(err)
	}
}

func TestSummarizeNativeRecords(t *testing.T) {
	v, err := NewWorld(vm.Options{Setup: []func(*vm.VM) error{vm.SetupLoop, natives.Setup(natives.Default()...)}})
	if err != nil {
		t.Fatal(err)
	}
	run(t, v, "timers.js", `var later = setTimeout(function ring() {}, 60000);`)
	s := inspectWorld(t, v)
	var timers *PluginSummary
	for i := range s.Plugins {
		if s.Plugins[i].Name == "timers" {
			timers = &s.Plugins[i]
		}
	}
	if timers == nil || timers.Count != 1 || len(timers.Records) != 1 {
		t.Fatalf("plugins: %+v", s.Plugins)
	}
	rec, _ := timers.Records[0].Record.(map[string]any)
	if rec == nil || rec["callback"] != "[Function ring]" || rec["remaining"] == nil || timers.Records[0].Path != "globalThis.later" {
		t.Errorf("timer record: %+v", timers.Records[0])
	}
}

func TestInspectRefusesNonImages(t *testing.T) {
	for name, data := range map[string][]byte{"empty": nil, "text": []byte("this is not an image at all, no")} {
		if _, err := Inspect(bytes.NewReader(data), int64(len(data))); !errors.Is(err, ErrNotImage) {
			t.Errorf("%s: got %v, want ErrNotImage", name, err)
		}
	}
	img := savedImage(t, "var x = 1")
	if _, err := Inspect(bytes.NewReader(img[:len(img)-3]), int64(len(img)-3)); !errors.Is(err, ErrTruncated) {
		t.Errorf("truncated: got %v", err)
	}
}

func TestBundleRoundTrip(t *testing.T) {
	img := savedImage(t, "var x = 1")
	exe := bytes.Repeat([]byte("\x7fELF program "), 1000)
	var out bytes.Buffer
	if err := WriteBundle(&out, bytes.NewReader(exe), int64(len(exe)), img); err != nil {
		t.Fatal(err)
	}
	b := out.Bytes()
	if !bytes.HasPrefix(b, exe) {
		t.Fatal("the bundle does not start with the executable")
	}
	sec, ok, err := BundledImage(bytes.NewReader(b), int64(len(b)))
	if err != nil || !ok {
		t.Fatalf("BundledImage: %v %v", ok, err)
	}
	// The image, its payload stored raw: the same metadata and payload.
	raw, err := format.Uncompressed(img, format.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := make([]byte, sec.Size()); sec.Size() != int64(len(raw)) || len(raw) <= len(img) {
		t.Fatalf("bundled image is %d bytes, want %d (the image: %d)", sec.Size(), len(raw), len(img))
	} else if _, err := sec.ReadAt(got, 0); err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("bundled image differs: %v", err)
	}
	m0, p0, err0 := ReadContainer(bytes.NewReader(img))
	m1, p1, err1 := ReadContainer(sec)
	if err0 != nil || err1 != nil || !bytes.Equal(p0, p1) || !reflect.DeepEqual(m0, m1) {
		t.Fatalf("the bundled image reads otherwise: %v, %v", err0, err1)
	}
	if _, ok, err := BundledImage(bytes.NewReader(exe), int64(len(exe))); ok || err != nil {
		t.Fatalf("a plain executable is a bundle: %v %v", ok, err)
	}
	if _, ok, err := BundledImage(bytes.NewReader(img), int64(len(img))); ok || err != nil {
		t.Fatalf("an image is a bundle: %v %v", ok, err)
	}
}

// Paths through closures name the scope's function and the captured
// variable where the source tells them, and slot numbers otherwise.
func TestInspectNamesClosureVariables(t *testing.T) {
	v, _ := newTestWorld(t)
	run(t, v, "app.js", `
		function makeCache(label) { let hits = 0; const entries = new Array(300).fill(0); return { get: (k) => { hits++; return label + entries[k] } } }
		var app = { cache: makeCache("c") };
		function blocks() { const r = []; for (let i = 0; i < 1; i++) { const rows = new Array(200).fill(i); r.push(() => rows) } return r[0] }
		var other = blocks();
	`)
	s := inspectWorld(t, v)
	want := []string{"globalThis.app.cache.get.<scope of makeCache>.entries", "globalThis.other.<scope>.<closure var 0>"}
	if len(s.Largest) < 2 || s.Largest[0].Path != want[0] || s.Largest[1].Path != want[1] {
		t.Errorf("largest: %+v, want paths %q", s.Largest[:2], want)
	}
	named := NamedScope{Function: "makeCache", Variables: []string{"label", "hits", "entries"},
		Path: "globalThis.app.cache.get.<scope of makeCache>", Count: 1}
	if len(s.Scopes.Named) != 1 || !reflect.DeepEqual(s.Scopes.Named[0], named) {
		t.Errorf("named scopes: %+v, want [%+v]", s.Scopes.Named, named)
	}
}
