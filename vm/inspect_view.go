package vm

import (
	"fmt"
	"strings"

	"github.com/dop251/goja"
)

// A View is how Inspect shows an object of a native's kind, in place of its
// own properties (which a native object mostly keeps in its state, out of
// sight): Node shows a URL's parts and a URLSearchParams' pairs.
type View struct {
	// Fields are shown as "key: value", in order, as an object's own
	// properties are (URL { href: '...', origin: '...' }).
	Fields []ViewField
	// Pairs, a flat list of keys and values, are shown as "key => value"
	// when Fields is empty, as Node shows a URLSearchParams' entries.
	Pairs []goja.Value
	// Anonymous shows the Fields as a plain object's, without the
	// constructor's name, as Node shows a TextEncoder ({ encoding: 'utf-8' }).
	Anonymous bool
	// Own shows o's own enumerable properties too, after the string-keyed
	// Fields and before the symbol-keyed ones, the order in which Node
	// lists an object's keys (what a subclass of an EventEmitter adds).
	Own bool
	// Keyed tells that Node's object of this kind has keys of its own, where
	// ours keeps its state out of sight: past the depth it then shows as
	// [Name] (Node's [EventEmitter]) rather than as an empty object (Node's
	// URL {}, whose inspect.custom then gives the URL, which has no keys).
	Keyed bool
	// Throw, when set, is what printing the object throws, as Node's
	// inspect.custom of the class throws for an object that has its
	// prototype but not its state (Object.create(TextEncoder.prototype)):
	// the printer throws it where InspectOptions.Throw says so, and
	// otherwise prints the object as an ordinary one.
	Throw goja.Value
}

// ViewField is one "key: value" of a View.
type ViewField struct {
	// Key is the field's name, quoted as a property key is when it must be.
	Key string
	// Symbol shows Key as the description of a symbol: [Symbol(Key)].
	Symbol bool
	// Value is shown as the value of a property is.
	Value goja.Value
}

// ViewReader reads an object's own data property key (a string or a
// *goja.Symbol; nil when it is missing or an accessor, or the object is a
// Proxy) without running any JavaScript: what a ViewFunc uses to read a
// state that a hostile image may have shaped as it likes.
type ViewReader func(o *goja.Object, key any) goja.Value

// ViewFunc makes the View of o, an object that has the prototype the
// function was registered for somewhere on its chain. state is o's own data
// property under Symbol.for("stasis.state"), or failing that the nearest
// one on its chain below that prototype (Object.create(new TextDecoder())
// has its prototype's, which the class's methods find too); nil when there
// is none (a native that keeps no state there reads o). It must not call into
// JavaScript (no Get of a property that may be a getter, no method calls,
// no key listing of a Proxy): it reads through read. It may make new
// objects to show. It returns false when o is not one it can show (a
// look-alike made with Object.create, a state of the wrong shape); o then
// prints as an ordinary object. A View with Throw says what printing o
// throws instead.
type ViewFunc func(o, state *goja.Object, read ViewReader) (View, bool)

// SetView registers f as the way Inspect (through the VM's Inspect and
// FormatArgs: console.log, util.inspect, the REPL) shows objects that
// inherit from proto. Natives call it when they install their classes.
func (v *VM) SetView(proto *goja.Object, f ViewFunc) {
	if v.views == nil {
		v.views = &views{byProto: map[*goja.Object]ViewFunc{}}
		// Natives install before any of the world's code runs, so this is
		// still the runtime's own Symbol.for.
		if sym, err := v.symbolFor("stasis.state"); err == nil {
			v.views.state = sym
		}
	}
	v.views.byProto[proto] = f
}

// views are the natives' views of a VM.
type views struct {
	byProto map[*goja.Object]ViewFunc
	state   *goja.Symbol // Symbol.for("stasis.state")
}

