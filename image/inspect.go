package image

// Inspecting an image: Summarize decodes a payload as Load does but builds
// no world. It reads the columns of the objects section into an index (where
// each object's slots, elements and extra record lie), follows the value
// codes that refer to objects and scopes from the roots, breadth first, to
// name the path each object hangs from, and renders the small values that
// native plugins keep (a timer's remaining time, a file's position) as JSON.

import (
	"fmt"
	"io"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// Summary is what an image holds, for people (stasis inspect) and tools
// (stasis inspect --json). The JSON field names are stable; fields are only
// added.
type Summary struct {
	Format        string   `json:"format"`                 // format version, "major.minor"
	StasisVersion string   `json:"stasisVersion"`          // the Stasis that wrote the image
	GojaVersion   string   `json:"gojaVersion"`            // goja's module version in that build
	Layout        string   `json:"layout"`                 // heap layout fingerprint
	Compatible    bool     `json:"compatible"`             // whether this build can load it
	Incompatible  string   `json:"incompatible,omitempty"` // why this build cannot load it
	Created       string   `json:"created"`                // RFC 3339, UTC
	Entry         []string `json:"entry,omitempty"`        // scripts that built the world

	Sizes      Sizes           `json:"sizes"`            // of the file and its parts
	Counts     Counts          `json:"counts"`           // of the payload's records
	Objects    []KindCount     `json:"objects"`          // by kind, most numerous first
	Largest    []ObjectInfo    `json:"largest"`          // the largest objects, largest first
	Scripts    []ScriptInfo    `json:"scripts"`          // in the order they were compiled
	Scopes     ScopeInfo       `json:"scopes"`           // captured scopes (closures' variables)
	Globals    []string        `json:"globals"`          // global lexical bindings (let, const, class)
	GlobalVars []string        `json:"globalProperties"` // properties the world defined on the global object (var, function, assignments)
	Patches    []string        `json:"patches"`          // other changes to built-ins: properties added, changed or deleted, prototypes
	Plugins    []PluginSummary `json:"plugins"`          // the native plugins and what they saved
	Hooks      HookInfo        `json:"hooks"`            // stasis.onSave, stasis.onResume, stasis.setMain
}

// Sizes are byte counts.
type Sizes struct {
	File     int64 `json:"file"`             // the image on disk (inside a bundle: the image alone)
	Bundle   int64 `json:"bundle,omitempty"` // the whole bundle, when the image is in one
	Metadata int64 `json:"metadata"`         // the CBOR metadata after the header
	Stored   int64 `json:"payloadStored"`    // the payload as stored (compressed)
	Unpacked int64 `json:"payloadUnpacked"`  // the payload once decompressed
	Strings  int64 `json:"strings"`          // text of the strings section
	Sources  int64 `json:"sources"`          // text of the scripts
	Code     int64 `json:"code"`             // the scripts' stored compiled programs
	Buffers  int64 `json:"buffers"`          // ArrayBuffer contents
}

// Counts are the numbers of records in the payload's sections.
type Counts struct {
	Objects int `json:"objects"` // objects, with the built-ins they refer to
	Strings int `json:"strings"` // distinct strings
	Shapes  int `json:"shapes"`  // distinct key lists
	Symbols int `json:"symbols"` // symbols
	Floats  int `json:"floats"`  // numbers that are not small integers
	BigInts int `json:"bigints"` // BigInt values
	Buffers int `json:"buffers"` // ArrayBuffer contents
}

// KindCount is the number of objects of one kind.
type KindCount struct {
	Kind  string `json:"kind"`  // "object", "array", "map", "arrow", ...
	Count int    `json:"count"` // how many objects of the kind
}

// ObjectInfo describes one object of the image.
type ObjectInfo struct {
	Object   int    `json:"object"`   // its number in the image
	Kind     string `json:"kind"`     // as in KindCount
	Size     int64  `json:"size"`     // slots + elements + entries + buffer bytes
	Slots    int    `json:"slots"`    // property slots (an accessor has two)
	Elements int    `json:"elements"` // array elements, Map/Set entries
	Bytes    int64  `json:"bytes"`    // ArrayBuffer contents
	Path     string `json:"path"`     // from a root, as in globalThis.app.cache[3]; "" when only internal state holds it
}

// ScriptInfo is one compiled unit of the image.
type ScriptInfo struct {
	Name   string `json:"name"`   // the file name or a label ("<repl:3>")
	Bytes  int    `json:"bytes"`  // length of its source
	Lines  int    `json:"lines"`  // lines of its source
	Strict bool   `json:"strict"` // compiled in strict mode from the outside
}

// ScopeInfo summarises the captured scopes (closures' variables).
type ScopeInfo struct {
	Count int          `json:"count"` // number of scopes
	Slots int          `json:"slots"` // variables and extra arguments, in all scopes
	Named []NamedScope `json:"named"` // the first scopes whose variables' names are known
}

// NamedScope is a captured scope whose variables' names are known: derived
// from the script's source (see the README) for the function it belongs to.
type NamedScope struct {
	Function  string   `json:"function"`  // "" for an anonymous function
	Variables []string `json:"variables"` // in slot order
	Path      string   `json:"path"`      // where the first such scope hangs from
	Count     int      `json:"count"`     // scopes of this function with these variables
}

// PluginSummary is a native plugin of the image with what it saved.
type PluginSummary struct {
	Name    string         `json:"name"`            // natives.Plugin.Name
	Version int            `json:"version"`         // the version of its records
	State   any            `json:"state,omitempty"` // its own state, as JSON (functions as "[Function name]")
	Records []NativeRecord `json:"records"`         // the objects it owns, first ones only
	Count   int            `json:"count"`           // all the objects it owns
}

// NativeRecord is an object a plugin owns, with the record it saved.
type NativeRecord struct {
	Object int    `json:"object"` // its number in the image
	Path   string `json:"path"`   // from a root, as in ObjectInfo
	Record any    `json:"record"` // what the plugin saved, as JSON
}

// HookInfo counts the hooks the world registered.
type HookInfo struct {
	OnSave   int    `json:"onSave"`             // functions given to stasis.onSave
	OnResume int    `json:"onResume"`           // functions given to stasis.onResume
	Main     bool   `json:"main"`               // whether stasis.setMain was given one
	MainName string `json:"mainName,omitempty"` // its name
	// Code is the code of each onResume hook, main and each onSave hook,
	// in the order they run.
	Code []HookCode `json:"code,omitempty"`
}

// Limits of a summary.
const (
	summaryLargest = 10
	summaryRecords = 20
	summaryDepth   = 3 // nesting of rendered values
)

// Inspect reads the image in r (size bytes, from its first byte) and
// summarises it. It verifies the image as Load does, within the default
// limits.
func Inspect(r io.ReaderAt, size int64) (*Summary, error) {
	return InspectWithin(r, size, Limits{})
}

// InspectWithin is Inspect within the limits lim (zero fields: defaults).
func InspectWithin(r io.ReaderAt, size int64, lim Limits) (*Summary, error) {
	meta, hdr, err := format.ReadMeta(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, err
	}
	_, payload, err := format.Read(io.NewSectionReader(r, 0, size), lim)
	if err != nil {
		return nil, err
	}
	return summarize(meta, hdr, payload, size, lim)
}

// SummarizeWorld describes the image that saving the world v now would
// make, without writing it (the sizes of the file and its header are
// zero). It fails where a save would.
func SummarizeWorld(v *vm.VM) (*Summary, error) {
	payload, err := EncodePayload(v)
	if err != nil {
		return nil, err
	}
	meta := &Meta{StasisVersion: vm.Version, GojaVersion: heap.GojaVersion(), Layout: heap.Fingerprint(), Plugins: pluginInfos(v)}
	return Summarize(meta, &Header{Major: format.Major, Minor: format.Minor}, payload, 0)
}

// Summarize describes an image from its metadata, header and unpacked
// payload; fileSize is the size of the image as stored.
func Summarize(meta *Meta, hdr *Header, data []byte, fileSize int64) (sum *Summary, err error) {
	return summarize(meta, hdr, data, fileSize, Limits{})
}

func summarize(meta *Meta, hdr *Header, data []byte, fileSize int64, lim Limits) (sum *Summary, err error) {
	p, err := format.DecodeVersion(data, lim, hdr.Version())
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(*corrupt)
			if !ok {
				panic(r)
			}
			sum, err = nil, fmt.Errorf("%w: %s", ErrCorrupt, c.msg)
		}
	}()
	in := newInspector(p)
	s := &Summary{
		Format:        fmt.Sprintf("%d.%d", hdr.Major, hdr.Minor),
		StasisVersion: meta.StasisVersion,
		GojaVersion:   meta.GojaVersion,
		Layout:        meta.Layout,
		Created:       time.Unix(meta.Created, 0).UTC().Format(time.RFC3339),
		Entry:         meta.Entry,
		Globals:       []string{},
		GlobalVars:    []string{},
		Patches:       []string{},
		Scripts:       []ScriptInfo{},
		Plugins:       []PluginSummary{},
	}
	if err := CheckCompatible(meta); err != nil {
		s.Incompatible = strings.TrimPrefix(err.Error(), ErrIncompatible.Error()+": ")
	} else {
		s.Compatible = true
	}
	s.Sizes = Sizes{File: fileSize, Metadata: int64(hdr.MetaLen), Stored: int64(hdr.Stored), Unpacked: int64(hdr.Unpacked)}
	pp := in.p
	for _, x := range pp.Strings {
		s.Sizes.Strings += int64(len(x))
	}
	for _, b := range pp.Buffers {
		s.Sizes.Buffers += int64(len(b))
	}
	if pp.Code != nil {
		for _, c := range pp.Code.Programs {
			s.Sizes.Code += int64(len(c))
		}
	}
	for _, sc := range pp.Scripts {
		if sc.Digest != nil {
			continue // part of Stasis, not of the world's program
		}
		s.Sizes.Sources += int64(len(sc.Source))
		s.Scripts = append(s.Scripts, ScriptInfo{Name: sc.Name, Bytes: len(sc.Source), Lines: strings.Count(sc.Source, "\n") + 1, Strict: sc.Strict})
	}
	s.Counts = Counts{Objects: len(in.objs), Strings: len(pp.Strings), Shapes: len(pp.Shapes), Symbols: len(pp.Symbols),
		Floats: len(pp.Floats), BigInts: len(pp.BigInts), Buffers: len(pp.Buffers)}

	var byKind [numObjKinds]int
	for i := range in.objs {
		byKind[in.objs[i].kind]++
	}
	for k, n := range byKind {
		if n > 0 {
			s.Objects = append(s.Objects, KindCount{Kind: objKind(k).String(), Count: n})
		}
	}
	sort.SliceStable(s.Objects, func(a, b int) bool { return s.Objects[a].Count > s.Objects[b].Count })

	s.Scopes.Count = len(pp.Stashes)
	for st := range pp.Stashes {
		s.Scopes.Slots += in.stashSlots(st)
	}

	in.walk()
	s.Largest = in.largest(summaryLargest)
	s.Scopes.Named = []NamedScope{}
	seen := map[string]int{} // function and variables -> index in Named
	for st := range pp.Stashes {
		sc, ok := in.derivedNames(st)
		if !ok {
			continue
		}
		key := sc.fn + "\x00" + strings.Join(sc.slots, "\x00")
		if i, ok := seen[key]; ok {
			s.Scopes.Named[i].Count++
			continue
		}
		if len(s.Scopes.Named) == summaryLargest {
			continue
		}
		seen[key] = len(s.Scopes.Named)
		s.Scopes.Named = append(s.Scopes.Named, NamedScope{Function: sc.fn, Variables: sc.slots, Path: in.path(len(in.objs) + st), Count: 1})
	}

	r := &pp.Roots
	for g := 0; g+2 < len(r.Globals); g += 3 {
		s.Globals = append(s.Globals, in.str(r.Globals[g]))
	}
	for _, pt := range in.patches {
		if pt.global != "" {
			s.GlobalVars = append(s.GlobalVars, pt.global)
		} else {
			s.Patches = append(s.Patches, pt.path)
		}
	}
	s.Hooks = HookInfo{OnSave: len(r.OnSave), OnResume: len(r.OnResume), Main: r.Main != codeNone}
	if s.Hooks.Main {
		s.Hooks.MainName = in.functionName(r.Main)
	}
	s.Hooks.Code = in.hooksCode()

	byPlugin := map[uint64][]NativeRecord{}
	counts := map[uint64]int{}
	for _, nr := range in.natives {
		counts[nr.plugin]++
		if len(byPlugin[nr.plugin]) < summaryRecords {
			byPlugin[nr.plugin] = append(byPlugin[nr.plugin], NativeRecord{Object: nr.obj, Path: in.path(nr.obj), Record: in.render(nr.record, summaryDepth)})
		}
	}
	for i, pr := range pp.Plugins {
		px := PluginSummary{Name: pr.Name, Version: pr.Version, Records: byPlugin[uint64(i)], Count: counts[uint64(i)]}
		if px.Records == nil {
			px.Records = []NativeRecord{}
		}
		if pr.State != codeNone {
			px.State = in.render(pr.State, summaryDepth)
		}
		s.Plugins = append(s.Plugins, px)
	}
	return s, nil
}

