package natives

import (
	"fmt"
	"strings"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// Built-in modules are what require("fs") and the like return: an exports
// object per name, per world. A plugin makes its module in Install and
// registers it there, so that the module and its functions are built-ins of
// the world (saved in images by name, never by value). The table is a
// JavaScript object kept as the non-enumerable property require.builtin.

type builtinsKey struct{}

// builtinTable returns v's table of built-in modules, making it on first use.
func builtinTable(v *vm.VM) *goja.Object {
	if o, ok := v.Attachment(builtinsKey{}).(*goja.Object); ok {
		return o
	}
	o := v.Runtime().NewObject()
	_ = o.SetPrototype(nil)
	v.SetAttachment(builtinsKey{}, o)
	return o
}

// RegisterModule makes exports the built-in module name of v's require
// (also reachable as "node:" + name). Call it from a plugin's Install.
func RegisterModule(v *vm.VM, name string, exports *goja.Object) error {
	if name == "" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "/") || strings.HasPrefix(name, "node:") {
		return fmt.Errorf("invalid built-in module name %q", name)
	}
	t := builtinTable(v)
	if old := t.Get(name); old != nil {
		return fmt.Errorf("built-in module %q registered twice", name)
	}
	// A module's exports are enumerable, as Node's are ({...fs}, Object.keys);
	// a function's own name, length and prototype stay as they are.
	if _, isFunc := goja.AssertFunction(exports); !isFunc {
		for _, k := range exports.GetOwnPropertyNames() {
			if err := exports.DefineDataProperty(k, exports.Get(k), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
				return fmt.Errorf("built-in module %q: %w", name, err)
			}
		}
	}
	return t.DefineDataProperty(name, exports, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// BuiltinModule returns the exports of v's built-in module name, or nil.
func BuiltinModule(v *vm.VM, name string) *goja.Object {
	name = strings.TrimPrefix(name, "node:")
	if name == "" {
		return nil
	}
	o, _ := builtinTable(v).Get(name).(*goja.Object)
	return o
}

// BuiltinModules lists the names of v's built-in modules.
func BuiltinModules(v *vm.VM) []string {
	return builtinTable(v).Keys()
}
