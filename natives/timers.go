package natives

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"time"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// Timers is the plugin of setTimeout, setInterval, setImmediate, their
// clear functions and queueMicrotask, on the VM's event loop (vm.Loop).
//
// A timer is an ordinary object whose prototype is stasis.Timeout.prototype
// (or stasis.Immediate.prototype), with Node's methods ref, unref, hasRef,
// refresh, close and [Symbol.toPrimitive] (its numeric id). While pending it
// is marked; its record is
//
//	{id, kind: "timeout"|"interval"|"immediate", callback, args, delay,
//	 interval (ms, or -1), remaining (ms on the loop's clock), seq, ref}
//
// and the plugin's state is {timers: [pending timer objects in firing
// order], nextId}. On load each timer is armed again with its remaining
// time, in the saved order: the world's clock stops while it is frozen.
// A timeout that fired or was cleared is unmarked and is saved as a plain
// object that is never armed again (refresh() on it does nothing).
type Timers struct{}

// Name implements Plugin.
func (*Timers) Name() string { return "timers" }

// Version implements Plugin.
func (*Timers) Version() int { return 1 }

type timersKey struct{}

type timerKind string

const (
	kindTimeout   timerKind = "timeout"
	kindInterval  timerKind = "interval"
	kindImmediate timerKind = "immediate"
)

// jsTimer is the Go side of one timer object.
type jsTimer struct {
	obj      *goja.Object
	id       int64
	kind     timerKind
	callback goja.Value
	args     []goja.Value
	delay    time.Duration // as given (after Node's clamping), for refresh and intervals
	ref      bool
	loopID   vm.TimerID // 0 when not armed
	// Set by Rebind, used by RestoreState to arm the timer again.
	remaining time.Duration
	seq       float64
}

type timerState struct {
	p              *Timers
	timeoutProto   *goja.Object
	immediateProto *goja.Object
	byObj          map[*goja.Object]*jsTimer
	byID           map[int64]*jsTimer
	nextID         int64
}

func timersOf(v *vm.VM) *timerState {
	st, _ := v.Attachment(timersKey{}).(*timerState)
	if st == nil {
		panic(fmt.Errorf("natives: the timers plugin is not installed"))
	}
	return st
}

// Install implements Plugin: it defines the timer globals, the hidden
// constructors stasis.Timeout and stasis.Immediate, and the loop's members
// of `stasis` (vm.SetupLoop).
func (p *Timers) Install(v *vm.VM) error {
	if err := vm.SetupLoop(v); err != nil {
		return err
	}
	rt := v.Runtime()
	st := &timerState{p: p, byObj: map[*goja.Object]*jsTimer{}, byID: map[int64]*jsTimer{}, nextID: 1}
	v.SetAttachment(timersKey{}, st)
	in := intrinsicsOf(v)

	st.timeoutProto = p.timerClass(v, "Timeout", true)
	st.immediateProto = p.timerClass(v, "Immediate", false)

	g := rt.GlobalObject()
	define := func(name string, length int, f func(goja.FunctionCall) goja.Value) {
		_ = g.DefineDataProperty(name, v.NewFunction(name, length, f), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	define("setTimeout", 2, func(c goja.FunctionCall) goja.Value {
		return p.start(v, kindTimeout, c).obj
	})
	define("setInterval", 2, func(c goja.FunctionCall) goja.Value {
		return p.start(v, kindInterval, c).obj
	})
	define("setImmediate", 1, func(c goja.FunctionCall) goja.Value {
		return p.start(v, kindImmediate, c).obj
	})
	clear := func(kinds ...timerKind) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			if t := st.find(c.Argument(0)); t != nil {
				for _, k := range kinds {
					if t.kind == k {
						p.stop(v, t)
					}
				}
			}
			return goja.Undefined()
		}
	}
	define("clearTimeout", 1, clear(kindTimeout, kindInterval))
	define("clearInterval", 1, clear(kindTimeout, kindInterval))
	define("clearImmediate", 1, clear(kindImmediate))
	define("queueMicrotask", 1, func(c goja.FunctionCall) goja.Value {
		cb := c.Argument(0)
		if _, ok := goja.AssertFunction(cb); !ok {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"callback\" argument must be of type function. Received %s", describeArg(cb))
		}
		// A resolved promise's reaction runs on goja's job queue, like any
		// promise job; an exception in cb fails the loop, as in Node.
		job := v.NewFunction("", 0, func(goja.FunctionCall) goja.Value {
			if _, err := v.Call(cb, nil); err != nil {
				v.Loop().Post(func() error { return err })
			}
			return goja.Undefined()
		})
		promise, resolve, _ := rt.NewPromise()
		if err := resolve(goja.Undefined()); err != nil {
			panic(err)
		}
		if _, err := in.promiseThen(rt.ToValue(promise), job); err != nil {
			panic(err)
		}
		return goja.Undefined()
	})
	return nil
}

