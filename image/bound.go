package image

import (
	"runtime"
	"sync"
	"weak"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// goja keeps a bound function's `this` and arguments inside Go closures that
// no reflection reaches. A world made by NewWorld therefore replaces
// Function.prototype.bind, before its built-ins are recorded, with a native
// function that calls the original and remembers target, this and arguments
// for each bound function it makes. The replacement has the original's
// name, length, attributes and behaviour.

type boundInfo struct {
	target goja.Value
	this   goja.Value
	args   []goja.Value
}

type boundKey struct{}

// boundTable maps bound functions (weakly) to what bind was given.
type boundTable struct {
	mu   sync.Mutex
	m    map[weak.Pointer[goja.Object]]*boundInfo
	bind goja.Callable // the original Function.prototype.bind
}

func (t *boundTable) add(fn *goja.Object, info *boundInfo) {
	key := weak.Make(fn)
	t.mu.Lock()
	t.m[key] = info
	t.mu.Unlock()
	// A cleanup is a root until it runs: it must reach neither fn nor the
	// table (the table holds the original bind, which holds the runtime,
	// which holds fn), or fn and its whole world live forever. It holds
	// the table weakly; a table already collected has nothing to clean.
	runtime.AddCleanup(fn, boundEntry.drop, boundEntry{weak.Make(t), key})
}

// boundEntry names one entry of a table, weakly on both sides.
type boundEntry struct {
	table weak.Pointer[boundTable]
	key   weak.Pointer[goja.Object]
}

func (e boundEntry) drop() {
	if t := e.table.Value(); t != nil {
		t.mu.Lock()
		delete(t.m, e.key)
		t.mu.Unlock()
	}
}

func (t *boundTable) get(fn *goja.Object) *boundInfo {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[weak.Make(fn)]
}

func boundTableOf(v *vm.VM) *boundTable {
	t, _ := v.Attachment(boundKey{}).(*boundTable)
	return t
}

// hookBind installs the recording bind.
func hookBind(v *vm.VM) error {
	rt := v.Runtime()
	proto := rt.Get("Function").ToObject(rt).Get("prototype").ToObject(rt)
	orig, ok := goja.AssertFunction(proto.Get("bind"))
	if !ok {
		return nil
	}
	t := &boundTable{m: map[weak.Pointer[goja.Object]]*boundInfo{}, bind: orig}
	v.SetAttachment(boundKey{}, t)
	hook := v.NewFunction("bind", 1, func(call goja.FunctionCall) goja.Value {
		res, err := orig(call.This, call.Arguments...)
		if err != nil {
			if ex, ok := err.(*goja.Exception); ok {
				panic(ex.Value())
			}
			panic(rt.NewGoError(err))
		}
		if fn, ok := res.(*goja.Object); ok {
			info := &boundInfo{target: call.This, this: call.Argument(0)}
			if len(call.Arguments) > 1 {
				info.args = append([]goja.Value(nil), call.Arguments[1:]...)
			}
			t.add(fn, info)
		}
		return res
	})
	return proto.DefineDataProperty("bind", hook, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}
