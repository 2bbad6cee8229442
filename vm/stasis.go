package vm

import (
	"github.com/dop251/goja"
)

// installStasis defines the global `stasis` object: args, version, onSave,
// onResume, setMain. Other packages add members (saveImage) in Setup.
func (v *VM) installStasis() error {
	rt := v.rt
	o := rt.NewObject()
	args := make([]any, len(v.opts.Args))
	for i, a := range v.opts.Args {
		args[i] = a
	}
	if err := o.Set("args", rt.NewArray(args...)); err != nil {
		return err
	}
	if err := o.DefineDataProperty("version", rt.ToValue(Version), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE); err != nil {
		return err
	}
	v.DefineFunction(o, "onSave", 1, func(c goja.FunctionCall) goja.Value {
		v.hooks.OnSave = append(v.hooks.OnSave, v.requireFunction(c.Argument(0), "stasis.onSave"))
		return goja.Undefined()
	})
	v.DefineFunction(o, "onResume", 1, func(c goja.FunctionCall) goja.Value {
		v.hooks.OnResume = append(v.hooks.OnResume, v.requireFunction(c.Argument(0), "stasis.onResume"))
		return goja.Undefined()
	})
	v.DefineFunction(o, "setMain", 1, func(c goja.FunctionCall) goja.Value {
		fn := c.Argument(0)
		if goja.IsUndefined(fn) || goja.IsNull(fn) {
			v.hooks.Main = nil
			return goja.Undefined()
		}
		v.hooks.Main = v.requireFunction(fn, "stasis.setMain")
		return goja.Undefined()
	})
	v.stasis = o
	return rt.GlobalObject().DefineDataProperty("stasis", o, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
}

// Stasis returns the global `stasis` object, to which other packages add members.
func (v *VM) Stasis() *goja.Object { return v.stasis }

func (v *VM) requireFunction(fn goja.Value, what string) goja.Value {
	if _, ok := goja.AssertFunction(fn); !ok {
		panic(v.rt.NewTypeError("%s: argument must be a function", what))
	}
	return fn
}

// DefineFunction defines a native method on o that looks like a built-in:
// the given name and length, writable, configurable and not enumerable.
func (v *VM) DefineFunction(o *goja.Object, name string, length int, f func(goja.FunctionCall) goja.Value) {
	fn := v.NewFunction(name, length, f)
	_ = o.DefineDataProperty(name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// NewFunction makes a native function with the given name and length.
func (v *VM) NewFunction(name string, length int, f func(goja.FunctionCall) goja.Value) *goja.Object {
	fn := v.rt.ToValue(f).ToObject(v.rt)
	_ = fn.DefineDataProperty("name", v.rt.ToValue(name), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = fn.DefineDataProperty("length", v.rt.ToValue(length), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return fn
}
