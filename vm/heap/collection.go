package heap

import (
	"fmt"
	"hash/maphash"
	"math"
	"reflect"
	"slices"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
)

// Filling a load's Maps and Sets. goja keeps a Map's (or a Set's) entries
// in an orderedMap: a list of mapEntry records in insertion order, and an
// index from each key's hash to the entries of that hash (chained through
// hNext). Map.prototype.set, called once per entry, hashes the key, looks
// it up in the index, then inserts it: two probes of a Go map that grows
// as it fills. A load knows every entry at once, so Collections writes
// them directly: the index is made at its final size, each entry takes
// one probe, and the entries are allocated entryBatch at a time.
//
// The key's hash is goja's unexported Value.hash method, which Go code
// outside goja cannot call; Collections computes it for the keys whose
// hash it knows (strings of ASCII characters: goja's maphash of the
// string with the runtime's seed; integers: the integer; other numbers:
// their bits; objects: their address, in the goja versions that hash
// objects so), after a probe, once per process, found goja's own index of
// a Map made through set holding exactly those hashes. A collection
// holding any other key (a symbol, a boolean, -0, a string with other
// characters, an object under a goja that numbers objects) is filled
// through the set function the caller gives, as before.

// entryBatch is how many entries are allocated together. A batch stays
// alive while any of its entries is in use; goja clears a deleted entry's
// key and value, so a batch's dead entries keep only each other.
const entryBatch = 64

// keyHashes is what the probe learnt about goja's hashes.
type keyHashes struct {
	ok                       bool
	why                      string         // why not, for tests
	strTab, intTab, floatTab unsafe.Pointer // itabs of asciiString, valueInt, valueFloat as a goja.Value
	objByAddress             bool           // goja hashes an object by its address
	entryType                reflect.Type   // goja's mapEntry
}

var (
	hashesOnce sync.Once
	hashes     keyHashes
)

// collectionSample is the probe: a Map through set with a key of each kind
// that Collections hashes itself.
const collectionSample = `(function () { var m = new Map(); m.set("acct1", 0); m.set("", 1); m.set(300, 2); m.set(-7, 3); m.set(0.5, 4); m.set(-1e300, 5); m.set({}, 6); m.set([], 7); return m })()`

// probeHashes checks, in a runtime of its own, that Collections' hashes
// are goja's.
func probeHashes() keyHashes {
	kh := keyHashes{entryType: layout.types["mapEntry"]}
	om := layout.types["orderedMap"]
	if kh.entryType == nil || om == nil {
		return keyHashes{why: "no goja mapEntry or orderedMap type"}
	}
	if f, ok := om.FieldByName("hash"); !ok || f.Type != reflect.TypeFor[*maphash.Hash]() {
		return keyHashes{why: "orderedMap.hash is not a *maphash.Hash"}
	}
	if f, ok := om.FieldByName("hashTable"); !ok || f.Type.String() != "map[uint64]*goja.mapEntry" {
		return keyHashes{why: "orderedMap.hashTable is not a map[uint64]*goja.mapEntry"}
	}
	rt := goja.New()
	s, i, f := rt.ToValue("a"), rt.ToValue(int64(maxSafeInt)), rt.ToValue(0.5)
	kh.strTab, kh.intTab, kh.floatTab = (*iface)(unsafe.Pointer(&s)).tab, (*iface)(unsafe.Pointer(&i)).tab, (*iface)(unsafe.Pointer(&f)).tab
	v, err := rt.RunString(collectionSample)
	if err != nil {
		return keyHashes{why: fmt.Sprintf("sample: %v", err)}
	}
	o, ok := v.(*goja.Object)
	if !ok || KindOf(o) != KindMap {
		return keyHashes{why: "sample is not a Map"}
	}
	m := *MapOf(o).M()
	kh.objByAddress = true
	seen := 0
	for h, e := range *m.table() {
		for ; e != nil; e = *e.HNext() {
			seen++
			k := *e.Key()
			mine, fast := kh.hash(k, m)
			if _, isObj := k.(*goja.Object); isObj && (!fast || mine != h) {
				kh.objByAddress = false
				continue
			}
			if !fast || mine != h {
				return keyHashes{why: fmt.Sprintf("key %v: goja's hash %#x, computed %#x", k, h, mine)}
			}
		}
	}
	if seen != *m.Size() || seen != 8 {
		return keyHashes{why: fmt.Sprintf("sample holds %d entries", seen)}
	}
	kh.ok = true
	return kh
}

// table returns the map's index, which probeHashes found to be a
// map[uint64]*mapEntry (a mirror pointer has a pointer's layout).
func (x *OrderedMap) table() *map[uint64]*MapEntry {
	return (*map[uint64]*MapEntry)(unsafe.Pointer(x.HashTable()))
}