// objInfo is where one object's data lies in the columns.
type objInfo struct {
	kind          objKind
	name          int32 // intrinsic: string index of its name; else -1
	rec           int32 // index among objects with properties; -1 for none
	slot, slotEnd int32 // range in Slots
	sym, symEnd   int32 // range in SymProps
	elem, elemEnd int32 // range in Elems
	priv, privEnd int32 // range in Private
	elements      int32 // number of elements or entries
	extra         int32 // index in Extra; -1 for none
}

type nativeRef struct {
	obj    int
	plugin uint64
	record uint64
}

type patchRoot struct {
	path   string
	global string // the name of a property defined on the global object
}

// inspector indexes a decoded payload.
type inspector struct {
	p       *payload
	objs    []objInfo
	natives []nativeRef
	patches []patchRoot

	parent    []int32  // per node: the node it was first reached from; -1 root, -2 unreached
	label     []iLabel // per node: how
	rootName  map[int]string
	stashName map[int]map[uint64]string
	namer     scopeNamer
	compiled  map[int]*compiled // scripts compiled for names, by number
}

// A node is an object (0..len(objs)-1) or a scope (len(objs)+stash index).

type iLabel struct {
	kind uint8
	n    uint64
}

// Labels beyond the saver's (save.go).
const (
	lTarget = 100 + iota
	lThis
	lArg
	lHandler
	lResult
	lRecord
	lPrivField
	lOuter
	lWith
	lBuffer
	lWeakValue
	lReaction
	lFrame
)

