package image

import (
	"unsafe"

	"github.com/stasisvm/stasis/vm/heap"
)

// Tagged template objects: the strings array a template tag receives is
// an array that goja ties to its call site (see heap.TemplateID), so that
// the arrays one site makes compare equal. It is saved as an array plus the
// site (script, program, pc, raw or cooked), and loaded as an array tied to
// the same instruction of the recompiled program: it stays equal to what
// its site makes after the load.

// templateSite names a tagged template call site of the world's scripts.
type templateSite struct {
	script, index, pc int
	raw               bool
}

// template records the call site of the tagged template array being saved.
func (s *saver) template(id unsafe.Pointer) {
	if s.tmplSites == nil {
		s.tmplSites = map[unsafe.Pointer]templateSite{}
		for i, sc := range s.v.Scripts().All() {
			for j, pi := range programsOf(s.v, sc) {
				for _, ts := range heap.TemplateSites(pi.Program) {
					s.tmplSites[ts.Cooked] = templateSite{i, j, ts.Pc, false}
					s.tmplSites[ts.Raw] = templateSite{i, j, ts.Pc, true}
				}
			}
		}
	}
	site, ok := s.tmplSites[id]
	if !ok {
		s.fail("tagged template object made by eval code (its call site cannot be found again; cannot be saved)")
	}
	s.p.Templates = append(s.p.Templates, uint64(s.cur.idx), uint64(site.script)+1, uint64(site.index), uint64(site.pc), b2u(site.raw))
	s.programUsed(progRef{site.script, site.index}, true)
}

// fillTemplates ties the loaded tagged template arrays to their call sites.
func (l *loader) fillTemplates() {
	t := l.p.Templates
	if len(t)%5 != 0 {
		l.failf("tagged templates: %d numbers, not a multiple of 5", len(t))
	}
	for i := 0; i < len(t); i += 5 {
		if t[i] >= uint64(len(l.objs)) || objKind(l.p.Objects.Kinds[t[i]]) != okArray {
			l.failf("tagged template %d: object %d is not an array", i/5, t[i])
		}
		prg := l.program(t[i+1], t[i+2])
		if prg == nil {
			l.failf("tagged template %d: no program", i/5)
		}
		var id unsafe.Pointer
		for _, ts := range heap.TemplateSites(prg) {
			if uint64(ts.Pc) == t[i+3] {
				id = ts.Cooked
				if t[i+4] != 0 {
					id = ts.Raw
				}
			}
		}
		if id == nil {
			l.failf("tagged template %d: no call site at %d", i/5, t[i+3])
		}
		if err := heap.MakeTemplate(l.objs[t[i]], id); err != nil {
			l.failf("tagged template %d: %v", i/5, err)
		}
	}
}