// hash returns goja's hash of key in m, and whether it is one kh computes.
func (kh *keyHashes) hash(key goja.Value, m *OrderedMap) (uint64, bool) {
	if o, ok := key.(*goja.Object); ok {
		return uint64(uintptr(unsafe.Pointer(o))), kh.objByAddress
	}
	w := (*iface)(unsafe.Pointer(&key))
	switch w.tab {
	case kh.strTab:
		s := *(*string)(w.data)
		h := (*maphash.Hash)(*m.Hash())
		_, _ = h.WriteString(s)
		sum := h.Sum64()
		h.Reset()
		return sum, true
	case kh.intTab:
		return uint64(*(*int64)(w.data)), true
	case kh.floatTab:
		f := *(*float64)(w.data)
		if f == 0 { // goja keeps -0 as its key 0
			return 0, false
		}
		return math.Float64bits(f), true
	}
	return 0, false
}

// Collections fills Maps and Sets for a load (see above). Not safe for
// concurrent use.
type Collections struct {
	kh     *keyHashes
	batch  unsafe.Pointer // the next free entry of the current batch
	left   int            // entries left in the batch
	hashes []uint64
}

// NewCollections returns a filler of collections.
func NewCollections() *Collections {
	hashesOnce.Do(func() { hashes = probeHashes() })
	return &Collections{kh: &hashes}
}

// Fill adds the entries keys[i] → values[i] to o, an empty Map or Set made
// by goja (values is nil for a Set), as calling set (Map.prototype.set or
// Set.prototype.add) with each in order would: a key that repeats an
// earlier one's (SameValueZero) replaces its value and keeps its place.
// Fill calls set for every entry of a collection with a key whose hash it
// does not know.
func (c *Collections) Fill(o *goja.Object, keys, values []goja.Value, set func(key, value goja.Value) error) error {
	if len(keys) == 0 {
		return nil
	}
	m := *MapOf(o).M()
	if !c.kh.ok || *m.Size() != 0 {
		return c.slow(keys, values, set)
	}
	c.hashes = slices.Grow(c.hashes[:0], len(keys))
	for _, k := range keys {
		h, fast := c.kh.hash(k, m)
		if !fast {
			return c.slow(keys, values, set)
		}
		c.hashes = append(c.hashes, h)
	}
	tbl := make(map[uint64]*MapEntry, len(keys))
	var last *MapEntry
	for i, k := range keys {
		e := c.entry()
		*e.Key() = k
		if values != nil {
			*e.Value() = values[i]
		}
		if last == nil {
			*m.IterFirst() = e
		} else {
			*e.IterPrev(), *last.IterNext() = last, e
		}
		last = e
		tbl[c.hashes[i]] = e
	}
	*m.IterLast() = last
	*m.Size() = len(keys)
	if len(tbl) != len(keys) {
		// Two keys share a hash, or a key repeats: index the entries
		// again, one look-up each, as set does.
		clear(tbl)
		*m.Size() = 0
		for e, i := *m.IterFirst(), 0; e != nil; i++ {
			next := *e.IterNext()
			c.index(m, tbl, e, c.hashes[i])
			e = next
		}
	}
	*m.table() = tbl
	return nil
}

// index adds e, already in m's list, to m's index tbl under hash h; if an
// entry with the same key is there, that entry takes e's value and e
// leaves the list.
func (c *Collections) index(m *OrderedMap, tbl map[uint64]*MapEntry, e *MapEntry, h uint64) {
	first := tbl[h]
	var prev *MapEntry
	for cur := first; cur != nil; prev, cur = cur, *cur.HNext() {
		if (*cur.Key()).SameAs(*e.Key()) {
			*cur.Value() = *e.Value()
			p, n := *e.IterPrev(), *e.IterNext()
			if p != nil {
				*p.IterNext() = n
			} else {
				*m.IterFirst() = n
			}
			if n != nil {
				*n.IterPrev() = p
			} else {
				*m.IterLast() = p
			}
			*e.Key(), *e.Value(), *e.IterPrev(), *e.IterNext() = nil, nil, nil, nil
			return
		}
	}
	if prev == nil {
		tbl[h] = e
	} else {
		*prev.HNext() = e
	}
	*m.Size()++
}

// entry returns a zeroed goja mapEntry from the current batch.
func (c *Collections) entry() *MapEntry {
	if c.left == 0 {
		c.batch = reflect.MakeSlice(reflect.SliceOf(c.kh.entryType), entryBatch, entryBatch).UnsafePointer()
		c.left = entryBatch
	}
	e := (*MapEntry)(c.batch)
	if c.left--; c.left > 0 {
		c.batch = unsafe.Add(c.batch, c.kh.entryType.Size())
	} else {
		c.batch = nil
	}
	return e
}

func (c *Collections) slow(keys, values []goja.Value, set func(key, value goja.Value) error) error {
	for i, k := range keys {
		var v goja.Value
		if values != nil {
			v = values[i]
		}
		if err := set(k, v); err != nil {
			return err
		}
	}
	return nil
}
