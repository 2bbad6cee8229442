package heap

import (
	"fmt"
	"reflect"
	"sort"
	"sync"
	"unsafe"
	"weak"

	"github.com/dop251/goja"
)

// What really differs between the supported goja versions (every version
// served from v0.0.0-20250630131328-58d95d85e994 to the one go.mod pins; CI
// runs the heap and image tests against each: .ci/goja-versions). Offsets
// that moved (Object.self, Symbol.desc, the fields of generator, asyncRunner
// and generatorObject, Runtime's) need nothing: fields are found by name.
// What needs code is listed here:
//
//	since                  what                                   how this package copes
//	065cd970 (2026-03-11)  generator.returning: the value a        Generator.Returning is nil before; a
//	                       return() carries through finally        saved frame that holds one cannot be
//	                       blocks                                  rebuilt there (SetReturning says so)
//	43234fa6 (2026-09-01)  WeakMap/WeakSet entries are kept in     WeakEntries reads either: the
//	                       the collection (weakMapObject.m, a      collection's map, or (before) each
//	                       map of weak pointers); before, in each  candidate key's Object.weakRefs under
//	                       key's Object.weakRefs, by the           the collection's id
//	                       collection's id
//
// What differs in the code goja compiles (images move between versions where
// it does not: image/samecode.go; .ci/goja-cross tests it):
//
//	since                  what                                   what an image does
//	065cd970 (2026-03-11)  `delete o?.x` compiles to new           a suspended frame or closure of a
//	                       instructions (joptdel...)               function holding one is refused
//	                                                               across (.ci/goja-worlds)
//	43234fa6 (2026-09-01)  a `//# sourceMappingURL` comment that   before, such a script (rxjs's UMD
//	                       names a file goja cannot read no        bundle) does not compile: its images
//	                       longer fails compilation                are refused there, naming it
//
// Every other construct of the round-trip worlds and of lodash, acorn,
// immutable, big.js and dayjs compiles to the same code in every supported
// version (hashed with CodeHasher, 2026-12-01).

// WeakCollection mirrors goja's weakMapObject and weakSetObject (whose
// layouts are the same but for the field's name).
type WeakCollection struct{ Base }

// WeakMapData mirrors goja's weakMap since 43234fa6: the entries of a
// WeakMap or WeakSet, keyed by weak pointers to their keys.
type WeakMapData struct{ _ noCopy }

var (
	// Since 43234fa6: the entries live in the collection.
	weakMapM  = maybe[WeakMapData]("weakMapObject", "m")
	weakSetS  = maybe[WeakMapData]("weakSetObject", "s")
	weakDataM = maybe[map[weak.Pointer[goja.Object]]goja.Value]("weakMap", "m")
	weakDataL = maybe[sync.Mutex]("weakMap", "Mutex")
	// Before: the collection is an id, and each key holds its entries.
	weakMapID     = maybe[uint64]("weakMapObject", "m")
	weakSetID     = maybe[uint64]("weakSetObject", "s")
	objectWeakRef = maybe[unsafe.Pointer]("Object", "weakRefs")
)

// weakInKeys is set by checkWeak: entries live in their keys (older goja).
var weakInKeys bool

// weakRefsType is the type of Object.weakRefs in older goja.
var weakRefsType reflect.Type

func checkWeak(types map[string]reflect.Type) error {
	inColl := weakMapM.ok && weakSetS.ok && weakDataM.ok && weakDataL.ok
	inKeys := weakMapID.ok && weakSetID.ok && objectWeakRef.ok
	if inColl == inKeys {
		return fmt.Errorf("weak collections: neither weakMapObject.m (a weakMap struct) nor Object.weakRefs (by id) found")
	}
	weakInKeys = inKeys
	if inKeys {
		f, _ := types["Object"].FieldByName("weakRefs")
		weakRefsType = f.Type
		if weakRefsType.Kind() != reflect.Map || weakRefsType.Key().Kind() != reflect.Uint64 {
			return fmt.Errorf("weak collections: Object.weakRefs has type %s", weakRefsType)
		}
	}
	return nil
}

// WeakEntry is one entry of a WeakMap (Value is the mapped value) or a
// WeakSet (Value is nil).
type WeakEntry struct {
	Key   *goja.Object // the key (WeakMap) or member (WeakSet)
	Value goja.Value   // the mapped value; nil for a WeakSet
}

// WeakEntries returns the entries of o, a WeakMap or WeakSet, whose keys
// satisfy reached, ordered by order(key). goja keeps weak entries either in
// the collection or in their keys (see the table above); in the second case
// only candidates are looked at, so every key for which reached is true
// must be among them.
func WeakEntries(o *goja.Object, candidates []*goja.Object, reached func(*goja.Object) bool, order func(*goja.Object) uint32) []WeakEntry {
	isMap := KindOf(o) == KindWeakMap
	var out []WeakEntry
	if weakInKeys {
		id := weakMapID
		if !isMap {
			id = weakSetID
		}
		key := reflect.ValueOf(*id.in(impl(o))).Convert(weakRefsType.Key())
		for _, c := range candidates {
			refs := objectWeakRef.in(unsafe.Pointer(c))
			if *refs == nil || !reached(c) {
				continue
			}
			v := reflect.NewAt(weakRefsType, unsafe.Pointer(refs)).Elem().MapIndex(key)
			if !v.IsValid() {
				continue
			}
			e := WeakEntry{Key: c}
			if isMap {
				e.Value, _ = v.Interface().(goja.Value)
			}
			out = append(out, e)
		}
	} else {
		f := weakMapM
		if !isMap {
			f = weakSetS
		}
		d := unsafe.Pointer(f.in(impl(o)))
		mu := weakDataL.in(d)
		mu.Lock()
		for k, v := range *weakDataM.in(d) {
			key := k.Value()
			if key == nil || !reached(key) {
				continue
			}
			e := WeakEntry{Key: key}
			if isMap {
				e.Value = v
			}
			out = append(out, e)
		}
		mu.Unlock()
	}
	sort.Slice(out, func(a, b int) bool { return order(out[a].Key) < order(out[b].Key) })
	return out
}
