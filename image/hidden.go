package image

import (
	"cmp"
	"slices"
	"weak"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm/heap"
)

// Saving hidden state: class brands and private members, bound functions,
// proxies, weak collections, promises, and functions made by eval or new Function.

// hiddenSaver holds the saver's tables for hidden state.
type hiddenSaver struct {
	brands       map[*heap.PrivateEnvType]uint64
	privEnvs     map[*heap.PrivateEnv]uint64
	methodArrays map[*goja.Value]uint64
	weaks        []*goja.Object
	weakDone     []map[uint32]bool
	evalScripts  map[string]int
}

func (s *saver) brand(t *heap.PrivateEnvType) uint64 {
	if t == nil {
		return 0
	}
	if s.h.brands == nil {
		s.h.brands = map[*heap.PrivateEnvType]uint64{}
	}
	if i, ok := s.h.brands[t]; ok {
		return i + 1
	}
	i := uint64(len(s.p.Brands))
	s.h.brands[t] = i
	s.p.Brands = append(s.p.Brands, [2]uint64{uint64(*t.NumFields()), uint64(*t.NumMethods())})
	return i + 1
}

func (s *saver) privEnv(e *heap.PrivateEnv) uint64 {
	if e == nil {
		return 0
	}
	if s.h.privEnvs == nil {
		s.h.privEnvs = map[*heap.PrivateEnv]uint64{}
	}
	if i, ok := s.h.privEnvs[e]; ok {
		return i + 1
	}
	if *e.Names() != nil {
		s.fail("class body that uses direct eval with private names (cannot be restored)")
	}
	i := uint64(len(s.p.PrivEnvs))
	s.h.privEnvs[e] = i
	s.p.PrivEnvs = append(s.p.PrivEnvs, [3]uint64{})
	rec := [3]uint64{s.brand(*e.InstanceType()), s.brand(*e.StaticType()), s.privEnv(*e.Outer())}
	s.p.PrivEnvs[i] = rec
	return i + 1
}

// methodArray records a private method table, shared by identity of its backing array.
func (s *saver) methodArray(m []goja.Value) uint64 {
	if len(m) == 0 {
		return 0
	}
	if s.h.methodArrays == nil {
		s.h.methodArrays = map[*goja.Value]uint64{}
	}
	if i, ok := s.h.methodArrays[&m[0]]; ok {
		return i + 1
	}
	i := uint64(len(s.p.MethodArrays))
	s.h.methodArrays[&m[0]] = i
	s.p.MethodArrays = append(s.p.MethodArrays, nil)
	var rec []uint64
	for j, v := range m {
		rec = s.elemInto(rec, v, uint64(j))
	}
	s.p.MethodArrays[i] = rec
	return i + 1
}

// privateElements writes o's private elements, if any; it reports whether it wrote some.
func (s *saver) privateElements(o *goja.Object) bool {
	if *heap.BaseOf(o).PrivateElements() == nil {
		return false
	}
	pe := heap.PrivateElementsOf(o)
	if len(pe) == 0 {
		return false
	}
	type entry struct {
		brand uint64
		el    *heap.PrivateElements
	}
	var buf [4]entry // most objects have the elements of one class or a few
	entries := buf[:0]
	for t, el := range pe {
		entries = append(entries, entry{s.brand(t), el})
	}
	slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.brand, b.brand) })
	ob := &s.p.Objects
	ob.Private = append(ob.Private, uint64(len(entries)))
	for _, e := range entries {
		ob.Private = append(ob.Private, e.brand-1, s.methodArray(*e.el.Methods()), uint64(len(*e.el.Fields())))
		for j, f := range *e.el.Fields() {
			ob.Private = append(ob.Private, s.value(f, lInternal, uint64(j)))
		}
	}
	return true
}

// bound returns the record of a bound function.
func (s *saver) bound(o *goja.Object) []uint64 {
	t := boundTableOf(s.v)
	var info *boundInfo
	if t != nil {
		info = t.get(o)
	}
	if info == nil {
		s.fail("bound function not made by Function.prototype.bind (cannot be restored)")
	}
	rec := []uint64{s.value(info.target, lInternal, 0), s.value(info.this, lInternal, 1), uint64(len(info.args))}
	for i, a := range info.args {
		rec = append(rec, s.value(a, lInternal, uint64(i+2)))
	}
	return rec
}

func (s *saver) proxy(o *goja.Object) []uint64 {
	p := heap.ProxyOf(o)
	revoked := p.Revoked()
	callable := *p.Call() != nil
	if revoked {
		return []uint64{codeUndefined, codeUndefined, 1, b2u(callable)}
	}
	px, _ := o.Export().(goja.Proxy)
	return []uint64{s.value(px.Target(), lInternal, 0), s.value(px.Handler(), lInternal, 1), 0, b2u(callable)}
}