func (in *inspector) fail(format string, args ...any) {
	panic(&corrupt{fmt.Sprintf(format, args...)})
}

func (in *inspector) str(i uint64) string {
	if i >= uint64(len(in.p.Strings)) {
		in.fail("string %d out of range", i)
	}
	return in.p.Strings[i]
}

// col reads a column with bounds checks.
type col struct {
	in   *inspector
	name string
	s    []uint64
	i    int
}

func (c *col) next() uint64 {
	if c.i >= len(c.s) {
		c.in.fail("%s: column ends early", c.name)
	}
	c.i++
	return c.s[c.i-1]
}

func (c *col) count() int {
	n := c.next()
	if n > uint64(len(c.s)) {
		c.in.fail("%s: count %d too large", c.name, n)
	}
	return int(n)
}

// skipElem passes one element (a value, or a property record).
func (c *col) elem(visit func(v uint64)) {
	v := c.next()
	if v != codeElemProperty {
		visit(v)
		return
	}
	if c.next()&attrAccessor != 0 {
		visit(c.next())
	}
	visit(c.next())
}

func newInspector(p *payload) *inspector {
	in := &inspector{p: p, rootName: map[int]string{}}
	ob := &p.Objects
	in.objs = make([]objInfo, len(ob.Kinds))
	slots := &col{in: in, name: "slots", s: ob.Slots}
	syms := &col{in: in, name: "symbol properties", s: ob.SymProps}
	elems := &col{in: in, name: "elements", s: ob.Elems}
	arrs := &col{in: in, name: "array lengths", s: ob.ArrLen}
	priv := &col{in: in, name: "private elements", s: ob.Private}
	j, intrinsic, extra := 0, 0, 0
	skip := func(uint64) {}
	for i, kb := range ob.Kinds {
		k := objKind(kb)
		if k >= numObjKinds {
			in.fail("object %d: unknown kind %d", i, k)
		}
		o := objInfo{kind: k, name: -1, rec: -1, extra: -1}
		if k.HasExtra() {
			if extra >= len(ob.Extra) {
				in.fail("object %d: extra records end early", i)
			}
			o.extra = int32(extra)
			extra++
		}
		if k == okIntrinsic {
			if intrinsic >= len(ob.Intrinsic) {
				in.fail("object %d: intrinsic names end early", i)
			}
			o.name = int32(ob.Intrinsic[intrinsic])
			in.str(ob.Intrinsic[intrinsic])
			intrinsic++
		}
		if k == okIntrinsic || k == okNative || k == okProxy || k == okResolver {
			in.objs[i] = o
			continue
		}
		if j >= len(ob.Proto) || j >= len(ob.Shape) || j >= len(ob.Flags) {
			in.fail("object %d: columns end early", i)
		}
		o.rec = int32(j)
		if ob.Shape[j] >= uint64(len(p.Shapes)) {
			in.fail("object %d: shape %d out of range", i, ob.Shape[j])
		}
		shape := p.Shapes[ob.Shape[j]]
		o.slot = int32(slots.i)
		for s := 1; s < len(shape); s += 2 {
			switch attrs := shape[s]; {
			case attrs&attrPlain != 0, attrs&attrInterior != 0:
				slots.next()
			case attrs&attrMapped != 0:
			case attrs&attrAccessor != 0:
				slots.next()
				slots.next()
			default:
				slots.next()
			}
		}
		o.slotEnd = int32(slots.i)
		flags := ob.Flags[j]
		o.sym = int32(syms.i)
		if flags&flagSymbols != 0 {
			for n := syms.count(); n > 0; n-- {
				syms.next()
				if attrs := syms.next(); attrs&attrAccessor != 0 && attrs&attrPlain == 0 {
					syms.next()
				}
				syms.next()
			}
		}
		o.symEnd = int32(syms.i)
		o.priv = int32(priv.i)
		if flags&flagPrivate != 0 {
			for n := priv.count(); n > 0; n-- {
				priv.next()
				priv.next()
				for f := priv.count(); f > 0; f-- {
					priv.next()
				}
			}
		}
		o.privEnd = int32(priv.i)
		o.elem = int32(elems.i)
		switch k {
		case okArray, okSparseArray:
			arrs.next()
			n := arrs.next()
			if n > uint64(len(ob.Elems)) {
				in.fail("object %d: %d elements, more than the image holds", i, n)
			}
			arrs.next()
			for e := uint64(0); e < n; e++ {
				if k == okSparseArray {
					elems.next()
				}
				elems.elem(skip)
			}
			o.elements = int32(n)
		case okMap, okSet:
			if ext := in.extra(o); len(ext) > 0 {
				o.elements = int32(min(ext[0], math.MaxInt32))
			}
		}
		o.elemEnd = int32(elems.i)
		in.objs[i] = o
		j++
	}
	n := p.Natives
	for i := 0; i+2 < len(n); i += 3 {
		if n[i] >= uint64(len(in.objs)) {
			in.fail("native record on object %d out of range", n[i])
		}
		in.natives = append(in.natives, nativeRef{obj: int(n[i]), plugin: n[i+1], record: n[i+2]})
	}
	for i := range in.objs {
		if in.objs[i].kind == okNative {
			ext := in.extra(in.objs[i])
			if len(ext) >= 2 {
				in.natives = append(in.natives, nativeRef{obj: i, plugin: ext[0], record: ext[1]})
			}
		}
	}
	sort.SliceStable(in.natives, func(a, b int) bool { return in.natives[a].obj < in.natives[b].obj })
	return in
}

