package vm

import (
	"slices"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm/heap"
)

// Reading properties without running the world's code. The runtime's own
// Object.getOwnPropertyDescriptor (taken before the world could replace
// it) runs no JavaScript for an object that is not a Proxy, but the
// descriptor object it makes is an ordinary object of Object.prototype:
// goja sets its fields as an assignment would, so a setter the world put
// on Object.prototype under a field's name ("value", "get", …) runs, and a
// getter without a setter there leaves the field out; reading a field the
// descriptor lacks with Get finds a getter of that name and runs it. So
// such properties of Object.prototype are kept out of sight while a
// descriptor is made, and the descriptor is cut from its prototype before
// it is read.

// Property is an own property of an object, as OwnProperty reads it.
type Property struct {
	// Value is a data property's value (nil for an accessor).
	Value goja.Value
	// Accessor tells an accessor property from a data property.
	Accessor bool
	// Getter and Setter are an accessor's functions, nil where it has none.
	Getter, Setter *goja.Object
	// Enumerable is the property's enumerable attribute.
	Enumerable bool
}

// OwnProperty reads o's own property key (a string or a *goja.Symbol)
// without running any of the world's code, whatever the world did to
// Object.prototype or Object.getOwnPropertyDescriptor. A Proxy has no
// property here (reading one would call its traps). It reports false when
// o has no such property.
func (v *VM) OwnProperty(o *goja.Object, key any) (Property, bool) {
	return v.props.own(o, key)
}

// descriptorFields are the names of a property descriptor's fields.
var descriptorFields = []string{"value", "writable", "get", "set", "enumerable", "configurable"}

// propReader reads own properties without running the world's code.
type propReader struct {
	rt          *goja.Runtime
	gopd        goja.Callable // the runtime's Object.getOwnPropertyDescriptor
	objectProto *goja.Object  // the runtime's Object.prototype
}

// newPropReader makes a propReader of rt's Object.getOwnPropertyDescriptor
// as the global Object has it now: the runtime's own only while no code of
// the world has run.
func newPropReader(rt *goja.Runtime) propReader {
	r := propReader{rt: rt, objectProto: rt.NewObject().Prototype()}
	if obj, ok := rt.Get("Object").(*goja.Object); ok {
		r.gopd, _ = goja.AssertFunction(obj.Get("getOwnPropertyDescriptor"))
	}
	return r
}

// own reads o's own property key (a string or a *goja.Symbol).
func (r propReader) own(o *goja.Object, key any) (p Property, ok bool) {
	if o == nil || r.gopd == nil || o.ExportType() == proxyType {
		return Property{}, false
	}
	defer func() {
		if recover() != nil {
			p, ok = Property{}, false
		}
	}()
	if heap.Check() != nil {
		// Without goja's internals nothing can be hidden: read only
		// while Object.prototype has no field of a descriptor's name.
		for _, name := range r.objectProto.GetOwnPropertyNames() {
			if slices.Contains(descriptorFields, name) {
				return Property{}, false
			}
		}
	} else {
		hidden, restore := heap.HideOwn(r.objectProto, descriptorFields)
		defer restore()
		if name, isString := key.(string); isString && o == r.objectProto && hidden[name] != nil {
			return hiddenProperty(hidden[name]), true
		}
	}
	d, err := r.gopd(goja.Undefined(), o, r.rt.ToValue(key))
	if err != nil {
		return Property{}, false
	}
	desc, isObject := d.(*goja.Object)
	if !isObject || desc.SetPrototype(nil) != nil {
		return Property{}, false
	}
	p.Enumerable = desc.Get("enumerable").ToBoolean()
	get, set := desc.Get("get"), desc.Get("set")
	if get == nil && set == nil {
		if p.Value = desc.Get("value"); p.Value == nil {
			p.Value = goja.Undefined()
		}
		return p, true
	}
	p.Accessor = true
	p.Getter, _ = get.(*goja.Object)
	p.Setter, _ = set.(*goja.Object)
	return p, true
}

// hiddenProperty reads a property of Object.prototype that HideOwn took
// out of its table.
func hiddenProperty(v goja.Value) Property {
	vp := heap.AsProperty(v)
	if vp == nil {
		return Property{Value: v, Enumerable: true}
	}
	p := Property{Enumerable: *vp.Enumerable()}
	if *vp.Accessor() {
		p.Accessor, p.Getter, p.Setter = true, *vp.GetterFunc(), *vp.SetterFunc()
		return p
	}
	if p.Value = *vp.Value(); p.Value == nil {
		p.Value = goja.Undefined()
	}
	return p
}
