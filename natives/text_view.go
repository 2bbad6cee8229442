package natives

import (
	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// encoderView shows a TextEncoder as Node does: as a plain object with its
// encoding ({ encoding: 'utf-8' }). A TextEncoder has no state: an object
// made with Object.create(TextEncoder.prototype) shows the same.
func encoderView(v *vm.VM) vm.ViewFunc {
	rt := v.Runtime()
	return func(o, st *goja.Object, _ vm.ViewReader) (vm.View, bool) {
		if st == nil {
			return vm.View{Throw: invalidReceiver(v, "ERR_INVALID_THIS", `Value of "this" must be of type TextEncoder`)}, true
		}
		return vm.View{Fields: []vm.ViewField{{Key: "encoding", Value: rt.ToValue("utf-8")}}, Anonymous: true, Keyed: true}, true
	}
}

// decoderView shows a TextDecoder as Node does: its encoding, fatal and
// ignoreBOM, read from its state.
func decoderView(v *vm.VM) vm.ViewFunc {
	return func(o, st *goja.Object, read vm.ViewReader) (vm.View, bool) {
		if st == nil {
			return vm.View{Throw: invalidReceiver(v, "ERR_INVALID_THIS", `Value of "this" must be of type TextDecoder`)}, true
		}
		return decoderFields(st, read)
	}
}

func decoderFields(st *goja.Object, read vm.ViewReader) (vm.View, bool) {
	enc, ok := read(st, "encoding").(goja.String)
	if !ok {
		return vm.View{}, false
	}
	view := vm.View{Fields: []vm.ViewField{{Key: "encoding", Value: enc}}, Keyed: true}
	for _, flag := range []string{"fatal", "ignoreBOM"} {
		v := read(st, flag)
		if !isBool(v) {
			return vm.View{}, false
		}
		view.Fields = append(view.Fields, vm.ViewField{Key: flag, Value: v})
	}
	return view, true
}

// isBool reports whether v is a boolean (found out without running code,
// as an object's Export could).
func isBool(v goja.Value) bool {
	if _, isObject := v.(*goja.Object); isObject || v == nil {
		return false
	}
	_, ok := v.Export().(bool)
	return ok
}
