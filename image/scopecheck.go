package image

import (
	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm/heap"
)

// A function's code reaches its captured variables by (level, index) from
// the running scope, as the compiler laid the scopes out; goja trusts that
// layout and indexes without checks. So a restored scope chain must be
// exactly the one the code was compiled for: level by level, a scope of the
// kind and size that the instruction which makes it makes (heap.Analyse
// tells which scopes are open at each instruction of a program), up to the
// script's top level, whose scope is the global one.
//
// A scope is made by one instruction: a scope that two chains claim was
// made by two different instructions (scopes swapped between closures) is
// refused too, and each scope is checked once.

// madeBy names the instruction that made a scope: a program and a pc.
type madeBy struct {
	prg *goja.Program
	pc  int
}

// progLoc is where a program is in the loader's program trees.
type progLoc struct{ script, index int }

// checkScopes checks the scope chain of every function and suspended
// frame of the world (see above).
func (l *loader) checkScopes() {
	l.made = make(map[*heap.Stash]madeBy, len(l.stashes))
	l.scopeMaps = make([][]*heap.ScopeMap, len(l.progs))
	for i, kb := range l.p.Objects.Kinds {
		if _, ok := funcKind(objKind(kb)); !ok {
			continue
		}
		f := heap.JSFuncOf(l.objs[i])
		p := *f.Prg()
		if p == nil {
			continue
		}
		// fillFunction found the program at the record's script (counted
		// from 1) and index.
		ext := l.extra(i)
		loc := progLoc{int(ext[0]) - 1, int(ext[1])}
		info := &l.progs[loc.script][loc.index]
		if info.Parent < 0 {
			l.failf("function %s: a function of a script's own program", heap.FrameName(p, 0))
		}
		l.checkChain(scopeUser{p: p}, *f.Stash(), progLoc{loc.script, info.Parent}, info.PC)
	}
	for _, x := range l.frames {
		p, pc := *x.Prg(), *x.Pc()
		who := scopeUser{p: p, pc: pc, frame: true}
		loc := l.locate(p)
		l.checkChain(who, *x.Stash(), loc, pc)
		tries := x.TryStack()
		for t := 0; t < tries.Len(); t++ {
			tf := tries.At(t)
			// A try frame restores its scopes when it catches or runs its
			// finally block: those of the try, which its catch and finally
			// positions have open.
			switch {
			case *tf.CatchPos() >= 0:
				l.checkChain(who, *tf.Stash(), loc, int(*tf.CatchPos()))
			case *tf.FinallyPos() >= 0:
				l.checkChain(who, *tf.Stash(), loc, int(*tf.FinallyPos()))
			default:
				// Past both: the scopes are those of an enclosing try.
				found := false
				for st := *x.Stash(); st != nil && !found; st = *st.Outer() {
					found = st == *tf.Stash()
				}
				if !found {
					l.failf("%s: try frame %d has scopes that are not the frame's", who, t)
				}
			}
		}
	}
}

// scopeUser is whose scope chain is checked, for messages: a function of
// program p, or a frame suspended at pc of p. (A value, not a message: a
// load checks thousands of chains and fails on none.)
type scopeUser struct {
	p     *goja.Program
	pc    int
	frame bool
}

func (u scopeUser) String() string {
	if u.frame {
		return "suspended " + heap.FrameName(u.p, u.pc)
	}
	return "function " + heap.FrameName(u.p, 0)
}

// scopeMap returns the analysis of the program at loc (heap.Analyse, kept
// per load too: heap's own memo costs a weak pointer and a look-up, and
// every chain is followed up through the same few programs).
func (l *loader) scopeMap(loc progLoc) *heap.ScopeMap {
	ms := l.scopeMaps[loc.script]
	if ms == nil {
		ms = make([]*heap.ScopeMap, len(l.progs[loc.script]))
		l.scopeMaps[loc.script] = ms
	}
	if ms[loc.index] == nil {
		ms[loc.index] = heap.Analyse(l.progs[loc.script][loc.index].Program)
	}
	return ms[loc.index]
}

