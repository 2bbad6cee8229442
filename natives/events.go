package natives

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// makeEvents makes the built-in module "events": a small EventEmitter (on,
// addListener, prependListener, once, off, removeListener,
// removeAllListeners, emit, listenerCount, listeners, eventNames). An
// emitter keeps its listeners in JavaScript, in the non-enumerable own
// property _events (event name -> array of functions, or of
// {listener, once: true} for once), so emitters are saved in images as they are.
func makeEvents(v *vm.VM) *goja.Object {
	rt := v.Runtime()
	ctor := rt.ToValue(func(c goja.ConstructorCall) *goja.Object {
		eventsOf(v, c.This)
		return nil
	}).(*goja.Object)
	_ = ctor.DefineDataProperty("name", rt.ToValue("EventEmitter"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = ctor.DefineDataProperty("length", rt.ToValue(0), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	proto := ctor.Get("prototype").(*goja.Object)

	this := func(c goja.FunctionCall) *goja.Object {
		o, ok := c.This.(*goja.Object)
		if !ok {
			throwTypef(v, "", "EventEmitter method called on a non-object")
		}
		return o
	}
	listenerArg := func(c goja.FunctionCall) goja.Value {
		fn := c.Argument(1)
		if _, ok := goja.AssertFunction(fn); !ok {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"listener\" argument must be of type function. Received %s", describeArg(fn))
		}
		return fn
	}
	add := func(once, prepend bool) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			o := this(c)
			var entry goja.Value = listenerArg(c)
			if once {
				rec := rt.NewObject()
				_ = rec.Set("listener", entry)
				_ = rec.Set("once", true)
				entry = rec
			}
			list := listenersOf(v, o, c.Argument(0))
			if prepend {
				list = append([]goja.Value{entry}, list...)
			} else {
				list = append(list, entry)
			}
			setListeners(v, o, c.Argument(0), list)
			return o
		}
	}
	on := add(false, false)
	v.DefineFunction(proto, "on", 2, on)
	v.DefineFunction(proto, "addListener", 2, on)
	v.DefineFunction(proto, "prependListener", 2, add(false, true))
	v.DefineFunction(proto, "once", 2, add(true, false))
	off := func(c goja.FunctionCall) goja.Value {
		o := this(c)
		fn := listenerArg(c)
		list := listenersOf(v, o, c.Argument(0))
		for i := len(list) - 1; i >= 0; i-- {
			if unwrapListener(list[i]).SameAs(fn) {
				list = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		setListeners(v, o, c.Argument(0), list)
		return o
	}
	v.DefineFunction(proto, "off", 2, off)
	v.DefineFunction(proto, "removeListener", 2, off)
	v.DefineFunction(proto, "removeAllListeners", 1, func(c goja.FunctionCall) goja.Value {
		o := this(c)
		if len(c.Arguments) == 0 || goja.IsUndefined(c.Argument(0)) {
			ev := rt.NewObject()
			_ = ev.SetPrototype(nil)
			defineHidden(o, "_events", ev)
		} else {
			setListeners(v, o, c.Argument(0), nil)
		}
		return o
	})
	v.DefineFunction(proto, "emit", 1, func(c goja.FunctionCall) goja.Value {
		o := this(c)
		name := c.Argument(0)
		list := listenersOf(v, o, name)
		var args []goja.Value
		if len(c.Arguments) > 1 {
			args = c.Arguments[1:]
		}
		if len(list) == 0 {
			if !isSymbol(name) && name.String() == "error" {
				if e := c.Argument(1); !goja.IsUndefined(e) {
					panic(e)
				}
				throwf(v, "Unhandled error.")
			}
			return rt.ToValue(false)
		}
		for _, entry := range list {
			if eo, ok := entry.(*goja.Object); ok && eo.Get("once") != nil && eo.Get("once").ToBoolean() {
				cur := listenersOf(v, o, name)
				for i, e := range cur {
					if e.SameAs(entry) {
						setListeners(v, o, name, append(cur[:i:i], cur[i+1:]...))
						break
					}
				}
			}
			fn, ok := goja.AssertFunction(unwrapListener(entry))
			if !ok {
				continue
			}
			if _, err := fn(o, args...); err != nil {
				rethrow(v, err)
			}
		}
		return rt.ToValue(true)
	})
	v.DefineFunction(proto, "listenerCount", 1, func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(len(listenersOf(v, this(c), c.Argument(0))))
	})
	v.DefineFunction(proto, "listeners", 1, func(c goja.FunctionCall) goja.Value {
		list := listenersOf(v, this(c), c.Argument(0))
		out := make([]any, len(list))
		for i, e := range list {
			out[i] = unwrapListener(e)
		}
		return rt.NewArray(out...)
	})
	v.DefineFunction(proto, "eventNames", 0, func(c goja.FunctionCall) goja.Value {
		ev := eventsOf(v, this(c))
		var out []any
		for _, k := range ev.Keys() {
			out = append(out, k)
		}
		for _, s := range ev.Symbols() {
			out = append(out, s)
		}
		return rt.NewArray(out...)
	})
	// The limit is the emitter's own _maxListeners, as in Node, else
	// EventEmitter.defaultMaxListeners; so it is saved with the emitter.
	v.DefineFunction(proto, "setMaxListeners", 1, func(c goja.FunctionCall) goja.Value {
		o := this(c)
		n := c.Argument(0)
		f := n.ToFloat()
		if _, isNum := n.Export().(int64); !isNum {
			if _, isFloat := n.Export().(float64); !isFloat {
				throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"n\" argument must be of type number. Received %s", describeArg(n))
			}
		}
		if f != f || f < 0 {
			e := newRangeError(v, fmt.Sprintf("The value of \"n\" is out of range. It must be a non-negative number. Received %s", n.String()))
			_ = e.Set("code", "ERR_OUT_OF_RANGE")
			panic(e)
		}
		defineHidden(o, "_maxListeners", n)
		return o
	})
	v.DefineFunction(proto, "getMaxListeners", 0, func(c goja.FunctionCall) goja.Value {
		if n := ownProperty(v, this(c), "_maxListeners"); n != nil && !goja.IsUndefined(n) {
			return n
		}
		return ctor.Get("defaultMaxListeners")
	})
	defineHidden(ctor, "EventEmitter", ctor)
	_ = ctor.Set("defaultMaxListeners", 10)
	v.SetView(proto, emitterView(v))
	return ctor
}