func (in *inspector) extra(o objInfo) []uint64 {
	if o.extra < 0 {
		return nil
	}
	return in.p.Objects.Extra[o.extra]
}

// objRef returns the object number a value code refers to, or -1.
func (in *inspector) objRef(c uint64) int {
	if c&7 != tagObject {
		return -1
	}
	if c>>3 >= uint64(len(in.objs)) {
		in.fail("object %d out of range", c>>3)
	}
	return int(c >> 3)
}

// stashNode returns the node of a scope reference (0 none, 1 global, n+2), or -1.
func (in *inspector) stashNode(c uint64) int {
	if c < 2 {
		return -1
	}
	if c-2 >= uint64(len(in.p.Stashes)) {
		in.fail("stash %d out of range", c-2)
	}
	return len(in.objs) + int(c-2)
}

// edges calls visit for every object and scope node n refers to.
func (in *inspector) edges(n int, visit func(to int, l iLabel)) {
	val := func(c uint64, l iLabel) {
		if t := in.objRef(c); t >= 0 {
			visit(t, l)
		}
	}
	stash := func(c uint64, l iLabel) {
		if t := in.stashNode(c); t >= 0 {
			visit(t, l)
		}
	}
	p := in.p
	if n >= len(in.objs) {
		st := n - len(in.objs)
		c := &col{in: in, name: fmt.Sprintf("stash %d", st), s: p.Stashes[st]}
		stash(c.next(), iLabel{kind: lOuter})
		c.next()
		val(c.next(), iLabel{kind: lWith})
		nv := c.count()
		for i := 0; i < nv; i++ {
			val(c.next(), iLabel{lStashSlot, uint64(i)})
		}
		for i, ne := 0, c.count(); i < ne; i++ {
			val(c.next(), iLabel{lStashSlot, uint64(nv + i)})
		}
		return
	}
	o := in.objs[n]
	ob := &p.Objects
	if o.rec >= 0 {
		shape := p.Shapes[ob.Shape[o.rec]]
		slots := ob.Slots[o.slot:o.slotEnd]
		s := 0
		for k := 0; k+1 < len(shape); k += 2 {
			key, attrs := shape[k], shape[k+1]
			switch {
			case attrs&attrMapped != 0:
			case attrs&attrAccessor != 0 && attrs&attrPlain == 0 && attrs&attrInterior == 0:
				val(slots[s], iLabel{lGetter, key})
				val(slots[s+1], iLabel{lSetter, key})
				s += 2
			default:
				val(slots[s], iLabel{lProp, key})
				s++
			}
		}
		sc := &col{in: in, name: "symbol properties", s: ob.SymProps[o.sym:o.symEnd]}
		for sc.i < len(sc.s) {
			for m := sc.count(); m > 0; m-- {
				kc := sc.next()
				if attrs := sc.next(); attrs&attrAccessor != 0 && attrs&attrPlain == 0 {
					val(sc.next(), iLabel{lSymProp, kc >> 3})
				}
				val(sc.next(), iLabel{lSymProp, kc >> 3})
			}
		}
		ec := &col{in: in, name: "elements", s: ob.Elems[o.elem:o.elemEnd]}
		for e := uint64(0); ec.i < len(ec.s); e++ {
			idx := e
			if o.kind == okSparseArray {
				idx = ec.next()
			}
			ec.elem(func(v uint64) { val(v, iLabel{lElem, idx}) })
		}
		pc := &col{in: in, name: "private elements", s: ob.Private[o.priv:o.privEnd]}
		for pc.i < len(pc.s) {
			for m := pc.count(); m > 0; m-- {
				pc.next()
				if ma := pc.next(); ma > 0 && ma-1 < uint64(len(p.MethodArrays)) {
					mc := &col{in: in, name: "method table", s: p.MethodArrays[ma-1]}
					for mc.i < len(mc.s) {
						mc.elem(func(v uint64) { val(v, iLabel{lPrivField, 0}) })
					}
				}
				for f, nf := uint64(0), pc.count(); f < uint64(nf); f++ {
					val(pc.next(), iLabel{lPrivField, f})
				}
			}
		}
	}
	ext := in.extra(o)
	c := &col{in: in, name: fmt.Sprintf("object %d", n), s: ext}
	switch k := o.kind; {
	case k == okMap || k == okSet:
		cnt := c.count()
		for e := 0; e < cnt; e++ {
			val(c.next(), iLabel{lMapKey, uint64(e)})
			if k == okMap {
				val(c.next(), iLabel{lMapValue, uint64(e)})
			}
		}
	case k == okWeakMap || k == okWeakSet:
		if len(ext) > 0 && ext[0] < uint64(len(p.Weak)) {
			w := p.Weak[ext[0]]
			step := 1
			if k == okWeakMap {
				step = 2
			}
			for e := 0; e+step-1 < len(w); e += step {
				if step == 2 {
					val(w[e+1], iLabel{lWeakValue, uint64(e / 2)})
				}
			}
		}
	case k == okBound:
		val(c.next(), iLabel{kind: lTarget})
		val(c.next(), iLabel{kind: lThis})
		for a, na := 0, c.count(); a < na; a++ {
			val(c.next(), iLabel{lArg, uint64(a)})
		}
	case k == okProxy:
		val(c.next(), iLabel{kind: lTarget})
		val(c.next(), iLabel{kind: lHandler})
	case k == okResolver || k == okRevoke:
		val(c.next(), iLabel{kind: lTarget})
	case k == okNative:
		c.next()
		val(c.next(), iLabel{kind: lRecord})
	case k == okTypedArray || k == okDataView:
		val(c.next(), iLabel{kind: lBuffer})
	case k == okPromise:
		c.next()
		val(c.next(), iLabel{kind: lResult})
		c.next()
		for r, nr := 0, c.count(); r < nr; r++ {
			switch c.next() {
			case reactionAsync, reactionAsyncIter:
				iters := c.s[c.i-1] == reactionAsyncIter
				val(c.next(), iLabel{lReaction, uint64(r)})
				val(c.next(), iLabel{lReaction, uint64(r)})
				in.frame(c, val, stash)
				val(c.next(), iLabel{lReaction, uint64(r)})
				if iters {
					in.iterStack(c, val)
				}
			case reactionThen:
				val(c.next(), iLabel{lReaction, uint64(r)})
				val(c.next(), iLabel{lReaction, uint64(r)})
				val(c.next(), iLabel{lReaction, uint64(r)})
			default:
				in.fail("promise %d: unknown reaction", n)
			}
		}
	case k == okGenerator:
		if c.next() != genCompleted {
			in.frame(c, val, stash)
			val(c.next(), iLabel{kind: lFrame})
			if c.i < len(c.s) {
				in.iterStack(c, val)
				if c.next() == 1 {
					val(c.next(), iLabel{kind: lFrame})
					val(c.next(), iLabel{kind: lFrame})
				}
			}
		}
	case k == okIterator:
		in.iterator(c, val)
	case k.IsFunction():
		c.next()
		c.next()
		c.next()
		c.next()
		stash(c.next(), iLabel{kind: lScope})
		c.next()
		c.next()
		switch k {
		case okMethod, okGeneratorMethod, okAsyncMethod:
			val(c.next(), iLabel{kind: lHome})
		case okArrow, okAsyncArrow:
			val(c.next(), iLabel{kind: lInternal})
			val(c.next(), iLabel{kind: lInternal})
		case okClass:
			c.next()
			c.next()
			c.next()
			c.next()
			c.next()
			for e, ne := 0, c.count(); e < ne; e++ {
				val(c.next(), iLabel{kind: lInternal})
			}
		}
	}
	for _, nr := range in.nativesOf(n) {
		val(nr.record, iLabel{kind: lRecord})
	}
	if o.rec >= 0 {
		val(ob.Proto[o.rec], iLabel{kind: lProto})
	}
}

