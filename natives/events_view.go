package natives

import (
	"strconv"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// maxViewListeners bounds how many listeners of one event the view of an
// emitter reads from its table, which an image may have made as long as it
// likes.
const maxViewListeners = 1 << 14

// emitterView shows an EventEmitter as Node does: the fields Node's
// emitters have (_events, _eventsCount, _maxListeners and two symbols),
// then the emitter's own properties. Node keeps one listener of an event
// as the function itself, several in an array, and a once listener as a
// bound onceWrapper with the listener as a property; the view shows our
// table (arrays of functions or {listener, once} records) in that form.
func emitterView(v *vm.VM) vm.ViewFunc {
	rt := v.Runtime()
	return func(o, _ *goja.Object, read vm.ViewReader) (vm.View, bool) {
		table, _ := read(o, "_events").(*goja.Object)
		if table == nil || vm.KindOf(table) == vm.KindProxy {
			return vm.View{}, false
		}
		events := rt.NewObject()
		if events.SetPrototype(nil) != nil {
			return vm.View{}, false
		}
		count := 0
		show := func(key any) goja.Value {
			list, _ := read(table, key).(*goja.Object)
			if list == nil {
				return nil
			}
			n, _ := read(list, "length").Export().(int64)
			var shown []any
			for i := int64(0); i < min(n, maxViewListeners); i++ {
				if l := shownListener(v, read, read(list, strconv.FormatInt(i, 10))); l != nil {
					shown = append(shown, l)
				}
			}
			switch len(shown) {
			case 0:
				return nil
			case 1:
				return shown[0].(goja.Value)
			}
			return rt.NewArray(shown...)
		}
		for _, k := range table.Keys() {
			if l := show(k); l != nil {
				_ = events.Set(k, l)
				count++
			}
		}
		for _, s := range table.Symbols() {
			if l := show(s); l != nil {
				_ = events.SetSymbol(s, l)
				count++
			}
		}
		limit := read(o, "_maxListeners")
		if limit == nil {
			limit = goja.Undefined()
		}
		return vm.View{Fields: []vm.ViewField{
			{Key: "_events", Value: events},
			{Key: "_eventsCount", Value: rt.ToValue(count)},
			{Key: "_maxListeners", Value: limit},
			{Key: "shapeMode", Symbol: true, Value: rt.ToValue(false)},
			{Key: "kCapture", Symbol: true, Value: rt.ToValue(false)},
		}, Own: true, Keyed: true}, true
	}
}

// shownListener is an entry of an emitter's table as Node keeps it: a
// function as it is, a once record {listener, once} as a function named
// "bound onceWrapper" with the listener as its property listener.
func shownListener(v *vm.VM, read vm.ViewReader, entry goja.Value) goja.Value {
	o, ok := entry.(*goja.Object)
	if !ok {
		return nil
	}
	if vm.KindOf(o) != vm.KindObject {
		return o // a function (or an array, shown as it is)
	}
	l, _ := read(o, "listener").(*goja.Object)
	if l == nil {
		return nil
	}
	wrapper := v.NewFunction("bound onceWrapper", 0, func(goja.FunctionCall) goja.Value { return goja.Undefined() })
	_ = wrapper.DefineDataProperty("listener", l, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	return wrapper
}
