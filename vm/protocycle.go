package vm

import (
	"reflect"

	"github.com/dop251/goja"
)

// Prototype cycles through proxies. The language forbids a cycle of
// prototypes, but the check stops at a Proxy, so `Object.setPrototypeOf(t,
// new Proxy(t, {}))` makes one; a property lookup then follows it forever
// inside goja, in Go, with no JavaScript frame for the call-stack limit to
// count, until Go's stack is exhausted and the process dies. (Node gives a
// RangeError at the lookup.) Every way JavaScript has to change an existing
// object's prototype — Object.setPrototypeOf, Reflect.setPrototypeOf and the
// __proto__ setter — is therefore wrapped to refuse, with V8's TypeError,
// a prototype whose chain, followed through proxies to their targets, leads
// back to the object.

var proxyType = reflect.TypeOf(goja.Proxy{})

// maxChain bounds the walk of a prototype chain: no real chain comes close.
const maxChain = 1 << 20

// proxyTarget returns o's target when o is a proxy (nil once revoked).
func proxyTarget(o *goja.Object) (*goja.Object, bool) {
	if o.ExportType() != proxyType {
		return nil, false
	}
	p, _ := o.Export().(goja.Proxy)
	return p.Target(), true
}

// cyclic reports whether making proto the prototype of o closes a cycle
// that runs through a proxy.
func cyclic(o, proto *goja.Object) bool {
	self := map[*goja.Object]bool{}
	for x, n := o, 0; x != nil && n < maxChain; n++ {
		self[x] = true
		t, isProxy := proxyTarget(x)
		if !isProxy {
			break
		}
		x = t
	}
	throughProxy := len(self) > 1
	for x, n := proto, 0; x != nil && n < maxChain; n++ {
		if self[x] {
			return throughProxy
		}
		if t, isProxy := proxyTarget(x); isProxy {
			throughProxy = true
			x = t
			continue
		}
		x = x.Prototype()
	}
	return false
}

// guardPrototypeCycles wraps the built-ins that set an existing object's
// prototype. The wrappers keep the originals' names and lengths.
func (v *VM) guardPrototypeCycles() error {
	rt := v.rt
	check := func(o, proto goja.Value) {
		if oo, ok := o.(*goja.Object); ok {
			if po, ok := proto.(*goja.Object); ok && cyclic(oo, po) {
				panic(rt.NewTypeError("Cyclic __proto__ value"))
			}
		}
	}
	wrap := func(holder string, name string, length int) error {
		h := rt.Get(holder).ToObject(rt)
		orig, ok := goja.AssertFunction(h.Get(name))
		if !ok {
			return nil
		}
		fn := v.NewFunction(name, length, func(c goja.FunctionCall) goja.Value {
			check(c.Argument(0), c.Argument(1))
			r, err := orig(goja.Undefined(), c.Arguments...)
			if err != nil {
				panic(err)
			}
			return r
		})
		return h.DefineDataProperty(name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
	if err := wrap("Object", "setPrototypeOf", 2); err != nil {
		return err
	}
	if err := wrap("Reflect", "setPrototypeOf", 2); err != nil {
		return err
	}
	objectProto := v.props.objectProto
	desc, ok := v.props.own(objectProto, "__proto__")
	if !ok || desc.Setter == nil {
		return nil
	}
	setter, ok := goja.AssertFunction(desc.Setter)
	if !ok {
		return nil
	}
	wrapped := v.NewFunction("set __proto__", 1, func(c goja.FunctionCall) goja.Value {
		check(c.This, c.Argument(0))
		r, err := setter(c.This, c.Arguments...)
		if err != nil {
			panic(err)
		}
		return r
	})
	var getter goja.Value = goja.Undefined()
	if desc.Getter != nil {
		getter = desc.Getter
	}
	return objectProto.DefineAccessorProperty("__proto__", getter, wrapped, goja.FLAG_TRUE, goja.FLAG_FALSE)
}