// timerClass makes the hidden constructor stasis.<name> and returns its
// prototype, which holds the timer methods.
func (p *Timers) timerClass(v *vm.VM, name string, timeout bool) *goja.Object {
	rt := v.Runtime()
	ctor := v.NewFunction(name, 0, func(goja.FunctionCall) goja.Value {
		panic(rt.NewTypeError("Illegal constructor"))
	})
	proto := rt.NewObject()
	defineHidden(proto, "constructor", ctor)
	_ = ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	defineHidden(v.Stasis(), name, ctor)

	this := func(c goja.FunctionCall) *jsTimer {
		if o, ok := c.This.(*goja.Object); ok {
			return timersOf(v).byObj[o]
		}
		return nil
	}
	v.DefineFunction(proto, "ref", 0, func(c goja.FunctionCall) goja.Value {
		if t := this(c); t != nil {
			t.ref = true
			v.Loop().SetTimerRef(t.loopID, true)
		}
		return c.This
	})
	v.DefineFunction(proto, "unref", 0, func(c goja.FunctionCall) goja.Value {
		if t := this(c); t != nil {
			t.ref = false
			v.Loop().SetTimerRef(t.loopID, false)
		}
		return c.This
	})
	v.DefineFunction(proto, "hasRef", 0, func(c goja.FunctionCall) goja.Value {
		t := this(c)
		return rt.ToValue(t != nil && t.ref)
	})
	if !timeout {
		return proto
	}
	v.DefineFunction(proto, "refresh", 0, func(c goja.FunctionCall) goja.Value {
		if t := this(c); t != nil {
			v.Loop().ResetTimer(t.loopID, t.delay)
		}
		return c.This
	})
	v.DefineFunction(proto, "close", 0, func(c goja.FunctionCall) goja.Value {
		if t := this(c); t != nil {
			p.stop(v, t)
		}
		return c.This
	})
	toPrim := v.NewFunction("[Symbol.toPrimitive]", 0, func(c goja.FunctionCall) goja.Value {
		if o, ok := c.This.(*goja.Object); ok {
			if t := timersOf(v).byObj[o]; t != nil {
				return rt.ToValue(t.id)
			}
		}
		return rt.ToValue(math.NaN())
	})
	_ = proto.DefineDataPropertySymbol(goja.SymToPrimitive, toPrim, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return proto
}

// find returns the pending timer that val names: a timer object or its id.
func (st *timerState) find(val goja.Value) *jsTimer {
	if o, ok := val.(*goja.Object); ok {
		if t := st.byObj[o]; t != nil {
			return t
		}
		return nil
	}
	if val == nil || goja.IsUndefined(val) || goja.IsNull(val) {
		return nil
	}
	f := val.ToFloat()
	if f != math.Trunc(f) {
		return nil
	}
	return st.byID[int64(f)]
}

// describeArg describes a wrong argument as Node's errors do ("type
// number (1)", "function f", "an instance of Map").
func describeArg(val goja.Value) string {
	if val == nil || goja.IsUndefined(val) {
		return "undefined"
	}
	if goja.IsNull(val) {
		return "null"
	}
	var typ, shown string
	switch x := val.(type) {
	case *goja.Object:
		if _, isFn := goja.AssertFunction(x); isFn {
			return "function " + x.Get("name").String()
		}
		for p := x.Prototype(); p != nil; p = p.Prototype() {
			if c, ok := p.Get("constructor").(*goja.Object); ok {
				if name := c.Get("name"); name != nil && name.String() != "" {
					return "an instance of " + name.String()
				}
			}
		}
		return "an instance of Object"
	case goja.String:
		typ, shown = "string", "'"+x.String()+"'"
	case *goja.Symbol:
		typ, shown = "symbol", x.String()
	default:
		switch val.ExportType().Kind() {
		case reflect.Bool:
			typ = "boolean"
		case reflect.Ptr: // *big.Int
			typ, shown = "bigint", val.String()+"n"
		default:
			typ = "number"
		}
		if shown == "" {
			shown = val.String()
		}
	}
	if len(shown) > 28 {
		shown = shown[:25] + "..."
	}
	return fmt.Sprintf("type %s (%s)", typ, shown)
}

// clampDelay applies Node's rule: a delay that is not a number in
// [1, 2^31-1] ms becomes 1 ms.
func clampDelay(val goja.Value) time.Duration {
	ms := 1.0
	if val != nil && !goja.IsUndefined(val) {
		ms = val.ToFloat()
	}
	if math.IsNaN(ms) || ms < 1 || ms > math.MaxInt32 {
		ms = 1
	}
	return time.Duration(math.Trunc(ms)) * time.Millisecond
}

// start makes a timer object from a setTimeout/setInterval/setImmediate call and arms it.
func (p *Timers) start(v *vm.VM, kind timerKind, c goja.FunctionCall) *jsTimer {
	rt := v.Runtime()
	st := timersOf(v)
	cb := c.Argument(0)
	if _, ok := goja.AssertFunction(cb); !ok {
		throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"callback\" argument must be of type function. Received %s", describeArg(cb))
	}
	t := &jsTimer{id: st.nextID, kind: kind, callback: cb, ref: true}
	st.nextID++
	first := 2
	if kind == kindImmediate {
		first = 1
	} else {
		t.delay = clampDelay(c.Argument(1))
	}
	if len(c.Arguments) > first {
		t.args = append([]goja.Value(nil), c.Arguments[first:]...)
	}
	proto := st.timeoutProto
	if kind == kindImmediate {
		proto = st.immediateProto
	}
	t.obj = rt.NewObject()
	_ = t.obj.SetPrototype(proto)
	st.add(t)
	Mark(v, t.obj, p)
	p.arm(v, t, t.delay)
	return t
}