// frame visits the references of a suspended frame (see saver.frame).
func (in *inspector) frame(c *col, val, stash func(uint64, iLabel)) {
	l := iLabel{kind: lFrame}
	c.next()
	c.next()
	stash(c.next(), l)
	c.next()
	val(c.next(), l)
	val(c.next(), l)
	c.next()
	c.next()
	c.next()
	for i, n := 0, c.count(); i < n; i++ {
		val(c.next(), l)
	}
	for i, n := 0, c.count(); i < n; i++ {
		c.next()
		c.next()
		c.next()
		c.next()
		stash(c.next(), l)
		for f := 0; f < 4; f++ {
			c.next()
		}
	}
}

func (in *inspector) nativesOf(obj int) []nativeRef {
	i := sort.Search(len(in.natives), func(i int) bool { return in.natives[i].obj >= obj })
	j := i
	for j < len(in.natives) && in.natives[j].obj == obj {
		j++
	}
	return in.natives[i:j]
}

// stashSlots counts a scope's variables and extra arguments.
func (in *inspector) stashSlots(st int) int {
	c := &col{in: in, name: fmt.Sprintf("stash %d", st), s: in.p.Stashes[st]}
	c.next()
	c.next()
	c.next()
	n := c.count()
	c.i += n
	return n + c.count()
}

