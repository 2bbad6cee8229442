package heap

import (
	"runtime"
	"strings"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
)

// Property maps copied from a template, for a load.
//
// goja keeps an object's string-keyed properties in a Go map. A map of up
// to eight entries is a header (48 bytes) and one group of eight slots
// (264 bytes), two allocations, and every entry put into it is hashed and
// probed for: for a load of many small objects this was a third of the
// bytes allocated and a fifth of the CPU. Every object of one shape (the
// same keys in the same order) holds the same keys, so the same group can
// be copied for each: a MapTemplate is a real map of the shape's keys,
// made once by Go's runtime, whose header and group are copied into one
// allocation, with the values written into the slots where the runtime put
// the keys. The maps are ordinary Go maps from then on: the runtime grows,
// changes and iterates them as any other.
//
// This knows the layout of Go's maps (internal/runtime/maps, swiss tables,
// Go 1.24 on), which no API exposes. So it is used only with a Go release
// it was checked against (mapReleases) and only after a probe made once
// per process (fastMapsOK) found the runtime's maps laid out as goMap,
// mapGroup and mapSlot say and found the maps it copies working as the
// runtime's own (look-ups, insertion past a group, deletion, iteration,
// clear); otherwise NewMapTemplate returns nil and callers make maps as
// usual.

// goMap mirrors the header of a Go map (internal/runtime/maps.Map).
type goMap struct {
	used              uint64
	seed              uintptr
	dirPtr            unsafe.Pointer // a map of up to eight entries: its one group
	dirLen            int            // 0 for such a map
	globalDepth       uint8
	globalShift       uint8
	writing           uint8
	tombstonePossible bool
	clearSeq          uint64
}

// mapGroupSlots is the number of slots in a group (abi.MapGroupSlots).
const mapGroupSlots = 8

// mapSlot mirrors a slot of a goja property map's group.
type mapSlot struct {
	key  unistring.String
	elem goja.Value
}

// mapGroup mirrors a group of a goja property map: a control word (one
// byte per slot: 0x80 empty, else the low seven bits of the key's hash)
// and the slots.
type mapGroup struct {
	ctrl  uint64
	slots [mapGroupSlots]mapSlot
}

// smallMap is a whole map of up to eight entries: header and group.
type smallMap struct {
	h goMap
	g mapGroup
}

const ctrlEmpty = 0x80

// mapReleases are the Go releases whose map layout goMap and mapGroup were
// checked against.
var mapReleases = []string{"go1.26"}

// MapTemplate makes property maps with one list of keys (see New).
type MapTemplate struct {
	h    goMap // dirPtr nil
	ctrl uint64
	keys []unistring.String
	slot [mapGroupSlots]uint8 // per key, its slot
}

// NewMapTemplate returns a template for maps with keys (distinct), or nil
// if maps with them cannot be copied (more than a group's eight keys, or a
// Go runtime whose maps this package does not know).
func NewMapTemplate(keys []unistring.String) *MapTemplate {
	if len(keys) == 0 || len(keys) > mapGroupSlots || !fastMapsOK() {
		return nil
	}
	return newMapTemplate(keys)
}

func newMapTemplate(keys []unistring.String) *MapTemplate {
	m := make(map[unistring.String]goja.Value)
	for _, k := range keys {
		m[k] = nil
	}
	h := headerOf(m)
	if len(m) != len(keys) || h.used != uint64(len(keys)) || h.dirLen != 0 || h.dirPtr == nil {
		return nil
	}
	g := (*mapGroup)(h.dirPtr)
	t := &MapTemplate{h: *h, ctrl: g.ctrl, keys: append([]unistring.String(nil), keys...)}
	t.h.dirPtr = nil
	found := 0
	for s := 0; s < mapGroupSlots; s++ {
		c := byte(g.ctrl >> (8 * s))
		if c&ctrlEmpty != 0 {
			if c != ctrlEmpty {
				return nil
			}
			continue
		}
		i := indexOfKey(keys, g.slots[s].key)
		if i < 0 {
			return nil
		}
		t.slot[i] = uint8(s)
		found++
	}
	if found != len(keys) {
		return nil
	}
	runtime.KeepAlive(m)
	return t
}

func indexOfKey(keys []unistring.String, k unistring.String) int {
	for i, x := range keys {
		if x == k {
			return i
		}
	}
	return -1
}

// headerOf returns the header of map m.
func headerOf(m map[unistring.String]goja.Value) *goMap {
	return *(**goMap)(unsafe.Pointer(&m))
}

