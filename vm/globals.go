package vm

import (
	"sort"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm/heap"
)

// What a REPL or a debugger may ask of a world without reaching into goja's
// internals itself: the world's global names, top-level let, const and
// class bindings included (goja keeps those out of the global object, where
// no public API shows them), and the kind of an object.

// Binding is one top-level let, const or class binding of the world.
type Binding struct {
	Name  string     // the binding's name
	Const bool       // const, or a class (which cannot be assigned either in strict code)
	Value goja.Value // nil while the binding is in its temporal dead zone
}

// Lexicals lists the world's top-level let, const and class bindings, in
// the order of their slots (script by script; within a script, the order
// goja's compiler gave them). It is nil if this build of goja cannot be
// read (heap.Check fails).
func (v *VM) Lexicals() []Binding {
	if heap.Check() != nil {
		return nil
	}
	bs := heap.GlobalBindings(v.rt)
	out := make([]Binding, 0, len(bs))
	for _, b := range bs {
		if b.Name != "" {
			out = append(out, Binding{Name: b.Name, Const: b.Const, Value: b.Value})
		}
	}
	return out
}

// GlobalNames lists the names a word alone may refer to at the world's top
// level: the string-keyed properties of the global object, own and
// inherited, and the top-level let, const and class bindings. They are
// sorted, each once. Listing them never runs the world's code: the walk up
// the prototype chain stops at a Proxy.
func (v *VM) GlobalNames() []string {
	seen := map[string]bool{}
	var names []string
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, level := range PropertyNames(v.rt.GlobalObject()) {
		for _, n := range level {
			add(n)
		}
	}
	for _, b := range v.Lexicals() {
		add(b.Name)
	}
	sort.Strings(names)
	return names
}

// PropertyNames lists the string-keyed property names of o and of its
// prototypes, a list for each: o's own first, then its prototype's, and so
// on up the chain (a name that two levels share is in both). It runs no
// code of the world: it stops at a Proxy, whose traps it would otherwise
// call.
func PropertyNames(o *goja.Object) [][]string {
	var levels [][]string
	for depth := 0; o != nil && depth < maxProtoDepth; depth++ {
		if KindOf(o) == KindProxy {
			break
		}
		levels = append(levels, o.GetOwnPropertyNames())
		o = o.Prototype()
	}
	return levels
}

// maxProtoDepth bounds a walk up a prototype chain; a longer chain than
// this is a cycle that goja let through, or an attack.
const maxProtoDepth = 100

// Kind is the sort of an object as Node's util.types and util.inspect tell
// them apart, from what the object is rather than what it says it is (its
// source text, its toStringTag or its constructor can all be changed).
type Kind uint8

// The kinds of objects KindOf tells apart.
const (
	KindObject            Kind = iota // any object not listed below
	KindArray                         // an Array, dense or sparse
	KindFunction                      // a function, method, arrow, native or bound function
	KindAsyncFunction                 // an async function, method or arrow
	KindGeneratorFunction             // a generator function or method
	KindClass                         // a class
	KindProxy                         // a Proxy, whatever its target
)

var kindStrings = [...]string{
	KindObject: "Object", KindArray: "Array", KindFunction: "Function", KindAsyncFunction: "AsyncFunction",
	KindGeneratorFunction: "GeneratorFunction", KindClass: "Class", KindProxy: "Proxy",
}

// String returns the kind's name as Node prints it ("AsyncFunction").
func (k Kind) String() string {
	if int(k) < len(kindStrings) {
		return kindStrings[k]
	}
	return "Object"
}

// KindOf returns the kind of o. It never runs the world's code. If this
// build of goja cannot be read (heap.Check fails), every object is
// KindObject.
func KindOf(o *goja.Object) Kind {
	if o == nil || heap.Check() != nil {
		return KindObject
	}
	switch heap.KindOf(o) {
	case heap.KindArray, heap.KindSparseArray:
		return KindArray
	case heap.KindFunction, heap.KindMethod, heap.KindArrow, heap.KindNative, heap.KindBound:
		return KindFunction
	case heap.KindAsyncFunction, heap.KindAsyncMethod, heap.KindAsyncArrow:
		return KindAsyncFunction
	case heap.KindGeneratorFunction, heap.KindGeneratorMethod:
		return KindGeneratorFunction
	case heap.KindClass:
		return KindClass
	case heap.KindProxy:
		return KindProxy
	}
	return KindObject
}