// walk finds, breadth first from the roots, how each node is first reached.
func (in *inspector) walk() {
	total := len(in.objs) + len(in.p.Stashes)
	in.parent = make([]int32, total)
	in.label = make([]iLabel, total)
	for i := range in.parent {
		in.parent[i] = -2
	}
	var queue []int
	root := func(c uint64, name string) {
		if t := in.objRef(c); t >= 0 && in.parent[t] == -2 {
			in.parent[t] = -1
			in.rootName[t] = name
			queue = append(queue, t)
		}
	}
	// Intrinsics are named by themselves.
	for i, o := range in.objs {
		if o.kind == okIntrinsic {
			in.parent[i] = -1
			in.rootName[i] = in.str(uint64(o.name))
		}
	}
	r := &in.p.Roots
	for g := 0; g+2 < len(r.Globals); g += 3 {
		root(r.Globals[g+2], in.str(r.Globals[g]))
	}
	in.readPatches(root)
	for i, f := range r.OnSave {
		root(f, fmt.Sprintf("stasis.onSave[%d]", i))
	}
	for i, f := range r.OnResume {
		root(f, fmt.Sprintf("stasis.onResume[%d]", i))
	}
	if r.Main != codeNone {
		root(r.Main, "stasis.main")
	}
	for _, pr := range in.p.Plugins {
		if pr.State != codeNone {
			root(pr.State, "<plugin "+pr.Name+">")
		}
	}
	for h := 0; h < len(queue); h++ {
		from := queue[h]
		in.edges(from, func(to int, l iLabel) {
			if in.parent[to] == -2 {
				in.parent[to] = int32(from)
				in.label[to] = l
				queue = append(queue, to)
			}
		})
	}
}

// readPatches names the changes to built-ins and roots their values.
func (in *inspector) readPatches(root func(uint64, string)) {
	c := &col{in: in, name: "patches", s: in.p.Roots.Patches}
	for c.i < len(c.s) {
		op := c.next()
		o := in.objRef(c.next())
		base := "?"
		if o >= 0 && in.objs[o].kind == okIntrinsic {
			base = in.str(uint64(in.objs[o].name))
		}
		switch op {
		case patchDefine:
			kc := c.next()
			key := in.keyLabel(kc)
			attrs := c.next()
			path := base + key
			pt := patchRoot{path: path}
			if base == "globalThis" && kc&7 == tagString {
				pt.global = in.str(kc >> 3)
			}
			in.patches = append(in.patches, pt)
			if attrs&attrAccessor != 0 {
				root(c.next(), path+"<get>")
				root(c.next(), path+"<set>")
			} else {
				root(c.next(), path)
			}
		case patchDelete:
			in.patches = append(in.patches, patchRoot{path: "delete " + base + in.keyLabel(c.next())})
		case patchProto:
			path := base + ".__proto__"
			in.patches = append(in.patches, patchRoot{path: path})
			root(c.next(), path)
		case patchNonExtensible:
			in.patches = append(in.patches, patchRoot{path: "Object.preventExtensions(" + base + ")"})
		default:
			in.fail("unknown patch op %d", op)
		}
	}
}

// keyLabel renders a property key code as a path step.
func (in *inspector) keyLabel(kc uint64) string {
	switch kc & 7 {
	case tagString:
		return propLabel(in.str(kc >> 3))
	case tagSymbol:
		return "[" + in.symbolName(kc>>3) + "]"
	case tagInt:
		return "[" + strconv.FormatUint(kc>>3, 10) + "]"
	}
	return "[?]"
}

func (in *inspector) symbolName(i uint64) string {
	if i >= uint64(len(in.p.Symbols)) {
		in.fail("symbol %d out of range", i)
	}
	rec := in.p.Symbols[i]
	switch rec[0] {
	case 0:
		return in.str(rec[1])
	case 1, 2:
		return "Symbol(" + in.str(rec[1]) + ")"
	}
	return "Symbol()"
}

// path names node n by the way the walk first reached it, from a root.
func (in *inspector) path(n int) string {
	var parts []string
	for depth := 0; depth < 10000; depth++ {
		switch in.parent[n] {
		case -2:
			return ""
		case -1:
			parts = append(parts, in.rootName[n])
			var b strings.Builder
			for i := len(parts) - 1; i >= 0; i-- {
				b.WriteString(parts[i])
			}
			return b.String()
		}
		parts = append(parts, in.namedLabel(n))
		n = int(in.parent[n])
	}
	return ""
}