func (st *timerState) add(t *jsTimer) {
	st.byObj[t.obj] = t
	st.byID[t.id] = t
}

// arm schedules t on the loop, d from now (immediates: in the next check phase).
func (p *Timers) arm(v *vm.VM, t *jsTimer, d time.Duration) {
	l := v.Loop()
	fire := func() error { return p.fire(v, t) }
	if t.kind == kindImmediate {
		t.loopID = l.AddImmediate(fire)
	} else {
		t.loopID = l.AddTimer(d, fire)
	}
	if !t.ref {
		l.SetTimerRef(t.loopID, false)
	}
}

// fire runs t's callback; an interval is armed again unless it was cleared.
func (p *Timers) fire(v *vm.VM, t *jsTimer) error {
	t.loopID = 0
	if t.kind != kindInterval {
		p.forget(v, t)
	}
	_, err := v.Call(t.callback, t.obj, t.args...)
	if err != nil {
		if t.kind == kindInterval {
			p.forget(v, t)
		}
		return err
	}
	if t.kind == kindInterval && timersOf(v).byObj[t.obj] == t && t.loopID == 0 {
		p.arm(v, t, t.delay)
	}
	return nil
}

// stop cancels t and forgets it.
func (p *Timers) stop(v *vm.VM, t *jsTimer) {
	if t.loopID != 0 {
		v.Loop().CancelTimer(t.loopID)
		t.loopID = 0
	}
	p.forget(v, t)
}

func (p *Timers) forget(v *vm.VM, t *jsTimer) {
	st := timersOf(v)
	if st.byObj[t.obj] == t {
		delete(st.byObj, t.obj)
	}
	if st.byID[t.id] == t {
		delete(st.byID, t.id)
	}
	Unmark(v, t.obj)
}