// weak registers a weak collection; its entries are written by weakEntries.
func (s *saver) weak(o *goja.Object) []uint64 {
	i := uint64(len(s.h.weaks))
	s.h.weaks = append(s.h.weaks, o)
	s.h.weakDone = append(s.h.weakDone, map[uint32]bool{})
	s.p.Weak = append(s.p.Weak, nil)
	return []uint64{i}
}

// weakEntries writes the entries of weak collections whose keys the walk
// reached, until no more are found (an entry's value may reach other keys).
// It reports whether it wrote any.
func (s *saver) weakEntries() bool {
	wrote := false
	reached := func(key *goja.Object) bool { _, ok := s.objs.get(key); return ok }
	order := func(key *goja.Object) uint32 { idx, _ := s.objs.get(key); return idx }
	for i, o := range s.h.weaks {
		isMap := heap.KindOf(o) == heap.KindWeakMap
		var found []heap.WeakEntry
		for _, e := range heap.WeakEntries(o, s.list, reached, order) {
			if !s.h.weakDone[i][order(e.Key)] {
				found = append(found, e)
			}
		}
		for _, e := range found {
			eidx := order(e.Key)
			s.h.weakDone[i][eidx] = true
			idx, _ := s.objs.get(o)
			s.cur = node{idx: idx}
			s.p.Weak[i] = append(s.p.Weak[i], code(tagObject, uint64(eidx)))
			if isMap {
				s.p.Weak[i] = append(s.p.Weak[i], s.value(e.Value, lMapValue, uint64(eidx)))
			}
			wrote = true
		}
	}
	return wrote
}

var _ = weak.Make[int]

// evalProgram finds a program that no registered script holds (a function
// made by eval or new Function): its unit's source is compiled again and the
// program matched by name, position and text. The unit becomes a script of
// the image.
func (s *saver) evalProgram(p *goja.Program, ownSrc string) (progRef, bool) {
	name, src := heap.ProgramSource(p)
	if src == "" {
		return progRef{}, false
	}
	if s.h.evalScripts == nil {
		s.h.evalScripts = map[string]int{}
	}
	si, ok := s.h.evalScripts[src]
	var infos []heap.ProgramInfo
	if !ok {
		compiled, err := goja.Compile(name, src, false)
		if err != nil {
			return progRef{}, false
		}
		si = len(s.p.Scripts)
		s.h.evalScripts[src] = si
		s.p.Scripts = append(s.p.Scripts, scriptRecord{Name: name, Source: src})
		s.evalTrees = append(s.evalTrees, heap.Programs(compiled))
		s.evalTreeScript = append(s.evalTreeScript, si)
	}
	for t, sc := range s.evalTreeScript {
		if sc == si {
			infos = s.evalTrees[t]
		}
	}
	want, pos := heap.ProgramName(p), heap.ProgramPosition(p)
	for j, pi := range infos {
		if heap.ProgramName(pi.Program) == want && heap.ProgramPosition(pi.Program) == pos && (ownSrc == "" || pi.Source == ownSrc) {
			ref := progRef{si, j}
			s.progs[p] = ref
			s.progSrc[p] = pi.Source
			return ref, true
		}
	}
	return progRef{}, false
}

// pendingMapped is an arguments element that aliases a parameter's slot.
type pendingMapped struct {
	obj   uint32
	key   uint64
	slot  *goja.Value
	attrs byte
}

// resolveMapped finds the stash slot each mapped arguments element aliases.
// A slot in no saved stash (the function's scope is reachable only through
// its arguments object) gets a stash of its own. It reports whether it
// queued anything new to walk.
func (s *saver) resolveMapped() bool {
	if len(s.mapped) == 0 {
		return false
	}
	slots := map[*goja.Value][2]uint64{}
	for st, i := range s.stashes {
		for j := range *st.Values() {
			slots[&(*st.Values())[j]] = [2]uint64{uint64(i) + 2, uint64(j)}
		}
	}
	before := len(s.list)
	for _, m := range s.mapped {
		at, ok := slots[m.slot]
		if !ok {
			s.cur = node{idx: m.obj}
			rec := []uint64{0, 0, codeNone, 1, s.value(*m.slot, lInternal, 0), 0, 0}
			at = [2]uint64{uint64(s.nStashes) + 2, 0}
			s.nStashes++
			s.p.Stashes = append(s.p.Stashes, rec)
			slots[m.slot] = at
		}
		s.p.Mapped = append(s.p.Mapped, uint64(m.obj), m.key, at[0], at[1], uint64(m.attrs))
	}
	s.mapped = nil
	return len(s.list) > before
}
