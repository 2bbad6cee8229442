package image

import (
	"math"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm/heap"
)

// Suspended computations: a generator object holds a frame (program,
// program counter, stack, try frames, scope) that goja resumes on next().

// Generator states, as goja numbers them.
const (
	genSuspendedStart    = 1
	genExecuting         = 2
	genSuspendedYield    = 3
	genSuspendedYieldRes = 4
	genCompleted         = 5
)

// generator returns a generator's record:
// state, then for a suspended one: frame (see frame), returning, and if it
// is inside a loop over an iterator or a yield*: iterstack, delegate (see
// iterators.go).
func (s *saver) generator(o *goja.Object) []uint64 {
	g := heap.GeneratorOf(o)
	rec := []uint64{uint64(*g.State())}
	switch *g.State() {
	case genCompleted:
		return rec
	case genSuspendedStart, genSuspendedYield, genSuspendedYieldRes:
	default:
		s.fail("generator that is running (cannot be saved)")
	}
	rec = s.frame(rec, g.Gen().Ctx())
	ret := codeNone
	if r := g.Gen().Returning(); r != nil {
		ret = s.value(r, lInternal, 0)
	}
	rec = append(rec, ret)
	// Iterators come last, and only when there are any, so that records
	// without them read as they always did.
	if g.Gen().Ctx().IterStack().Len() == 0 && *g.Delegated() == nil {
		return rec
	}
	rec = s.iterStack(rec, g.Gen().Ctx().IterStack())
	if *g.Delegated() == nil {
		return append(rec, 0)
	}
	return s.iterRecord(append(rec, 1), *g.Delegated())
}

// frame appends a suspended frame: program, scope, private environment,
// new.target, result, pc, sb, args, stack values, try frames.
func (s *saver) frame(rec []uint64, c *heap.ExecCtx) []uint64 {
	defer s.suspendedIn(c)
	fi := s.enterFrame(c)
	if c.RefStack().Len() > 0 {
		s.fail("computation suspended inside a with statement or a compound assignment (cannot be saved yet)")
	}
	rec = append(rec, s.program(*c.Prg())...)
	s.codeDepends(*c.Prg())
	rec = append(rec, s.frameScope(*c.Stash(), fi), s.privEnv(*c.PrivEnv()), s.optValue(*c.NewTarget()), s.optValue(*c.Result()),
		zigzag(int64(*c.Pc())), zigzag(int64(*c.Sb())), zigzag(int64(*c.Args())), uint64(len(*c.Stack())))
	for i, v := range *c.Stack() {
		rec = append(rec, s.optValue2(v, fi<<32|uint64(i)))
	}
	tries := c.TryStack()
	rec = append(rec, uint64(tries.Len()))
	for t := 0; t < tries.Len(); t++ {
		tf := tries.At(t)
		if *tf.Exception() != nil {
			s.fail("computation suspended in a finally block with an exception pending (cannot be saved yet)")
		}
		rec = append(rec, uint64(*tf.CallStackLen()), uint64(*tf.IterLen()), uint64(*tf.RefLen()), zigzag(int64(*tf.Sp())),
			s.stashRef(*tf.Stash()), s.privEnv(*tf.PrivEnv()), zigzag(int64(*tf.CatchPos())), zigzag(int64(*tf.FinallyPos())),
			zigzag(int64(*tf.FinallyRet())))
	}
	return rec
}

func (s *saver) optValue(v goja.Value) uint64 {
	if v == nil {
		return codeNone
	}
	return s.value(v, lInternal, 0)
}

func (s *saver) optValue2(v goja.Value, i uint64) uint64 {
	if v == nil {
		return codeNone
	}
	if cls := s.cls.Class(v); cls == heap.ValueUnknown || cls == heap.ValueRecord {
		s.fail("suspended frame holds an internal value of Go type %T (cannot be saved yet)", v)
	}
	return s.value(v, lFrameSlot, i)
}