func (in *inspector) labelText(from int32, l iLabel) string {
	switch l.kind {
	case lProp:
		return propLabel(in.str(l.n))
	case lSymProp:
		return "[" + in.symbolName(l.n) + "]"
	case lGetter:
		return propLabel(in.str(l.n)) + "<get>"
	case lSetter:
		return propLabel(in.str(l.n)) + "<set>"
	case lElem:
		return "[" + strconv.FormatUint(l.n, 10) + "]"
	case lProto:
		return ".__proto__"
	case lMapKey:
		return ".<key " + strconv.FormatUint(l.n, 10) + ">"
	case lMapValue:
		return ".<value " + strconv.FormatUint(l.n, 10) + ">"
	case lStashSlot:
		if name, ok := in.stashNames(int(from) - len(in.objs))[l.n]; ok {
			return ".<var " + name + ">"
		}
		return ".<closure var " + strconv.FormatUint(l.n, 10) + ">"
	case lScope:
		return ".<scope>"
	case lHome:
		return ".<home object>"
	case lTarget:
		return ".<target>"
	case lThis:
		return ".<this>"
	case lArg:
		return ".<arg " + strconv.FormatUint(l.n, 10) + ">"
	case lHandler:
		return ".<handler>"
	case lResult:
		return ".<result>"
	case lRecord:
		return ".<record>"
	case lPrivField:
		return ".<private " + strconv.FormatUint(l.n, 10) + ">"
	case lOuter:
		return ".<outer scope>"
	case lWith:
		return ".<with object>"
	case lBuffer:
		return ".buffer"
	case lWeakValue:
		return ".<weak value " + strconv.FormatUint(l.n, 10) + ">"
	case lReaction:
		return ".<reaction " + strconv.FormatUint(l.n, 10) + ">"
	case lFrame:
		return ".<suspended frame>"
	}
	return ".<internal>"
}

// stashNames returns the slot names a scope records (only scopes that
// goja keeps names for: the global scope, scopes seen by eval or with).
func (in *inspector) stashNames(st int) map[uint64]string {
	if st < 0 || st >= len(in.p.Stashes) {
		return nil
	}
	if in.stashName == nil {
		in.stashName = map[int]map[uint64]string{}
	}
	if m, ok := in.stashName[st]; ok {
		return m
	}
	c := &col{in: in, name: fmt.Sprintf("stash %d", st), s: in.p.Stashes[st]}
	c.next()
	c.next()
	c.next()
	c.i += c.count()
	c.i += c.count()
	var m map[uint64]string
	if c.next() == 1 {
		m = map[uint64]string{}
		for n := c.count(); n > 0; n-- {
			name := in.str(c.next())
			m[c.next()] = name
		}
	}
	in.stashName[st] = m
	return m
}

// largest returns the n largest non-intrinsic objects.
func (in *inspector) largest(n int) []ObjectInfo {
	out := []ObjectInfo{}
	for i, o := range in.objs {
		if o.kind == okIntrinsic {
			continue
		}
		info := ObjectInfo{Object: i, Kind: o.kind.String(), Elements: int(o.elements)}
		if o.rec >= 0 {
			info.Slots = int(o.slotEnd - o.slot)
		}
		if o.kind == okArrayBuffer {
			if ext := in.extra(o); len(ext) > 0 && ext[0] < uint64(len(in.p.Buffers)) {
				info.Bytes = int64(len(in.p.Buffers[ext[0]]))
			}
		}
		info.Size = int64(info.Slots+info.Elements) + info.Bytes
		if len(out) == n && info.Size <= out[n-1].Size {
			continue
		}
		k := sort.Search(len(out), func(j int) bool { return out[j].Size < info.Size })
		out = append(out, ObjectInfo{})
		copy(out[k+1:], out[k:])
		out[k] = info
		if len(out) > n {
			out = out[:n]
		}
	}
	for i := range out {
		out[i].Path = in.path(out[i].Object)
	}
	return out
}

// prop finds an own string-keyed data property of object o.
func (in *inspector) prop(o int, name string) (uint64, bool) {
	info := in.objs[o]
	if info.rec < 0 {
		return 0, false
	}
	ob := &in.p.Objects
	shape := in.p.Shapes[ob.Shape[info.rec]]
	s := info.slot
	for k := 0; k+1 < len(shape); k += 2 {
		attrs := shape[k+1]
		width := int32(1)
		switch {
		case attrs&attrMapped != 0:
			width = 0
		case attrs&attrAccessor != 0 && attrs&attrPlain == 0 && attrs&attrInterior == 0:
			width = 2
		}
		if width == 1 && in.str(shape[k]) == name {
			return ob.Slots[s], true
		}
		s += width
	}
	return 0, false
}

// functionName returns the name property of the function c refers to.
func (in *inspector) functionName(c uint64) string {
	o := in.objRef(c)
	if o < 0 {
		return ""
	}
	if in.objs[o].kind == okIntrinsic {
		return in.str(uint64(in.objs[o].name))
	}
	if v, ok := in.prop(o, "name"); ok && v&7 == tagString {
		return in.str(v >> 3)
	}
	return ""
}

// render turns a value into something encoding/json prints: plain objects
// as maps, arrays as slices, functions and other objects as descriptions.
func (in *inspector) render(c uint64, depth int) any {
	return in.renderSeen(c, depth, map[int]bool{})
}

