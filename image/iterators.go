package image

import (
	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm/heap"
)

// Iterators. A built-in iterator object (okIterator) is saved with its
// position; a suspended frame's iterator stack (for-of, for-in,
// destructuring) and a generator's yield* delegate are saved after the
// frame. A for-of loop's record holds the iterator object and its next
// method, found as a function object; a for-in loop's opaque Go state is
// run dry into the keys still to visit (heap.ForInKeys), in the saving
// world too, which goes on with an equivalent iterator.
//
//	iterator  = array | map | set | string | regexp
//	array     = 0, object (none once done), next index (zigzag), kind (0 keys, 1 values, 2 entries)
//	map, set  = 1|2, 0 (done) | 1|2, 1, Map or Set object, position, kind
//	            position: live entries already returned (see heap.MapPosition)
//	string    = 3, the code units still to read (a string; none once done)
//	regexp    = 4, matcher, string, global, full unicode, done
//
//	iterstack = n, n * (value, item)      value: the loop's current value or key (none: not set)
//	item      = 0                         nothing
//	          | 1, record                 for-of (or destructuring)
//	          | 2, object, n, n * key     for-in: the enumerated object (none for null/undefined), keys to visit
//	record    = iterator, next            iterator none: a closed record; next: the function object or none
//	delegate  = 0 | 1, record             a generator's yield* delegate

// Iterator stack item kinds.
const (
	iterNone  = 0
	iterForOf = 1
	iterForIn = 2
)

// iterator returns the record of a built-in iterator object; extra is the
// index of that record in the objects' extra column (Map and Set owners are
// filled in at the end of the walk).
func (s *saver) iterator(o *goja.Object, extra int) []uint64 {
	switch k := heap.IterKindOf(o); k {
	case heap.IterArray:
		a := heap.ArrayIterOf(o)
		obj := codeNone
		if *a.Obj() != nil {
			obj = s.value(*a.Obj(), lInternal, 0)
		}
		return []uint64{uint64(k), obj, zigzag(*a.NextIdx()), uint64(*a.Kind())}
	case heap.IterMap, heap.IterSet:
		m := heap.MapIterOf(o)
		if *m.Iter() == nil || *(*m.Iter()).M() == nil {
			// What it gave shows when it prints ([Map Entries] {  }).
			return []uint64{uint64(k), 0, uint64(*m.Kind())}
		}
		s.iterMaps = append(s.iterMaps, pendingIterMap{extra: extra, pos: 2, m: *(*m.Iter()).M(), set: k == heap.IterSet, at: s.cur})
		return []uint64{uint64(k), 1, codeNone, uint64(heap.MapPosition(*m.Iter())), uint64(*m.Kind())}
	case heap.IterString:
		if heap.StringIterDone(o) {
			return []uint64{uint64(k), codeNone}
		}
		rest, err := heap.StringIterRest(o)
		if err != nil {
			s.fail("String iterator: %v", err)
		}
		return []uint64{uint64(k), s.value(goja.StringFromUTF16(rest), lInternal, 0)}
	case heap.IterRegExpString:
		r := heap.RegExpStringIterOf(o)
		str := codeNone
		if *r.S() != nil {
			str = s.value(*r.S(), lInternal, 0)
		}
		return []uint64{uint64(k), s.objOrUndef(*r.Matcher(), lInternal, 0), str, b2u(*r.Global()), b2u(*r.FullUnicode()), b2u(*r.Done())}
	}
	s.fail("iterator of an unknown kind (%s)", heap.GoTypeName(o))
	return nil
}

// pendingIterMap is a Map or Set iterator whose collection is named once
// the walk is done.
type pendingIterMap struct {
	extra, pos int
	m          *heap.OrderedMap
	set        bool
	at         node
}

// noteMapOwner remembers which Map or Set object holds an ordered map.
func (s *saver) noteMapOwner(o *goja.Object, m *heap.OrderedMap) {
	if s.mapOwners == nil {
		s.mapOwners = map[*heap.OrderedMap]*goja.Object{}
	}
	if prev, ok := s.mapOwners[m]; !ok || s.orphanMaps[prev] {
		s.mapOwners[m] = o
	}
}

// resolveIterMaps runs when the walk has nothing else to do. An iterator
// whose Map or Set the walk did not meet is the only holder of it (for
// (x of new Set(list))): the saving world is given a Map or Set object over
// the same entries, which the image stores like any other.
func (s *saver) resolveIterMaps() bool {
	before := len(s.list)
	for _, p := range s.iterMaps {
		if _, ok := s.mapOwners[p.m]; ok {
			continue
		}
		name := "globalThis.Map"
		if p.set {
			name = "globalThis.Set"
		}
		o, err := s.rt.New(s.b.object(name))
		if err != nil {
			s.fail("cannot make a %s for an iterator: %v", name, err)
		}
		*heap.MapOf(o).M() = p.m
		if s.orphanMaps == nil {
			s.orphanMaps = map[*goja.Object]bool{}
		}
		s.orphanMaps[o] = true
		s.noteMapOwner(o, p.m)
		s.cur = p.at
		s.ref(o, lInternal, 0)
	}
	return len(s.list) > before
}

