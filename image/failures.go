package image

import (
	"fmt"
	"strings"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm/heap"
)

// A save that meets something it cannot save does not stop at the first
// thing: the walk records the reason, skips the rest of that object or
// scope, and goes on, so that one failed save names up to maxReasons
// distinct reasons, each with the path of the first object that has it.
// The image is not written.

// maxReasons is how many distinct reasons one failed save reports.
const maxReasons = 4

// guarded runs f, recording a failure it raises.
func (s *saver) guarded(f func()) {
	defer s.recoverFailure()
	f()
}

func (s *saver) guardedObject(o *goja.Object) {
	defer s.recoverFailure()
	s.object(o)
}

func (s *saver) guardedStash(st *heap.Stash) {
	defer s.recoverFailure()
	s.stash(st)
}

// more reports whether the walk has more to do (see walk).
func (s *saver) more() (more bool) {
	defer s.recoverFailure()
	return s.head < len(s.list) || len(s.squeue) > 0 || s.weakEntries() || s.resolveMapped() || s.resolveIterMaps()
}

// recoverFailure records a failure raised by fail. Any other panic is a
// bug, re-raised, unless a failure was recorded first: then the walk went
// on from a half-written object, and it stops with what it has.
func (s *saver) recoverFailure() {
	r := recover()
	if r == nil {
		return
	}
	u, ok := r.(*unsupported)
	if !ok {
		if len(s.failures) == 0 {
			panic(r)
		}
		s.stopped = true
		return
	}
	for _, f := range s.failures {
		if f.reason == u.reason {
			return
		}
	}
	s.failures = append(s.failures, u)
	if len(s.failures) >= maxReasons {
		s.stopped = true
	}
}

// failure is the error of a walk: nil, the first failure (without paths,
// for a walk that does not track them), or every reason with its path.
func (s *saver) failure() error {
	switch {
	case len(s.failures) == 0:
		return nil
	case !s.track:
		return s.failures[0]
	}
	parts := make([]string, len(s.failures))
	for i, u := range s.failures {
		parts[i] = s.path(u.at) + ": " + u.reason
	}
	if len(parts) == 1 {
		return fmt.Errorf("%s", parts[0])
	}
	more := ""
	if len(parts) == maxReasons {
		more = " (at least)"
	}
	return fmt.Errorf("%d things cannot be saved%s: %s", len(parts), more, strings.Join(parts, "; "))
}

// Suspended frames in paths and reasons: a path through a generator's or
// an async function's frame names the function and where it is suspended,
// as a stack trace would ("runJobs (jobs.js:9)").

// enterFrame numbers a suspended frame met by a tracking walk.
func (s *saver) enterFrame(c *heap.ExecCtx) uint64 {
	if !s.track {
		return 0
	}
	s.frameNames = append(s.frameNames, heap.FrameName(*c.Prg(), *c.Pc()))
	s.frames = append(s.frames, frameRef{*c.Prg(), *c.Stash()})
	return uint64(len(s.frameNames) - 1)
}

// frameRef is a suspended frame's program and the scope it runs in.
type frameRef struct {
	prg   *goja.Program
	stash *heap.Stash
}

func (s *saver) frameName(i uint64) string {
	if i < uint64(len(s.frameNames)) {
		return s.frameNames[i]
	}
	return "frame"
}

// frameScope codes the scope a suspended frame runs in, naming the frame
// in the path of what the walk first reaches through it.
func (s *saver) frameScope(st *heap.Stash, frame uint64) uint64 {
	before := s.nStashes
	c := s.stashRef(st)
	if s.track && s.nStashes > before {
		s.sEdge[len(s.sEdge)-1] = edge{from: s.cur, label: lFrameScope, n: frame}
	}
	return c
}

// suspendedIn adds the suspended function and its position to a reason
// raised while saving its frame (deferred by frame).
func (s *saver) suspendedIn(c *heap.ExecCtx) {
	r := recover()
	if r == nil {
		return
	}
	if u, ok := r.(*unsupported); ok && *c.Prg() != nil {
		u.reason += " in " + heap.FrameName(*c.Prg(), *c.Pc())
	}
	panic(r)
}