// Record implements Plugin.
func (p *Timers) Record(v *vm.VM, o *goja.Object) (goja.Value, error) {
	rt := v.Runtime()
	t := timersOf(v).byObj[o]
	if t == nil {
		return nil, fmt.Errorf("object is not a pending timer")
	}
	rec := rt.NewObject()
	interval := -1.0
	if t.kind == kindInterval {
		interval = ms(t.delay)
	}
	var remaining time.Duration
	seq := 0.0
	if info, ok := v.Loop().Timer(t.loopID); ok {
		remaining, seq = info.Remaining, float64(info.Seq)
	}
	args := make([]any, len(t.args))
	for i, a := range t.args {
		args[i] = a
	}
	for _, kv := range []struct {
		k string
		v any
	}{
		{"id", t.id}, {"kind", string(t.kind)}, {"callback", t.callback}, {"args", rt.NewArray(args...)},
		{"delay", ms(t.delay)}, {"interval", interval}, {"remaining", ms(remaining)}, {"seq", seq}, {"ref", t.ref},
	} {
		if err := rec.Set(kv.k, kv.v); err != nil {
			return nil, err
		}
	}
	return rec, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fromMS(f float64) time.Duration {
	if math.IsNaN(f) || f < 0 {
		return 0
	}
	return time.Duration(f * float64(time.Millisecond))
}

// Rebind implements Plugin: o becomes a timer again, not yet armed
// (RestoreState arms the timers in their saved order).
func (p *Timers) Rebind(v *vm.VM, o *goja.Object, record goja.Value) error {
	st := timersOf(v)
	rec, ok := record.(*goja.Object)
	if !ok {
		return fmt.Errorf("timer record is not an object")
	}
	t := &jsTimer{obj: o, id: rec.Get("id").ToInteger(), kind: timerKind(rec.Get("kind").String()),
		callback: rec.Get("callback"), ref: rec.Get("ref").ToBoolean(),
		delay: fromMS(rec.Get("delay").ToFloat()), remaining: fromMS(rec.Get("remaining").ToFloat()),
		seq: rec.Get("seq").ToFloat()}
	switch t.kind {
	case kindTimeout, kindInterval, kindImmediate:
	default:
		return fmt.Errorf("timer record has an unknown kind %q", t.kind)
	}
	if _, ok := goja.AssertFunction(t.callback); !ok {
		return fmt.Errorf("timer %d: its callback is not a function", t.id)
	}
	if a, ok := rec.Get("args").(*goja.Object); ok {
		n := a.Get("length").ToInteger()
		for i := int64(0); i < n; i++ {
			t.args = append(t.args, a.Get(fmt.Sprint(i)))
		}
	}
	if t.id >= st.nextID {
		st.nextID = t.id + 1
	}
	st.add(t)
	Mark(v, o, p)
	return nil
}

// SaveState implements Plugin.
func (p *Timers) SaveState(v *vm.VM) (goja.Value, error) {
	rt := v.Runtime()
	st := timersOf(v)
	byLoop := map[vm.TimerID]*jsTimer{}
	for _, t := range st.byObj {
		byLoop[t.loopID] = t
	}
	var list []any
	for _, info := range v.Loop().Pending() {
		if t := byLoop[info.ID]; t != nil {
			list = append(list, t.obj)
		}
	}
	state := rt.NewObject()
	if err := state.Set("timers", rt.NewArray(list...)); err != nil {
		return nil, err
	}
	if err := state.Set("nextId", st.nextID); err != nil {
		return nil, err
	}
	return state, nil
}

// RestoreState implements Plugin: it arms the rebound timers, those the
// state lists first in its order, then any other in saved order.
func (p *Timers) RestoreState(v *vm.VM, state goja.Value) error {
	st := timersOf(v)
	armed := map[*jsTimer]bool{}
	if so, ok := state.(*goja.Object); ok {
		if n := so.Get("nextId"); n != nil && n.ToInteger() > st.nextID {
			st.nextID = n.ToInteger()
		}
		if list, ok := so.Get("timers").(*goja.Object); ok {
			n := list.Get("length").ToInteger()
			for i := int64(0); i < n; i++ {
				o, _ := list.Get(fmt.Sprint(i)).(*goja.Object)
				t := st.byObj[o]
				if o == nil || t == nil {
					return fmt.Errorf("pending timer %d was not rebound", i)
				}
				if !armed[t] && t.loopID == 0 {
					p.arm(v, t, t.remaining)
				}
				armed[t] = true
			}
		}
	}
	var rest []*jsTimer
	for _, t := range st.byObj {
		if !armed[t] && t.loopID == 0 {
			rest = append(rest, t)
		}
	}
	sort.Slice(rest, func(i, j int) bool {
		a, b := rest[i], rest[j]
		if (a.kind == kindImmediate) != (b.kind == kindImmediate) {
			return b.kind == kindImmediate
		}
		if a.remaining != b.remaining {
			return a.remaining < b.remaining
		}
		return a.seq < b.seq
	})
	for _, t := range rest {
		p.arm(v, t, t.remaining)
	}
	return nil
}