// Len returns the number of keys of maps made from t.
func (t *MapTemplate) Len() int { return len(t.keys) }

// New returns a map holding t's keys with values (values[i] for the i-th
// key of t; len(values) must be t.Len()): header and group in one
// allocation. (Maps allocated many at a time were tried: a map kept alive
// kept its whole batch, and the batch's dead maps the objects they hold.)
func (t *MapTemplate) New(values []goja.Value) map[unistring.String]goja.Value {
	sm := new(smallMap)
	// The group is fresh (zero: every slot empty) but for what is
	// written: the control word, and the used slots, one by one.
	sm.g.ctrl = t.ctrl
	for i, v := range values[:len(t.keys)] {
		s := &sm.g.slots[t.slot[i]]
		s.key, s.elem = t.keys[i], v
	}
	sm.h = t.h
	sm.h.dirPtr = unsafe.Pointer(&sm.g)
	var m map[unistring.String]goja.Value
	*(*unsafe.Pointer)(unsafe.Pointer(&m)) = unsafe.Pointer(&sm.h)
	return m
}

var (
	fastMapsOnce sync.Once
	fastMaps     bool
)

// fastMapsOK reports, once per process, whether this Go runtime's maps are
// laid out and behave as MapTemplate assumes.
func fastMapsOK() bool {
	fastMapsOnce.Do(func() { fastMaps = probeMaps() })
	return fastMaps
}

// FastMaps reports whether property maps are copied from templates in this
// process (else NewMapTemplate returns nil).
func FastMaps() bool { return fastMapsOK() }

func probeMaps() bool {
	known := false
	for _, r := range mapReleases {
		if v := runtime.Version(); v == r || strings.HasPrefix(v, r+".") || strings.HasPrefix(v, r+"rc") {
			known = true
		}
	}
	if !known {
		return false
	}
	keys := []unistring.String{"a", "bb", "ccc", "dddd", "eeeee", "ffffff", "ggggggg", "hhhhhhhh"}
	vals := make([]goja.Value, len(keys))
	for i := range vals {
		vals[i] = &goja.Object{} // told apart by address
	}
	// A full group as the runtime makes it: every slot where goMap,
	// mapGroup and mapSlot say.
	full := make(map[unistring.String]goja.Value)
	for i, k := range keys {
		full[k] = vals[i]
	}
	h := headerOf(full)
	if h.used != uint64(len(keys)) || h.dirLen != 0 || h.dirPtr == nil {
		return false
	}
	g := (*mapGroup)(h.dirPtr)
	seen := 0
	for s := 0; s < mapGroupSlots; s++ {
		if byte(g.ctrl>>(8*s))&ctrlEmpty != 0 {
			return false
		}
		i := indexOfKey(keys, g.slots[s].key)
		if i < 0 || g.slots[s].elem != vals[i] || seen&(1<<i) != 0 {
			return false
		}
		seen |= 1 << i
	}
	runtime.KeepAlive(full)
	// Maps copied from templates of three and of eight keys behave as the
	// runtime's own through every operation.
	for _, n := range []int{3, 8} {
		t := newMapTemplate(keys[:n])
		if t == nil {
			return false
		}
		if !probeCopy(t.New(vals[:n]), keys[:n], vals[:n]) {
			return false
		}
	}
	return true
}

// probeCopy checks that m, made holding keys with vals, answers as a map
// of them does, and goes on working as one when changed.
func probeCopy(m map[unistring.String]goja.Value, keys []unistring.String, vals []goja.Value) bool {
	want := map[unistring.String]goja.Value{}
	for i, k := range keys {
		want[k] = vals[i]
	}
	same := func() bool {
		if len(m) != len(want) {
			return false
		}
		for k, v := range want {
			if got, ok := m[k]; !ok || got != v {
				return false
			}
		}
		n := 0
		for k, v := range m {
			if w, ok := want[k]; !ok || w != v {
				return false
			}
			n++
		}
		_, ok := m["missing"]
		return n == len(want) && !ok
	}
	if !same() {
		return false
	}
	// Replace a value, delete a key, add keys past one group, clear.
	m[keys[0]], want[keys[0]] = vals[len(vals)-1], vals[len(vals)-1]
	delete(m, keys[len(keys)-1])
	delete(want, keys[len(keys)-1])
	if !same() {
		return false
	}
	for i := 0; i < 20; i++ {
		k := unistring.String("extra" + string(rune('a'+i)))
		m[k], want[k] = vals[i%len(vals)], vals[i%len(vals)]
	}
	if !same() {
		return false
	}
	clear(m)
	clear(want)
	return same()
}