func isSymbol(v goja.Value) bool {
	_, ok := v.(*goja.Symbol)
	return ok
}

// eventsOf returns o's _events table, making it if o has none of its own.
func eventsOf(v *vm.VM, thisVal goja.Value) *goja.Object {
	o, ok := thisVal.(*goja.Object)
	if !ok {
		throwTypef(v, "", "EventEmitter called on a non-object")
	}
	desc := ownProperty(v, o, "_events")
	if ev, ok := desc.(*goja.Object); ok {
		return ev
	}
	ev := v.Runtime().NewObject()
	_ = ev.SetPrototype(nil)
	defineHidden(o, "_events", ev)
	return ev
}

// ownProperty returns o's own data property name, or nil.
func ownProperty(v *vm.VM, o *goja.Object, name string) goja.Value {
	for _, k := range o.GetOwnPropertyNames() {
		if k == name {
			return o.Get(name)
		}
	}
	return nil
}

func listenersOf(v *vm.VM, o *goja.Object, name goja.Value) []goja.Value {
	ev := eventsOf(v, o)
	var arr goja.Value
	if s, ok := name.(*goja.Symbol); ok {
		arr = ev.GetSymbol(s)
	} else {
		arr = ev.Get(name.String())
	}
	a, ok := arr.(*goja.Object)
	if !ok {
		return nil
	}
	n := a.Get("length").ToInteger()
	out := make([]goja.Value, 0, n)
	for i := int64(0); i < n; i++ {
		out = append(out, a.Get(fmt.Sprint(i)))
	}
	return out
}

func setListeners(v *vm.VM, o *goja.Object, name goja.Value, list []goja.Value) {
	ev := eventsOf(v, o)
	s, isSym := name.(*goja.Symbol)
	if len(list) == 0 {
		if isSym {
			_ = ev.DeleteSymbol(s)
		} else {
			_ = ev.Delete(name.String())
		}
		return
	}
	items := make([]any, len(list))
	for i, e := range list {
		items[i] = e
	}
	arr := v.Runtime().NewArray(items...)
	if isSym {
		_ = ev.SetSymbol(s, arr)
	} else {
		_ = ev.Set(name.String(), arr)
	}
}

// unwrapListener returns the function of a listener entry.
func unwrapListener(e goja.Value) goja.Value {
	if o, ok := e.(*goja.Object); ok {
		if _, isFn := goja.AssertFunction(o); !isFn {
			if l := o.Get("listener"); l != nil {
				return l
			}
		}
	}
	return e
}
