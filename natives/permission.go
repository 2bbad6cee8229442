package natives

import (
	"os"
	"strings"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// installPermission defines process.permission as Node 20 has it under
// --experimental-permission: only when the world's grants restrict it
// (vm.Options.Permissions), with has(scope, reference) answering from
// those grants, which it reads at each call: a resumed world answers with
// the grants of the process that resumed it. Without restrictions
// process.permission is undefined, as in Node.
//
// The object is made in every world, and is also the non-enumerable
// process[Symbol.for("stasis.permission")]: that key sorts before
// "permission", so the walk that names built-ins names the object the same
// way whether the world has process.permission or not, and an image saved
// under --permission loads into a world without it (and the other way).
func installPermission(v *vm.VM, process *goja.Object) error {
	rt := v.Runtime()
	o := rt.NewObject()
	has := v.NewFunction("has", 2, func(c goja.FunctionCall) goja.Value {
		scope, ok := c.Argument(0).(goja.String)
		if !ok {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"scope\" argument must be of type string. Received %s", describeArg(c.Argument(0)))
		}
		// No reference (or an empty one) asks about the working directory,
		// as Node's does.
		ref := ""
		if r := c.Argument(1); !goja.IsUndefined(r) && !goja.IsNull(r) {
			if data, isView := bytesOf(v, r); isView && isBufferValue(v, r) {
				r = rt.ToValue(string(data))
			}
			s, ok := r.(goja.String)
			if !ok {
				throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"reference\" argument must be of type string. Received %s", describeArg(c.Argument(1)))
			}
			ref = s.String()
		}
		// Grants are read at the call: a resumed world answers with the
		// grants of the process that resumed it.
		if ref == "" {
			wd, err := os.Getwd()
			if err != nil {
				throwf(v, "process.permission.has: %v", err)
			}
			ref = wd
		}
		p := v.Permissions()
		var granted bool
		switch scope.String() {
		case "fs.read":
			granted = p.Has(vm.FSRead, ref)
		case "fs.write":
			granted = p.Has(vm.FSWrite, ref)
		case "fs":
			// Node grants the whole scope only to "*" for both.
			granted = !p.Restricted() || grantsAll(p.FSRead) && grantsAll(p.FSWrite)
		}
		return rt.ToValue(granted)
	})
	if err := o.Set("has", has); err != nil {
		return err
	}
	if err := process.DefineDataPropertySymbol(symbolFor(v, "stasis.permission"), o, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return err
	}
	if !v.Permissions().Restricted() {
		return nil
	}
	return process.DefineDataProperty("permission", o, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
}

// grantsAll reports whether a list of grants has "*".
func grantsAll(list []string) bool {
	for _, g := range list {
		if strings.TrimSpace(g) == "*" {
			return true
		}
	}
	return false
}

// isBufferValue reports whether val is a Buffer of v's buffer module.
func isBufferValue(v *vm.VM, val goja.Value) bool {
	o, ok := val.(*goja.Object)
	mod := BuiltinModule(v, "buffer")
	if !ok || mod == nil {
		return false
	}
	ctor, ok := mod.Get("Buffer").(*goja.Object)
	if !ok {
		return false
	}
	proto, ok := ctor.Get("prototype").(*goja.Object)
	return ok && instanceOf(o, proto)
}