// checkChain checks that st is the scope chain that the code of the
// program at loc has at pc: first the scopes its own code has open there,
// then those of the code that made its functions, and so on up to the
// script.
func (l *loader) checkChain(who scopeUser, st *heap.Stash, loc progLoc, pc int) {
	level := 0
	for {
		info := &l.progs[loc.script][loc.index]
		p := info.Program
		m := l.scopeMap(loc)
		if m.Err() != nil {
			// The analysis cannot follow this code (a fault of the
			// analysis, which tests keep from happening): unchecked.
			return
		}
		makers, ok := m.AppendAt(l.makerBuf[:0], pc)
		l.makerBuf = makers
		if !ok {
			l.failf("%s: made or suspended at instruction %d of %s, which its code never reaches", who, pc, heap.FrameName(p, 0))
		}
		for _, mk := range makers {
			if st == nil || st == l.global {
				l.failf("%s: its scope chain ends after %d scopes; its code uses more", who, level)
			}
			key := madeBy{p, mk.PC}
			if prev, seen := l.made[st]; seen {
				if prev == key {
					return // this scope, and so its chain, is checked
				}
				l.failf("%s: scope %d of its chain is also a scope made elsewhere (by %s)", who, level, heap.FrameName(prev.prg, prev.pc))
			}
			l.checkScope(who, level, st, mk)
			l.made[st] = key
			st = *st.Outer()
			level++
		}
		if info.Parent < 0 {
			// The top level of a script: its code reaches further scopes by
			// name only. An eval unit's scopes go on into its caller's.
			if st != l.global && l.p.Scripts[loc.script].Name != evalUnitName {
				l.failf("%s: its scope chain has %d scopes where its code uses %d and then the global scope", who, level+chainLen(st), level)
			}
			return
		}
		loc, pc = progLoc{loc.script, info.Parent}, info.PC
	}
}

// evalUnitName is the name goja gives the source of eval and new Function
// code, which images store as scripts of their own.
const evalUnitName = "<eval>"

func chainLen(st *heap.Stash) int {
	n := 0
	for ; st != nil; st = *st.Outer() {
		n++
	}
	return n
}

// checkScope checks one scope against the instruction that makes it.
func (l *loader) checkScope(who scopeUser, level int, st *heap.Stash, mk *heap.ScopeMaker) {
	n := len(*st.Values())
	switch {
	case mk.With() != (*st.Obj() != nil):
		if mk.With() {
			l.failf("%s: scope %d of its chain is not a with statement's", who, level)
		}
		l.failf("%s: scope %d of its chain is a with statement's; its code makes a %s scope there", who, level, mk.Kind)
	case mk.With():
		return
	case n < mk.Size || n > mk.Size && !mk.Extensible:
		l.failf("%s: scope %d of its chain has %d slots; its code makes it with %d", who, level, n, mk.Size)
	case *st.FuncType() != mk.FuncType:
		l.failf("%s: scope %d of its chain is of function kind %d; its code makes one of kind %d", who, level, *st.FuncType(), mk.FuncType)
	case mk.Named && *st.Names() == nil:
		l.failf("%s: scope %d of its chain has no names; its code makes it with names", who, level)
	case !mk.Named && !mk.Extensible && *st.Names() != nil:
		l.failf("%s: scope %d of its chain has names; its code makes it without", who, level)
	case !mk.Function() && len(*st.ExtraArgs()) > 0:
		l.failf("%s: scope %d of its chain holds arguments; its code makes a block scope there", who, level)
	}
}

// locate returns where p is in the loader's program trees.
func (l *loader) locate(p *goja.Program) progLoc {
	if l.progLocs == nil {
		l.progLocs = map[*goja.Program]progLoc{}
		for s, infos := range l.progs {
			for i, info := range infos {
				l.progLocs[info.Program] = progLoc{s, i}
			}
		}
	}
	loc, ok := l.progLocs[p]
	if !ok {
		l.failf("a program that is not one of the image's scripts")
	}
	return loc
}
