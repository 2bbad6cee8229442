package image

import (
	"fmt"
	"sort"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/vm/heap"
)

// Images across goja versions. A loader compiles the image's scripts again
// with its own goja, so an image made with another goja can be loaded
// wherever the state it holds means the same to the code compiled now.
// State that depends on compiled code: a suspended frame (its program
// counter, its stack of temporaries, its try frames), a closure's scopes
// (the compiler decided which variable lives in which slot) and a private
// environment (which private name has which index), a tagged template's
// call site (a program counter); and every function names its program by
// its index in its script's tree. The saver records, in the metadata's
// code record (format.ScriptCode), the shape of each script's tree that
// the world names a program of, and a hash of the code of each program
// whose state depends on it (heap.CodeHasher: the hash covers the programs
// nested in it, which run against the same scopes). A loader with the
// image's own goja skips all of it; one with another goja compares, and
// refuses the image naming the first function that compiles differently.

// codeUse records, during a save, what the world's state needs of the code.
type codeUse struct {
	scripts map[int]bool     // scripts the world names a program of
	depends map[progRef]bool // programs whose saved state depends on their code
}

// programUsed notes that the world names program ref; depends says that
// the state saved with it depends on its compiled code.
func (s *saver) programUsed(ref progRef, depends bool) {
	if s.code.scripts == nil {
		s.code.scripts, s.code.depends = map[int]bool{}, map[progRef]bool{}
	}
	s.code.scripts[ref.script] = true
	if depends {
		s.code.depends[ref] = true
	}
}

// codeDepends notes that the state saved with p (a program the world
// names, already given a reference by s.program) depends on its code.
func (s *saver) codeDepends(p *goja.Program) {
	if ref, ok := s.progs[p]; ok && p != nil {
		s.programUsed(ref, true)
	}
}

// scriptPrograms returns the program tree of script i of the image being
// saved: a script of the world's registry or one the saver added for eval
// code.
func (s *saver) scriptPrograms(i int) []heap.ProgramInfo {
	if all := s.v.Scripts().All(); i < len(all) {
		return programsOf(s.v, all[i])
	}
	for t, sc := range s.evalTreeScript {
		if sc == i {
			return s.evalTrees[t]
		}
	}
	return nil
}

// codeRecord returns the code record of the image being saved.
func (s *saver) codeRecord() []byte {
	scripts := make([]int, 0, len(s.code.scripts))
	for i := range s.code.scripts {
		scripts = append(scripts, i)
	}
	sort.Ints(scripts)
	byScript := map[int][]int{}
	for ref := range s.code.depends {
		byScript[ref.script] = append(byScript[ref.script], ref.index)
	}
	h := heap.NewCodeHasher()
	entries := make([]format.ScriptCode, 0, len(scripts))
	for _, i := range scripts {
		infos := s.scriptPrograms(i)
		e := format.ScriptCode{Script: uint64(i), Shape: heap.Shape(infos), Programs: []format.ProgramCode{}}
		idx := byScript[i]
		sort.Ints(idx)
		for _, j := range idx {
			e.Programs = append(e.Programs, format.ProgramCode{Index: uint64(j), Hash: h.Code(infos[j].Program)})
		}
		entries = append(entries, e)
	}
	return format.EncodeCode(entries)
}

// checkCode compares the code record of the image being loaded with this
// goja's compilation of its scripts. It costs nothing when the image was
// made with this goja version.
func (l *loader) checkCode() error {
	m := l.meta
	if m == nil || m.Code == nil || sameGoja(m.GojaVersion) {
		return nil
	}
	entries, err := format.DecodeCode(m.Code)
	if err != nil {
		return err
	}
	h := heap.NewCodeHasher()
	for _, e := range entries {
		if e.Script >= uint64(len(l.progs)) {
			return format.Corruptf("code record: script %d of %d", e.Script, len(l.progs))
		}
		infos := l.progs[e.Script]
		if heap.Shape(infos) != e.Shape {
			return fmt.Errorf("%w: script %s compiles to other functions with this goja (%s); the image was made with %s",
				ErrIncompatible, l.p.Scripts[e.Script].Name, heap.GojaVersion(), m.GojaVersion)
		}
		for _, pc := range e.Programs {
			if pc.Index >= uint64(len(infos)) {
				return format.Corruptf("code record: script %d: program %d of %d", e.Script, pc.Index, len(infos))
			}
			if p := infos[pc.Index].Program; h.Code(p) != pc.Hash {
				return fmt.Errorf("%w: %s compiles differently with this goja (%s); the image was made with %s",
					ErrIncompatible, heap.Describe(infos[pc.Index]), heap.GojaVersion(), m.GojaVersion)
			}
		}
	}
	return nil
}

// sameGoja tells whether an image made with goja version v was made with
// the goja of this build (and so compiles the same code).
func sameGoja(v string) bool {
	return v == heap.GojaVersion() && v != "unknown" && v != ""
}