// patchIterMaps writes the Map and Set objects into their iterators' records.
func (s *saver) patchIterMaps() {
	for _, p := range s.iterMaps {
		o := s.mapOwners[p.m]
		i, ok := s.objs.get(o)
		if o == nil || !ok {
			s.cur = p.at
			s.fail("iterator over a Map or Set that was not saved")
		}
		s.p.Objects.Extra[p.extra][p.pos] = code(tagObject, uint64(i))
	}
}

// iterStack appends a suspended frame's iterator stack.
func (s *saver) iterStack(rec []uint64, items heap.Slice[heap.IterStackItem]) []uint64 {
	rec = append(rec, uint64(items.Len()))
	for i := 0; i < items.Len(); i++ {
		it := items.At(i)
		rec = append(rec, s.optValue(*it.Val()))
		switch {
		case *it.Iter() != nil:
			rec = append(rec, iterForOf)
			rec = s.iterRecord(rec, *it.Iter())
		case *it.F() != nil:
			o, keys, err := heap.ForInKeys(it, forInHas(s.b))
			if err != nil {
				s.fail("computation suspended inside for-in: %v", err)
			}
			obj := codeNone
			if o != nil {
				obj = s.value(o, lInternal, 0)
			}
			rec = append(rec, iterForIn, obj, uint64(len(keys)))
			for j, k := range keys {
				rec = append(rec, s.value(k, lInternal, uint64(j)))
			}
		default:
			rec = append(rec, iterNone)
		}
	}
	return rec
}

// iterRecord appends an iterator record: the iterator and its next method.
func (s *saver) iterRecord(rec []uint64, r *heap.IteratorRecord) []uint64 {
	if *r.Iterator() == nil {
		return append(rec, codeNone, codeNone)
	}
	return append(rec, s.value(*r.Iterator(), lInternal, 0), s.nextMethod(r))
}

// nextMethod finds the function object whose call a record caches as next:
// a JavaScript function is named by its callable itself; a native one is
// looked for on the iterator's prototype chain, then among the built-ins.
func (s *saver) nextMethod(r *heap.IteratorRecord) uint64 {
	if *r.Next() == nil {
		return codeNone
	}
	if o := heap.CallableOwner(*r.Next()); o != nil {
		return s.value(o, lInternal, 0)
	}
	p := *r.Iterator()
	for depth := 0; p != nil && depth < 1000; depth++ {
		switch s.kinds.Kind(p) {
		case heap.KindProxy, heap.KindHost, heap.KindOther, heap.KindTemplated:
			p = nil
			continue
		}
		b := heap.BaseOf(p)
		if v := (*b.Values())["next"]; v != nil {
			if pr := heap.AsProperty(v); pr != nil {
				v = *pr.Value()
			}
			if fo, ok := v.(*goja.Object); ok && heap.IsCallable(fo, *r.Next()) {
				return s.value(fo, lInternal, 0)
			}
		}
		p = *b.Prototype()
	}
	for _, o := range s.b.objects {
		if heap.IsCallable(o, *r.Next()) {
			return s.value(o, lInternal, 0)
		}
	}
	s.fail("loop over an iterator whose next method is a Go function that is not a built-in (cannot be saved)")
	return 0
}

// forInHas tells whether a key a for-in loop is yet to visit is still
// there, as goja checks before it visits one: Reflect.has, as the world's
// pristine built-in. A Proxy is not asked (its has trap would run where a
// loop that was never saved runs none): its keys were read at the save.
func forInHas(b *baseline) func(o *goja.Object, key goja.Value) bool {
	has, ok := goja.AssertFunction(b.object("globalThis.Reflect.has"))
	if !ok {
		return nil
	}
	rt := b.rt
	return func(o *goja.Object, key goja.Value) bool {
		if heap.KindOf(o) == heap.KindProxy {
			return true
		}
		v, err := has(goja.Undefined(), o, key)
		if err != nil {
			rethrow(rt, err)
		}
		return v.ToBoolean()
	}
}

// Loading.

// newIterator makes a built-in iterator object of the saved kind; its
// position is set by fillIterators once every collection is filled.
func (l *loader) newIterator(i int, ext []uint64) (*goja.Object, error) {
	if len(ext) < 2 || ext[0] >= uint64(heap.NumIterKinds) {
		l.failf("object %d: iterator record is malformed", i)
	}
	var str goja.Value = goja.Undefined()
	if heap.IterKind(ext[0]) == heap.IterString && ext[1] != codeNone {
		if str = l.value(ext[1]); !isString(str) {
			l.failf("object %d: String iterator over something that is not a string", i)
		}
	}
	return l.ff.NewIterator(heap.IterKind(ext[0]), str)
}

func isString(v goja.Value) bool {
	_, ok := v.(goja.String)
	return ok
}