func (in *inspector) renderSeen(c uint64, depth int, seen map[int]bool) any {
	n := c >> 3
	switch c & 7 {
	case tagString:
		return in.str(n)
	case tagInt:
		return n
	case tagNegInt:
		return -int64(n) - 1
	case tagFloat:
		if n >= uint64(len(in.p.Floats)) {
			in.fail("float %d out of range", n)
		}
		f := in.p.Floats[n]
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
		return f
	case tagSymbol:
		return in.symbolName(n)
	case tagBigInt:
		if n >= uint64(len(in.p.BigInts)) {
			in.fail("BigInt %d out of range", n)
		}
		if z, ok := new(big.Int).SetString(in.p.BigInts[n], 16); ok {
			return z.String() + "n"
		}
		return "BigInt"
	case tagSpecial:
		switch n {
		case specialTrue:
			return true
		case specialFalse:
			return false
		}
		return nil
	}
	o := in.objRef(c)
	info := in.objs[o]
	switch {
	case info.kind == okIntrinsic:
		return "[" + in.str(uint64(info.name)) + "]"
	case info.kind.IsFunction() || info.kind == okBound:
		if name := in.functionName(c); name != "" {
			return "[Function " + name + "]"
		}
		return "[Function (anonymous)]"
	case seen[o]:
		return "[Circular]"
	case info.kind == okArray:
		if depth <= 0 {
			return fmt.Sprintf("[Array(%d)]", info.elements)
		}
		seen[o] = true
		defer delete(seen, o)
		out := []any{}
		ec := &col{in: in, name: "elements", s: in.p.Objects.Elems[info.elem:info.elemEnd]}
		for ec.i < len(ec.s) {
			var last uint64
			ec.elem(func(v uint64) { last = v })
			out = append(out, in.renderSeen(last, depth-1, seen))
		}
		return out
	case info.kind == okOrdinary:
		if depth <= 0 {
			return "[Object]"
		}
		seen[o] = true
		defer delete(seen, o)
		out := map[string]any{}
		shape := in.p.Shapes[in.p.Objects.Shape[info.rec]]
		for k := 0; k+1 < len(shape); k += 2 {
			name := in.str(shape[k])
			if v, ok := in.prop(o, name); ok {
				out[name] = in.renderSeen(v, depth-1, seen)
			}
		}
		return out
	}
	return "[" + info.kind.String() + "]"
}

// namedLabel is the label of the edge that first reached node n, naming a
// closure scope after its function and a captured variable by its name
// where the script's source tells them (see scopeNamer).
func (in *inspector) namedLabel(n int) string {
	from, l := in.parent[n], in.label[n]
	objs := int32(len(in.objs))
	switch {
	case l.kind == lScope && n >= len(in.objs):
		if sc, ok := in.derivedNames(n - len(in.objs)); ok {
			name := sc.fn
			if name == "" {
				name = "anonymous function"
			}
			return ".<scope of " + name + ">"
		}
	case l.kind == lStashSlot && from >= objs:
		if _, dynamic := in.stashNames(int(from - objs))[l.n]; !dynamic {
			if sc, ok := in.derivedNames(int(from - objs)); ok && int(l.n) < len(sc.slots) {
				return "." + sc.slots[l.n]
			}
		}
	}
	return in.labelText(from, l)
}

// compiledScript returns script i of the image compiled, once per
// inspection (the process-wide cache is keyed by a hash of the source,
// which costs as much as a copy of it on every lookup), or nil.
func (in *inspector) compiledScript(i int) *compiled {
	if c, ok := in.compiled[i]; ok {
		return c
	}
	sc := in.p.Scripts[i]
	c, err := programCache.compile(sc.Name, sc.Source, sc.Strict, 0)
	if err != nil {
		c = nil
	}
	if in.compiled == nil {
		in.compiled = map[int]*compiled{}
	}
	in.compiled[i] = c
	return c
}

// derivedNames derives the names of scope st from the source of the
// function through which the walk first reached it, when they can be known
// and their count matches the scope's slots.
func (in *inspector) derivedNames(st int) (scopeNames, bool) {
	objs := len(in.objs)
	n, hops := objs+st, 0
	for in.parent[n] >= int32(objs) {
		if in.label[n].kind != lOuter || hops > 64 {
			return scopeNames{}, false
		}
		n, hops = int(in.parent[n]), hops+1
	}
	if in.parent[n] < 0 || in.label[n].kind != lScope {
		return scopeNames{}, false
	}
	f := in.objs[in.parent[n]]
	if !f.kind.IsFunction() || f.extra < 0 || int(f.extra) >= len(in.p.Objects.Extra) {
		return scopeNames{}, false
	}
	ext := in.p.Objects.Extra[f.extra]
	if len(ext) < 5 || ext[0] == 0 || ext[0] > uint64(len(in.p.Scripts)) {
		return scopeNames{}, false
	}
	sc := in.p.Scripts[ext[0]-1]
	if sc.Digest != nil {
		return scopeNames{}, false
	}
	c := in.compiledScript(int(ext[0] - 1))
	if c == nil || ext[1] >= uint64(len(c.infos)) {
		return scopeNames{}, false
	}
	chain := in.namer.chain(int(ext[0]-1), sc.Source, heap.ProgramPosition(c.infos[ext[1]].Program))
	cur := int(ext[4]) - 2
	for i := 0; i <= hops; i++ {
		if cur < 0 || cur >= len(in.p.Stashes) || i >= len(chain) || len(in.p.Stashes[cur]) < 4 ||
			uint64(len(chain[i].slots)) != in.p.Stashes[cur][3] {
			return scopeNames{}, false
		}
		if i < hops {
			cur = int(in.p.Stashes[cur][0]) - 2
		}
	}
	if cur != st {
		return scopeNames{}, false
	}
	return chain[hops], true
}
