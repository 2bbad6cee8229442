package natives

import (
	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// makeUtil makes the built-in module "util": format and inspect (the VM's
// value printer) and inherits.
func makeUtil(v *vm.VM) *goja.Object {
	rt := v.Runtime()
	m := rt.NewObject()
	v.DefineFunction(m, "format", 1, func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(v.FormatArgs(c.Arguments, vm.InspectOptions{Throw: true}))
	})
	v.DefineFunction(m, "inspect", 2, func(c goja.FunctionCall) goja.Value {
		opts := vm.InspectOptions{Throw: true}
		if o, ok := c.Argument(1).(*goja.Object); ok {
			if d := o.Get("depth"); d != nil && !goja.IsUndefined(d) {
				switch f := d.ToFloat(); {
				case goja.IsNull(d) || f > 1e9:
					opts.Depth = -1 // no limit
				case f >= 1:
					opts.Depth = int(f)
				default:
					opts.Depth = 1 // the printer has no depth 0; 1 is the closest
				}
			}
			if col := o.Get("colors"); col != nil {
				opts.Colors = col.ToBoolean()
			}
		}
		return rt.ToValue(v.Inspect(c.Argument(0), opts))
	})
	v.DefineFunction(m, "inherits", 2, func(c goja.FunctionCall) goja.Value {
		ctor, ok1 := c.Argument(0).(*goja.Object)
		super, ok2 := c.Argument(1).(*goja.Object)
		if !ok1 || !ok2 {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "util.inherits: both arguments must be functions")
		}
		sp, ok := super.Get("prototype").(*goja.Object)
		if !ok {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "util.inherits: the super constructor has no prototype")
		}
		defineHidden(ctor, "super_", super)
		if cp, ok := ctor.Get("prototype").(*goja.Object); ok {
			if err := cp.SetPrototype(sp); err != nil {
				panic(err)
			}
		}
		return goja.Undefined()
	})
	return m
}