// fillIterators gives built-in iterator objects their saved position.
func (l *loader) fillIterators() {
	for i, kb := range l.p.Objects.Kinds {
		if objKind(kb) != okIterator {
			continue
		}
		o, ext := l.objs[i], l.extra(i)
		c := &cursor{l: l, name: "iterator", num: i + 1, s: ext}
		switch k := heap.IterKind(c.next()); k {
		case heap.IterArray:
			a := heap.ArrayIterOf(o)
			*a.Obj() = l.object(c.next())
			*a.NextIdx() = unzigzag(c.next())
			*a.Kind() = int(c.next())
			if *a.Kind() > 2 || *a.NextIdx() < 0 {
				l.failf("iterator %d: kind %d, index %d", i, *a.Kind(), *a.NextIdx())
			}
		case heap.IterMap, heap.IterSet:
			m := heap.MapIterOf(o)
			if c.next() == 0 {
				*m.Iter() = nil
				if c.i < len(c.s) { // written since format 2.1; before, keys
					if *m.Kind() = int(c.next()); *m.Kind() > 2 {
						l.failf("iterator %d: kind %d", i, *m.Kind())
					}
				}
				continue
			}
			coll := l.object(c.next())
			want := heap.KindMap
			if k == heap.IterSet {
				want = heap.KindSet
			}
			if coll == nil || heap.KindOf(coll) != want {
				l.failf("iterator %d: over something that is not a %s", i, want)
			}
			it, ok := heap.NewMapIter(*heap.MapOf(coll).M(), c.count(1<<31))
			if !ok {
				l.failf("iterator %d: position past the end of its %s", i, want)
			}
			*m.Iter() = it
			*m.Kind() = int(c.next())
			if *m.Kind() > 2 {
				l.failf("iterator %d: kind %d", i, *m.Kind())
			}
		case heap.IterString:
			if c.next() == codeNone {
				heap.SetStringIterDone(o)
			}
		case heap.IterRegExpString:
			r := heap.RegExpStringIterOf(o)
			*r.Matcher() = l.object(c.next())
			if *r.Matcher() == nil {
				l.failf("iterator %d: no matcher", i)
			}
			sv := l.value(c.next())
			str, ok := sv.(goja.String)
			if !ok {
				l.failf("iterator %d: matched string is not a string", i)
			}
			*r.S() = str
			*r.Global(), *r.FullUnicode(), *r.Done() = c.next() != 0, c.next() != 0, c.next() != 0
		}
	}
}

// fillIterStack rebuilds a suspended frame's iterator stack into items.
func (l *loader) fillIterStack(c *cursor, items heap.Slice[heap.IterStackItem]) {
	n := c.count(len(c.s))
	items.Make(n)
	for i := 0; i < n; i++ {
		it := items.At(i)
		*it.Val() = l.value(c.next())
		switch c.next() {
		case iterNone:
		case iterForOf:
			*it.Iter() = l.iterRecord(c)
		case iterForIn:
			o := l.object(c.next())
			keys := make([]goja.Value, c.count(len(c.s)))
			for j := range keys {
				keys[j] = l.value(c.next())
				if keys[j] == nil {
					l.failf("%s: for-in key missing", c.where())
				}
			}
			*it.F() = heap.NewForIn(o, keys, forInHas(l.b), nil)
		default:
			l.failf("%s: unknown iterator stack item", c.where())
		}
	}
}

// checkIterLens refuses a frame whose try frames count more loops than its
// iterator stack holds (goja would slice the stack past its end on a throw).
func (l *loader) checkIterLens(c *cursor, x *heap.ExecCtx) {
	tries, iters := x.TryStack(), x.IterStack().Len()
	for i := 0; i < tries.Len(); i++ {
		if tf := tries.At(i); int(*tf.IterLen()) > iters {
			l.failf("%s: a try frame inside %d loops over iterators, of %d saved", c.where(), *tf.IterLen(), iters)
		}
	}
}

// iterRecord rebuilds an iterator record.
func (l *loader) iterRecord(c *cursor) *heap.IteratorRecord {
	iter, next := l.object(c.next()), l.object(c.next())
	if iter == nil {
		return heap.NewIteratorRecord(nil, nil)
	}
	var f func(goja.FunctionCall) goja.Value
	if next != nil {
		var ok bool
		if f, ok = heap.Callable(next); !ok {
			l.failf("%s: an iterator's next is not a function", c.where())
		}
	}
	return heap.NewIteratorRecord(iter, f)
}

// Inspecting: the references an iterator record and an iterator stack hold.

func (in *inspector) iterator(c *col, val func(uint64, iLabel)) {
	l := iLabel{kind: lInternal}
	switch heap.IterKind(c.next()) {
	case heap.IterArray, heap.IterString:
		val(c.next(), l)
	case heap.IterMap, heap.IterSet:
		if c.next() != 0 {
			val(c.next(), l)
		}
	case heap.IterRegExpString:
		val(c.next(), l)
		val(c.next(), l)
	}
}

func (in *inspector) iterStack(c *col, val func(uint64, iLabel)) {
	l := iLabel{kind: lFrame}
	for i, n := 0, c.count(); i < n; i++ {
		val(c.next(), l)
		switch c.next() {
		case iterForOf:
			val(c.next(), l)
			val(c.next(), l)
		case iterForIn:
			val(c.next(), l)
			for k, nk := 0, c.count(); k < nk; k++ {
				val(c.next(), l)
			}
		}
	}
}