// symbolFor calls the global Symbol.for.
func (v *VM) symbolFor(key string) (sym *goja.Symbol, err error) {
	err = v.Try("Symbol.for", func() error {
		f, ok := goja.AssertFunction(v.rt.Get("Symbol").ToObject(v.rt).Get("for"))
		if !ok {
			return fmt.Errorf("Symbol.for is not a function")
		}
		s, err := f(goja.Undefined(), v.rt.ToValue(key))
		if err != nil {
			return err
		}
		if sym, ok = s.(*goja.Symbol); !ok {
			return fmt.Errorf("Symbol.for gave no symbol")
		}
		return nil
	})
	return sym, err
}

// Inspect is the package's Inspect with the views natives registered.
// It runs a Symbol.toStringTag getter, as Node's util.inspect does.
func (v *VM) Inspect(val goja.Value, opts InspectOptions) string {
	return inspect(world{props: v.props, views: v.views, getters: true}, val, opts)
}

// FormatArgs is the package's FormatArgs with the views natives registered.
// It runs a Symbol.toStringTag getter, as Node's util.format does.
func (v *VM) FormatArgs(args []goja.Value, opts InspectOptions) string {
	return formatArgs(world{props: v.props, views: v.views, getters: true}, args, opts)
}

// view finds the view of o, if a native registered one for a prototype on
// its chain and it accepts o.
func (p *printer) view(o *goja.Object) (View, bool) {
	if p.views == nil || p.views.state == nil {
		return View{}, false
	}
	state, _ := p.data(o, p.views.state).(*goja.Object)
	for proto, n := p.prototype(o), 0; proto != nil && n < maxProtoDepth; proto, n = p.prototype(proto), n+1 {
		f, ok := p.views.byProto[proto]
		if !ok {
			if state == nil {
				state, _ = p.data(proto, p.views.state).(*goja.Object)
			}
			continue
		}
		if state != nil {
			if _, isProxy := proxyTarget(state); isProxy {
				return View{}, false
			}
		}
		return f(o, state, p.readData)
	}
	return View{}, false
}

// readData is the ViewReader of the printer.
func (p *printer) readData(o *goja.Object, key any) goja.Value {
	return p.data(o, key)
}

// viewed formats a View of o.
func (p *printer) viewed(o *goja.Object, vw View, depth int) string {
	name := orDefault(p.constructorName(o), "Object")
	if len(vw.Fields) == 0 {
		return p.viewPairs(name, vw.Pairs, depth)
	}
	var strs, syms []string
	for _, f := range vw.Fields {
		p.indent += 2
		s := p.value(f.Value, depth+1, false)
		p.indent -= 2
		if f.Symbol {
			syms = append(syms, "[Symbol("+f.Key+")]: "+s)
		} else {
			strs = append(strs, keyString(f.Key)+": "+s)
		}
	}
	if vw.Own {
		ownStrs, ownSyms := p.ownEntryParts(o, depth, false)
		strs, syms = append(strs, ownStrs...), append(syms, ownSyms...)
	}
	head := name + " "
	if vw.Anonymous {
		head = ""
	}
	return p.wrap(depth, head, "{", "}", append(strs, syms...), nil)
}

// viewPairs lays out pairs as Node's URLSearchParams[inspect.custom] does:
// on one line when they fit, else one a line with the brace after the last.
func (p *printer) viewPairs(name string, pairs []goja.Value, depth int) string {
	var out []string
	length := -2
	for i := 0; i+1 < len(pairs); i += 2 {
		s := p.value(pairs[i], depth+1, false) + " => " + p.value(pairs[i+1], depth+1, false)
		out = append(out, s)
		length += visibleLen(s) + 2
	}
	switch {
	case len(out) == 0:
		return name + " {}"
	case length > p.opts.BreakLength:
		p.shown = true
		return name + " {\n  " + strings.Join(out, ",\n  ") + " }"
	}
	p.shown = true
	return name + " { " + strings.Join(out, ", ") + " }"
}