// fillGenerator gives a placeholder generator the saved one's frame.
func (l *loader) fillGenerator(i int, o *goja.Object, ext []uint64) {
	c := &cursor{l: l, name: "generator", num: i + 1, s: ext}
	g := heap.GeneratorOf(o)
	state := c.next()
	switch state {
	case genCompleted:
		*g.State() = uint8(state)
		g.Gen().Ctx().Reset()
		return
	case genSuspendedStart, genSuspendedYield, genSuspendedYieldRes:
	default:
		l.failf("generator %d: state %d", i, state)
	}
	l.fillFrame(c, g.Gen().Ctx())
	if !g.Gen().SetReturning(l.value(c.next())) {
		l.failf("generator %d: returning through a finally block, which this goja cannot resume", i)
	}
	*g.Delegated() = nil
	if c.i < len(c.s) {
		l.fillIterStack(c, g.Gen().Ctx().IterStack())
		if c.next() == 1 {
			*g.Delegated() = l.iterRecord(c)
		}
	}
	l.checkIterLens(c, g.Gen().Ctx())
	*g.State() = uint8(state)
}

func (l *loader) fillFrame(c *cursor, x *heap.ExecCtx) {
	script, index := c.next(), c.next()
	*x.Prg() = l.program(script, index)
	if *x.Prg() == nil {
		l.failf("%s: frame without a program", c.where())
	}
	*x.Stash() = l.stashRef(c.next())
	*x.PrivEnv() = l.privEnv(c.next())
	*x.NewTarget() = l.value(c.next())
	*x.Result() = l.value(c.next())
	*x.Pc(), *x.Sb(), *x.Args() = int(unzigzag(c.next())), int(unzigzag(c.next())), int(unzigzag(c.next()))
	// goja continues a suspended frame right after the yield or await that
	// suspended it, with the frame's stack (this, the arguments, then
	// temporaries) on top of the caller's; Sb is recomputed on resume.
	if !heap.ResumesAt(*x.Prg(), *x.Pc()) {
		l.failf("%s: a frame cannot continue at %d in a program of %d instructions", c.where(), *x.Pc(), heap.CodeLen(*x.Prg()))
	}
	n := c.count(len(c.s))
	if n < 1 || *x.Args() < 0 || *x.Args() >= n {
		l.failf("%s: a frame of %d arguments on a stack of %d values", c.where(), *x.Args(), n)
	}
	*x.Stack() = make([]goja.Value, n)
	for j := range *x.Stack() {
		(*x.Stack())[j] = l.value(c.next())
	}
	code := heap.CodeLen(*x.Prg())
	i32 := func(what string) int32 {
		v := unzigzag(c.next())
		if v < math.MinInt32 || v > math.MaxInt32 {
			l.failf("%s: a try frame's %s %d is out of range", c.where(), what, v)
		}
		return int32(v)
	}
	pos := func(what string) int32 {
		p := i32(what)
		if p != -1 && p != -2 && (p < 0 || int(p) >= code) {
			l.failf("%s: a try frame's %s %d is outside its program of %d instructions", c.where(), what, p, code)
		}
		return p
	}
	n = c.count(len(c.s))
	tries := x.TryStack()
	tries.Make(n)
	for j := 0; j < n; j++ {
		tf := tries.At(j)
		*tf.CallStackLen(), *tf.IterLen(), *tf.RefLen() = uint32(c.next()), uint32(c.next()), uint32(c.next())
		if *tf.RefLen() != 0 {
			l.failf("%s: a try frame inside a with statement or an assignment (not saved)", c.where())
		}
		*tf.Sp() = i32("stack pointer")
		if *tf.Sp() < 0 || int(*tf.Sp()) > len(*x.Stack()) {
			l.failf("%s: a try frame's stack pointer %d is outside its stack of %d values", c.where(), *tf.Sp(), len(*x.Stack()))
		}
		*tf.Stash() = l.stashRef(c.next())
		*tf.PrivEnv() = l.privEnv(c.next())
		*tf.CatchPos() = pos("catch position")
		*tf.FinallyPos() = pos("finally position")
		*tf.FinallyRet() = pos("finally return")
	}
	x.IterStack().Make(0)
	x.RefStack().Make(0)
	l.frames = append(l.frames, x)
}
