package image

import (
	"runtime"
	"sync"
	"weak"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// Promises in flight. goja keeps a pending promise's reactions in Go: an
// async function suspended at await is a reaction holding its frame (read
// through heap's mirrors), and a then/catch handler is a reaction holding a
// Go callback that no reflection can turn back into the JS function. A
// world made by NewWorld therefore replaces Promise.prototype.then, before
// its built-ins are recorded, with a native function that calls the
// original and remembers the JS handlers of the reaction it added.
// A promise's resolve and reject functions are recognised by heap.Resolver.

type thenInfo struct{ onFulfilled, onRejected goja.Value }

type thenKey struct{}

type thenTable struct {
	mu sync.Mutex
	m  map[weak.Pointer[heap.PromiseReaction]]thenInfo
}

func (t *thenTable) add(r *heap.PromiseReaction, info thenInfo) {
	key := weak.Make(r)
	t.mu.Lock()
	t.m[key] = info
	t.mu.Unlock()
	// As for bound functions (boundTable.add): the cleanup holds the table
	// weakly, since the table's handlers hold the runtime, which holds r.
	runtime.AddCleanup(r, thenEntry.drop, thenEntry{weak.Make(t), key})
}

// thenEntry names one entry of a table, weakly on both sides.
type thenEntry struct {
	table weak.Pointer[thenTable]
	key   weak.Pointer[heap.PromiseReaction]
}

func (e thenEntry) drop() {
	if t := e.table.Value(); t != nil {
		t.mu.Lock()
		delete(t.m, e.key)
		t.mu.Unlock()
	}
}

func (t *thenTable) get(r *heap.PromiseReaction) (thenInfo, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	info, ok := t.m[weak.Make(r)]
	return info, ok
}

func thenTableOf(v *vm.VM) *thenTable {
	t, _ := v.Attachment(thenKey{}).(*thenTable)
	return t
}

// hookThen installs the recording Promise.prototype.then.
func hookThen(v *vm.VM) error {
	rt := v.Runtime()
	proto := rt.Get("Promise").ToObject(rt).Get("prototype").ToObject(rt)
	orig, ok := goja.AssertFunction(proto.Get("then"))
	if !ok {
		return nil
	}
	t := &thenTable{m: map[weak.Pointer[heap.PromiseReaction]]thenInfo{}}
	v.SetAttachment(thenKey{}, t)
	hook := v.NewFunction("then", 2, func(call goja.FunctionCall) goja.Value {
		var p *heap.PromiseObject
		before := 0
		if o, ok := call.This.(*goja.Object); ok && heap.KindOf(o) == heap.KindPromise {
			p = heap.PromiseOf(o)
			before = len(*p.FulfillReactions())
		}
		res, err := orig(call.This, call.Arguments...)
		if err != nil {
			rethrow(rt, err)
		}
		if p != nil && len(*p.FulfillReactions()) == before+1 {
			t.add((*p.FulfillReactions())[before], thenInfo{call.Argument(0), call.Argument(1)})
		}
		return res
	})
	return proto.DefineDataProperty("then", hook, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

func rethrow(rt *goja.Runtime, err error) {
	if ex, ok := err.(*goja.Exception); ok {
		panic(ex)
	}
	panic(rt.NewGoError(err))
}

// Reaction record kinds in a promise's record.
const (
	reactionAsync = 1 // async function object, result promise, frame, returning
	reactionThen  = 2 // onFulfilled, onRejected, derived promise (or none)
	// reactionAsyncIter is reactionAsync inside loops over iterators:
	// the frame's iterator stack follows (see iterators.go).
	reactionAsyncIter = 3
)

// promise returns a promise's record: state, result, handled, then its
// pending reactions.
func (s *saver) promise(o *goja.Object) []uint64 {
	p := heap.PromiseOf(o)
	res := codeNone
	if *p.Result() != nil {
		res = s.value(*p.Result(), lInternal, 0)
	}
	rec := []uint64{uint64(*p.State()), res, b2u(*p.Handled()), uint64(len(*p.FulfillReactions()))}
	if len(*p.FulfillReactions()) != len(*p.RejectReactions()) {
		s.fail("promise with unpaired reactions (cannot be saved)")
	}
	t := thenTableOf(s.v)
	for i, fr := range *p.FulfillReactions() {
		switch {
		case *fr.AsyncRunner() != nil:
			ar := *fr.AsyncRunner()
			if *ar.PromiseCap() == nil || *(*ar.PromiseCap()).Promise() == nil {
				s.fail("async function without a result promise (cannot be saved)")
			}
			kind := uint64(reactionAsync)
			if ar.Gen().Ctx().IterStack().Len() > 0 {
				kind = reactionAsyncIter
			}
			rec = append(rec, kind, s.value(*ar.F(), lInternal, uint64(i)), s.value(*(*ar.PromiseCap()).Promise(), lInternal, uint64(i)))
			rec = s.frame(rec, ar.Gen().Ctx())
			rec = append(rec, s.optValue(ar.Gen().Returning()))
			if kind == reactionAsyncIter {
				rec = s.iterStack(rec, ar.Gen().Ctx().IterStack())
			}
		default:
			var info thenInfo
			ok := t != nil
			if ok {
				info, ok = t.get(fr)
			}
			if !ok {
				s.fail("promise with a reaction added from Go (goja keeps its handler in a Go closure; cannot be saved)")
			}
			for _, h := range []goja.Value{info.onFulfilled, info.onRejected} {
				if ho, ok := h.(*goja.Object); ok && s.kinds.Kind(ho) == heap.KindNative {
					if !s.b.isIntrinsic(ho) {
						_, _, _, resolver := heap.Resolver(ho)
						if _, revoke := heap.RevokedProxy(ho); !resolver && !revoke {
							s.fail("promise handler is a native function that is not a built-in (cannot be saved)")
						}
					}
				}
			}
			derived := codeNone
			if *fr.Capability() != nil && *(*fr.Capability()).Promise() != nil {
				if heap.KindOf(*(*fr.Capability()).Promise()) != heap.KindPromise {
					s.fail("then() on a promise subclass (cannot be saved yet)")
				}
				derived = s.value(*(*fr.Capability()).Promise(), lInternal, uint64(i))
			}
			rec = append(rec, reactionThen, s.value(info.onFulfilled, lInternal, uint64(i)), s.value(info.onRejected, lInternal, uint64(i)), derived)
		}
	}
	return rec
}

// resolver returns the record of a promise's resolve or reject function.
func (s *saver) resolver(o *goja.Object) ([]uint64, bool) {
	p, reject, used, ok := heap.Resolver(o)
	if !ok {
		return nil, false
	}
	return []uint64{s.value(p, lInternal, 0), b2u(reject), b2u(used)}, true
}

// Loading promises: every promise is made with `new Promise` so that its
// resolving functions exist; its state and reactions are set afterwards.

type promiseParts struct {
	resolve, reject *goja.Object
}

// newPromise makes a pending promise and keeps its resolving functions.
func (l *loader) newPromise(i int) (*goja.Object, error) {
	var parts promiseParts
	exec := l.rt.ToValue(func(call goja.FunctionCall) goja.Value {
		parts.resolve, _ = call.Argument(0).(*goja.Object)
		parts.reject, _ = call.Argument(1).(*goja.Object)
		return goja.Undefined()
	})
	o, err := l.rt.New(l.b.promiseCtor, exec)
	if err != nil {
		return nil, err
	}
	if l.promiseParts == nil {
		l.promiseParts = map[int]promiseParts{}
	}
	l.promiseParts[i] = parts
	return o, nil
}

func (l *loader) partsOf(c uint64) promiseParts {
	o := l.object(c)
	parts, ok := l.promiseParts[int(c>>3)]
	if o == nil || !ok {
		l.failf("a promise's resolving function refers to something that is not a promise")
	}
	return parts
}

// createResolver makes the resolve or reject function of a loaded promise.
func (l *loader) createResolver(i int, ext []uint64) *goja.Object {
	if len(ext) < 3 {
		l.failf("object %d: record too short", i)
	}
	parts := l.partsOf(ext[0])
	o := parts.resolve
	if ext[1] != 0 {
		o = parts.reject
	}
	heap.SetResolverUsed(o, ext[2] != 0)
	return o
}

var asyncPlaceholder = sync.OnceValue(func() *goja.Program {
	return goja.MustCompile("<stasis-async>", `(async function (p) { await p })`, false)
})

// fillPromise gives a loaded promise its state and pending reactions.
func (l *loader) fillPromise(i int, o *goja.Object, ext []uint64) {
	c := &cursor{l: l, name: "promise", num: i + 1, s: ext}
	p := heap.PromiseOf(o)
	state, result, handled := c.next(), l.value(c.next()), c.next() != 0
	if state > 2 {
		l.failf("promise %d: state %d", i, state)
	}
	n := c.count(len(ext))
	if n > 0 && state != uint64(goja.PromiseStatePending) {
		l.failf("promise %d: settled with pending reactions", i)
	}
	var fulfill, reject []*heap.PromiseReaction
	for r := 0; r < n; r++ {
		switch c.next() {
		case reactionAsync, reactionAsyncIter:
			fr, rr := l.asyncReactions(c, c.s[c.i-1] == reactionAsyncIter)
			fulfill, reject = append(fulfill, fr), append(reject, rr)
		case reactionThen:
			onF, onR := l.value(c.next()), l.value(c.next())
			var capability *heap.PromiseCapability
			if d := c.next(); d != codeNone {
				parts := l.partsOf(d)
				capability = heap.NewPromiseCapability()
				*capability.Promise(), *capability.ResolveObj(), *capability.RejectObj() = l.object(d), parts.resolve, parts.reject
			}
			fr, rr := heap.NewPromiseReaction(), heap.NewPromiseReaction()
			*fr.Typ(), *rr.Typ() = 0, 1
			*fr.Capability(), *rr.Capability() = capability, capability
			if f, ok := goja.AssertFunction(onF); ok {
				*fr.Handler() = heap.NewJobCallback(l.jobCallback(f))
			}
			if f, ok := goja.AssertFunction(onR); ok {
				*rr.Handler() = heap.NewJobCallback(l.jobCallback(f))
			}
			if t := thenTableOf(l.v); t != nil {
				t.add(fr, thenInfo{onF, onR})
			}
			fulfill, reject = append(fulfill, fr), append(reject, rr)
		default:
			l.failf("promise %d: unknown reaction", i)
		}
	}
	*p.State(), *p.Result(), *p.Handled() = goja.PromiseState(state), result, handled
	*p.FulfillReactions(), *p.RejectReactions() = fulfill, reject
}

// jobCallback calls a JS handler the way goja's own reactions do.
func (l *loader) jobCallback(f goja.Callable) func(goja.FunctionCall) goja.Value {
	rt := l.rt
	return func(call goja.FunctionCall) goja.Value {
		res, err := f(call.This, call.Arguments...)
		if err != nil {
			rethrow(rt, err)
		}
		return res
	}
}

// asyncReactions rebuilds an async function suspended at await: a
// placeholder async function is suspended on a fresh promise, and its
// runner is given the saved frame, function and result promise.
func (l *loader) asyncReactions(c *cursor, iters bool) (fr, rr *heap.PromiseReaction) {
	fn := l.object(c.next())
	resultCode := c.next()
	parts := l.partsOf(resultCode)
	if l.asyncMaker == nil {
		v, err := l.rt.RunProgram(asyncPlaceholder())
		if err != nil {
			l.failf("async placeholder: %v", err)
		}
		l.asyncMaker, _ = goja.AssertFunction(v)
	}
	tmp, _, _ := l.rt.NewPromise()
	if _, err := l.asyncMaker(goja.Undefined(), l.rt.ToValue(tmp)); err != nil {
		l.failf("async placeholder: %v", err)
	}
	tp := heap.PromiseOf(l.rt.ToValue(tmp).(*goja.Object))
	if len(*tp.FulfillReactions()) != 1 || *(*tp.FulfillReactions())[0].AsyncRunner() == nil {
		l.failf("async placeholder did not suspend")
	}
	fr, rr = (*tp.FulfillReactions())[0], (*tp.RejectReactions())[0]
	*tp.FulfillReactions(), *tp.RejectReactions() = nil, nil
	ar := *fr.AsyncRunner()
	l.fillFrame(c, ar.Gen().Ctx())
	if !ar.Gen().SetReturning(l.value(c.next())) {
		l.failf("async function returning through a finally block, which this goja cannot resume")
	}
	if iters {
		l.fillIterStack(c, ar.Gen().Ctx().IterStack())
	}
	l.checkIterLens(c, ar.Gen().Ctx())
	*ar.F() = fn
	capability := heap.NewPromiseCapability()
	*capability.Promise(), *capability.ResolveObj(), *capability.RejectObj() = l.object(resultCode), parts.resolve, parts.reject
	*ar.PromiseCap() = capability
	return fr, rr
}
