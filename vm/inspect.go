package vm

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm/heap"
)

// InspectOptions control Inspect.
type InspectOptions struct {
	// Depth is how deep nested objects are shown before they print as
	// [Object] or [Array]. Zero means 2, as in Node; negative means no limit.
	Depth int
	// Colors adds ANSI colours as Node's REPL uses them.
	Colors bool
	// MaxArrayLength is how many items of an array, Map or Set are shown
	// before "... N more items". Zero means 100.
	MaxArrayLength int
	// BreakLength is the width past which entries go one per line. Zero means 80.
	BreakLength int
	// TrimScriptFrames cuts the stack of an Error that is the value shown
	// (not one nested in it) at its last frame outside any named function,
	// which is the top level of the script that threw, as Node's REPL does
	// when it prints an uncaught error.
	TrimScriptFrames bool
	// Throw makes the VM's Inspect and FormatArgs throw where Node's
	// util.inspect throws: when a Symbol.toStringTag getter throws, and for
	// an object that has a native class's prototype but not its state
	// (Object.create(TextEncoder.prototype)), whose View says what Node's
	// inspect.custom of the class throws. They then panic with the thrown
	// value, which a native function's JavaScript caller receives as an
	// exception (console.log and util.inspect set it). Without it, such a
	// getter gives no tag and such an object prints as an ordinary one.
	Throw bool
}

// Inspect formats v for people, in the manner of Node's util.inspect: strings
// quoted, objects with their class names, Maps and Sets with their entries,
// cycles marked <ref *1> ... [Circular *1], nesting cut at a depth. It never
// runs user code (no getters, no toString) and never changes the world.
//
// It shows no native's View, and it reads properties through the
// Object.getOwnPropertyDescriptor that the global Object has when it is
// called: VM.Inspect shows views and uses the runtime's own, which the
// world cannot replace, and runs the one getter Node's util.inspect runs,
// a Symbol.toStringTag's.
func Inspect(rt *goja.Runtime, v goja.Value, opts InspectOptions) string {
	return inspect(world{props: newPropReader(rt)}, v, opts)
}

// world is what the printer needs of a VM.
type world struct {
	props propReader // reads properties (and knows the runtime)
	views *views     // natives' views, or nil
	// getters lets the printer run Symbol.toStringTag getters, as Node's
	// util.inspect does.
	getters bool
}

// escape carries a panic out of the printer's own recovers, to be made
// again as it was once the printer is left: a value thrown where Node's
// util.inspect throws (InspectOptions.Throw), or an uncatchable error (an
// interrupt) from a getter the printer ran.
type escape struct{ val any }

// mustEscape reports whether r, recovered inside the printer, is to go on.
func mustEscape(r any) bool {
	_, ok := r.(escape)
	return ok
}

func inspect(w world, v goja.Value, opts InspectOptions) string {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(escape); ok {
				panic(e.val)
			}
			panic(r)
		}
	}()
	if opts.Depth == 0 {
		opts.Depth = 2
	}
	if opts.MaxArrayLength == 0 {
		opts.MaxArrayLength = 100
	}
	if opts.BreakLength == 0 {
		opts.BreakLength = 80
	}
	p := &printer{rt: w.props.rt, views: w.views, props: w.props, getters: w.getters, opts: opts, seen: map[*goja.Object]bool{}, refs: map[*goja.Object]int{}}
	p.findCycles(v, 0)
	return p.value(v, 0, true)
}

// FormatArgs formats console arguments as Node's util.format does: a first
// string may hold %s %d %i %f %j %o %O %c %% directives; strings print as
// they are, other values through Inspect.
func FormatArgs(rt *goja.Runtime, args []goja.Value, opts InspectOptions) string {
	return formatArgs(world{props: newPropReader(rt)}, args, opts)
}

func formatArgs(w world, args []goja.Value, opts InspectOptions) string {
	var parts []string
	rest := args
	if len(args) > 0 {
		if s, ok := args[0].(goja.String); ok {
			rest = args[1:]
			str := s.String()
			if strings.IndexByte(str, '%') >= 0 && len(rest) > 0 {
				str, rest = formatDirectives(w, str, rest, opts)
			}
			parts = append(parts, str)
		}
	}
	for _, a := range rest {
		if s, ok := a.(goja.String); ok {
			parts = append(parts, s.String())
		} else {
			parts = append(parts, inspect(w, a, opts))
		}
	}
	return strings.Join(parts, " ")
}

func formatDirectives(w world, f string, args []goja.Value, opts InspectOptions) (string, []goja.Value) {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		c := f[i+1]
		if c == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		if len(args) == 0 || !strings.ContainsRune("sdifjoOc", rune(c)) {
			b.WriteByte('%')
			continue
		}
		a := args[0]
		args = args[1:]
		i++
		switch c {
		case 's':
			if s, ok := a.(goja.String); ok {
				b.WriteString(s.String())
			} else {
				b.WriteString(inspect(w, a, InspectOptions{Depth: 1, Throw: opts.Throw}))
			}
		case 'd', 'i':
			n := a.ToFloat()
			if c == 'i' {
				n = math.Trunc(n)
			}
			b.WriteString(formatNumber(w.props.rt, n))
		case 'f':
			b.WriteString(formatNumber(w.props.rt, a.ToFloat()))
		case 'j':
			s, err := jsonStringify(w.props.rt, a)
			if err != nil {
				s = "[Circular]"
			}
			b.WriteString(s)
		case 'o', 'O':
			b.WriteString(inspect(w, a, opts))
		case 'c':
		}
	}
	return b.String(), args
}

func jsonStringify(rt *goja.Runtime, v goja.Value) (s string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	b, err := v.ToObject(rt).MarshalJSON()
	return string(b), err
}

func formatNumber(rt *goja.Runtime, f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0 && math.Signbit(f):
		return "-0"
	}
	return rt.ToValue(f).String()
}

type printer struct {
	rt      *goja.Runtime
	views   *views     // natives' views, by prototype
	props   propReader // reads properties without running the world's code
	getters bool       // runs Symbol.toStringTag getters (world.getters)
	opts    InspectOptions
	seen    map[*goja.Object]bool // on the current path
	refs    map[*goja.Object]int  // objects that close a cycle: their ref number (0 = not numbered yet)
	next    int

	// As Node's ctx.indentationLvl: the indentation of the value being
	// formatted, which narrows the room for lines.
	indent int
	// As Node's ctx.currentDepth: the depth (1 for the top) of the last
	// object that began to show entries. An object that holds one three
	// levels deeper goes over several lines.
	currentDepth int
	// shown is set when an object laid out any entry.
	shown bool
}

const (
	cNumber  = "\x1b[33m"
	cString  = "\x1b[32m"
	cSpecial = "\x1b[36m"
	cGrey    = "\x1b[90m"
	cBold    = "\x1b[1m"
	cReset   = "\x1b[0m"
	cRegExp  = "\x1b[31m"
	cDate    = "\x1b[35m"
)

func (p *printer) color(c, s string) string {
	if !p.opts.Colors {
		return s
	}
	return c + s + cReset
}

// findCycles marks the objects that are reached again from inside themselves.
func (p *printer) findCycles(v goja.Value, depth int) {
	o, ok := v.(*goja.Object)
	if !ok || depth > 64 {
		return
	}
	if p.seen[o] {
		p.refs[o] = 0
		return
	}
	p.seen[o] = true
	for _, c := range p.children(o) {
		p.findCycles(c, depth+1)
	}
	delete(p.seen, o)
}

// children lists the values an object shows (safely, without getters).
func (p *printer) children(o *goja.Object) (out []goja.Value) {
	defer func() { recover() }()
	if target, isProxy := proxyTarget(o); isProxy {
		if target == nil {
			return nil
		}
		return []goja.Value{target} // what prints in its place
	}
	for _, k := range o.Keys() {
		if d, ok := p.own(o, k); ok && !d.Accessor {
			out = append(out, d.Value)
		}
	}
	if kind := p.kindOf(o); kind == "Map" || kind == "Set" {
		p.eachEntry(o, func(k, v goja.Value) { out = append(out, k, v) })
	}
	return out
}

// own reads o's own property key (a string or a symbol) without running
// any of the world's code.
func (p *printer) own(o *goja.Object, key any) (Property, bool) {
	return p.props.own(o, key)
}

// data returns the value of o's own data property key, or nil when o has
// none (or an accessor).
func (p *printer) data(o *goja.Object, key any) goja.Value {
	if d, ok := p.own(o, key); ok && !d.Accessor {
		return d.Value
	}
	return nil
}

// prototype returns o's prototype, or nil when o is a Proxy (whose
// getPrototypeOf trap would run).
func (p *printer) prototype(o *goja.Object) *goja.Object {
	if _, isProxy := proxyTarget(o); isProxy {
		return nil
	}
	return o.Prototype()
}

func (p *printer) value(v goja.Value, depth int, top bool) string {
	switch {
	case v == nil || goja.IsUndefined(v):
		return p.color(cGrey, "undefined")
	case goja.IsNull(v):
		return p.color(cBold, "null")
	}
	switch x := v.(type) {
	case *goja.Object:
		// An object that shows no entries leaves currentDepth as it was,
		// as in Node, where such an object returns before setting it.
		prev := p.currentDepth
		p.currentDepth, p.shown = depth+1, false
		s := p.object(x, depth)
		if !p.shown {
			p.currentDepth = prev
		}
		return s
	case *goja.Symbol:
		return p.color(cString, symbolString(x))
	case goja.String:
		return p.color(cString, quote(x.String()))
	}
	switch e := v.Export().(type) {
	case bool:
		return p.color(cNumber, strconv.FormatBool(e))
	case int64:
		return p.color(cNumber, strconv.FormatInt(e, 10))
	case float64:
		return p.color(cNumber, formatNumber(p.rt, e))
	}
	if _, ok := v.Export().(*big.Int); ok {
		return p.color(cNumber, v.String()+"n")
	}
	return v.String()
}

func quote(s string) string {
	q := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, "\"") {
		q = "\""
	}
	var b strings.Builder
	b.WriteString(q)
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\\':
			b.WriteString(`\\`)
		case string(r) == q:
			b.WriteString(`\` + q)
		case r < 0x20:
			fmt.Fprintf(&b, `\x%02X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(q)
	return b.String()
}

// kindOf tells built-in kinds apart by their intrinsic prototypes' toStringTag-free checks.
func (p *printer) kindOf(o *goja.Object) string {
	// Export would copy an array, however sparse (and a Proxy's class is
	// never Array).
	if o.ClassName() == "Array" {
		return "Array"
	}
	switch o.Export().(type) {
	case goja.ArrayBuffer:
		return "ArrayBuffer"
	case *goja.Promise:
		return "Promise"
	case goja.Proxy:
		return "Proxy"
	}
	if _, ok := goja.AssertFunction(o); ok {
		return "Function" // async arrow functions have a class name of their own
	}
	cls := o.ClassName()
	switch cls {
	case "Array", "Function", "Date", "RegExp", "Error", "String", "Number", "Boolean", "Arguments", "Symbol", "BigInt":
		return cls
	}
	if heap.Check() == nil {
		switch heap.KindOf(o) {
		case heap.KindMap:
			return "Map"
		case heap.KindSet:
			return "Set"
		case heap.KindWeakMap, heap.KindWeakSet:
			return "Weak"
		case heap.KindIterator:
			switch heap.IterKindOf(o) {
			case heap.IterMap:
				return "Map Iterator"
			case heap.IterSet:
				return "Set Iterator"
			}
		}
	} else {
		switch {
		case p.is(o, "Map"):
			return "Map"
		case p.is(o, "Set"):
			return "Set"
		case p.is(o, "WeakMap") || p.is(o, "WeakSet"):
			return "Weak"
		}
	}
	if ta := p.typedArrayName(o); ta != "" {
		return "TypedArray"
	}
	return cls
}

// is reports whether o is a genuine instance of the built-in ctor, by
// calling a method of its prototype that refuses other receivers. It is
// what tells them when goja's internals cannot be read, and then calls the
// method the world's global ctor has.
func (p *printer) is(o *goja.Object, ctor string) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	method := map[string]string{"Map": "has", "Set": "has", "WeakMap": "has", "WeakSet": "has"}[ctor]
	c := p.intrinsic(ctor)
	if c == nil {
		return false
	}
	fn, _ := goja.AssertFunction(c.Get("prototype").ToObject(p.rt).Get(method))
	if fn == nil {
		return false
	}
	_, err := fn(o, goja.Undefined())
	return err == nil
}

func (p *printer) intrinsic(name string) *goja.Object {
	v := p.rt.Get(name)
	if o, ok := v.(*goja.Object); ok {
		return o
	}
	return nil
}

func (p *printer) typedArrayName(o *goja.Object) string {
	defer func() { recover() }()
	if _, ok := o.Export().(goja.ArrayBuffer); ok {
		return ""
	}
	switch o.Export().(type) {
	case []int8, []uint8, []int16, []uint16, []int32, []uint32, []float32, []float64, []int64, []uint64:
		return p.constructorName(o)
	}
	return ""
}

// eachEntry calls f with each entry of a Map or Set (key and value; a
// Set's value is its key), read from goja's table without running any
// code. When goja's internals cannot be read, it calls o's forEach.
func (p *printer) eachEntry(o *goja.Object, f func(k, v goja.Value)) {
	defer func() { recover() }()
	if heap.Check() == nil {
		set := heap.KindOf(o) == heap.KindSet
		for e := *(*heap.MapOf(o).M()).IterFirst(); e != nil; e = *e.IterNext() {
			if k := *e.Key(); k != nil {
				if set {
					f(k, k)
				} else {
					f(k, *e.Value())
				}
			}
		}
		return
	}
	forEach, _ := goja.AssertFunction(o.Get("forEach"))
	if forEach == nil {
		return
	}
	_, _ = forEach(o, p.rt.ToValue(func(c goja.FunctionCall) goja.Value {
		f(c.Argument(1), c.Argument(0))
		return goja.Undefined()
	}))
}

// inherited returns the value of the data property key that o has or
// inherits (nil when there is none, or an accessor or a Proxy is found
// first).
func (p *printer) inherited(o *goja.Object, key string) goja.Value {
	for cur, n := o, 0; cur != nil && n < maxProtoDepth; cur, n = p.prototype(cur), n+1 {
		if d, ok := p.own(cur, key); ok {
			if d.Accessor {
				return nil
			}
			return d.Value
		}
	}
	return nil
}

// errorHead is what Error.prototype.toString gives for o, from its data
// properties: "name: message".
func (p *printer) errorHead(o *goja.Object) string {
	name, msg := "Error", ""
	if v := p.inherited(o, "name"); v != nil && !goja.IsUndefined(v) {
		name = v.String()
	}
	if v := p.inherited(o, "message"); v != nil && !goja.IsUndefined(v) {
		msg = v.String()
	}
	switch {
	case msg == "":
		return name
	case name == "":
		return msg
	}
	return name + ": " + msg
}

// primitiveOf returns the primitive a Number, String, Boolean, Symbol or
// BigInt object holds, or nil when goja's internals cannot be read.
func primitiveOf(o *goja.Object) goja.Value {
	if heap.Check() != nil {
		return nil
	}
	switch heap.KindOf(o) {
	case heap.KindPrimitive:
		return *heap.PrimitiveOf(o).PValue()
	case heap.KindStringObject:
		return *heap.StringObjectOf(o).Value()
	}
	return nil
}

// isoString is Date.prototype.toISOString's form of t.
func isoString(t time.Time) string {
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		sign := "+"
		if y < 0 {
			sign, y = "-", -y
		}
		return fmt.Sprintf("%s%06d", sign, y) + t.Format("-01-02T15:04:05.000Z")
	}
	return t.Format("2006-01-02T15:04:05.000Z")
}

func (p *printer) constructorName(o *goja.Object) string {
	defer func() { recover() }()
	for proto, n := p.prototype(o), 0; proto != nil && n < maxProtoDepth; proto, n = p.prototype(proto), n+1 {
		if c, ok := p.data(proto, "constructor").(*goja.Object); ok {
			if name, ok := p.data(c, "name").(goja.String); ok && name.String() != "" {
				return name.String()
			}
		}
	}
	return ""
}

func (p *printer) object(o *goja.Object, depth int) (out string) {
	defer func() {
		if r := recover(); r != nil {
			if mustEscape(r) {
				panic(r)
			}
			out = "[object]"
		}
	}()
	if p.seen[o] {
		n := p.refs[o]
		if n == 0 {
			p.next++
			n = p.next
			p.refs[o] = n
		}
		return p.color(cSpecial, fmt.Sprintf("[Circular *%d]", n))
	}
	prefix := ""
	if _, cyc := p.refs[o]; cyc {
		defer func() {
			if n := p.refs[o]; n > 0 {
				out = p.color(cSpecial, fmt.Sprintf("<ref *%d>", n)) + " " + out
			}
		}()
	}
	kind := p.kindOf(o)
	if kind == "Function" {
		return p.function(o, depth)
	}
	vw, viewed := p.view(o)
	if viewed && vw.Throw != nil {
		if p.opts.Throw {
			panic(escape{vw.Throw})
		}
		vw, viewed = View{}, false
	}
	if viewed && p.opts.Depth >= 0 && depth > p.opts.Depth {
		// As in Node, whose URL's inspect.custom then gives the URL
		// itself (which has no keys) and URLSearchParams' gives [Object].
		if len(vw.Fields) == 0 {
			return p.color(cSpecial, "[Object]")
		}
		viewed = false
	}
	// Past the depth, an object shows as [Object]; but an empty one shows
	// as it is, as in Node, which looks at the keys first.
	if p.opts.Depth >= 0 && depth > p.opts.Depth && (vw.Keyed || !p.plainEmpty(o, kind)) {
		switch kind {
		case "Array":
			return p.color(cSpecial, "[Array]")
		case "Proxy":
			return p.color(cSpecial, "[Object]")
		}
		if o.Prototype() == nil {
			return p.color(cSpecial, "[Object: null prototype]")
		}
		name := p.constructorName(o)
		if name == "" {
			name = "Object"
		}
		if tag := p.toStringTag(o); tag != "" && tag != name {
			name += " [" + tag + "]"
		}
		return p.color(cSpecial, "["+name+"]")
	}
	p.seen[o] = true
	defer delete(p.seen, o)
	if viewed {
		return p.viewed(o, vw, depth)
	}
	var entries []string
	name := p.constructorName(o)
	switch kind {
	case "Array":
		var numeric bool
		entries, numeric = p.arrayEntries(o, depth)
		return prefix + p.wrapArray(depth, arrayPrefix(name, "Array"), entries, p.ownEntries(o, depth, true), numeric)
	case "Map", "Set":
		n := 0
		p.indent += 2
		p.eachEntry(o, func(k, v goja.Value) {
			n++
			if len(entries) >= p.opts.MaxArrayLength {
				return
			}
			if kind == "Map" {
				entries = append(entries, p.value(k, depth+1, false)+" => "+p.value(v, depth+1, false))
			} else {
				entries = append(entries, p.value(v, depth+1, false))
			}
		})
		p.indent -= 2
		if n > len(entries) {
			entries = append(entries, moreItems(int64(n-len(entries))))
		}
		return p.wrap(depth, fmt.Sprintf("%s(%d) ", orDefault(name, kind), n), "{", "}", entries, p.ownEntries(o, depth, false))
	case "Map Iterator", "Set Iterator":
		return p.iterator(o, kind, depth)
	case "Weak":
		return p.wrap(depth, orDefault(name, "WeakMap")+" ", "{", "}", []string{p.color(cSpecial, "<items unknown>")}, nil)
	case "Date":
		s := "Invalid Date"
		if t, ok := o.Export().(time.Time); ok {
			s = isoString(t)
		}
		return p.withOwn(p.color(cDate, s), o, depth)
	case "RegExp":
		return p.withOwn(p.color(cRegExp, o.String()), o, depth)
	case "Error":
		s := ""
		if st := p.inherited(o, "stack"); st != nil && !goja.IsUndefined(st) {
			s = NodeStack(st.String())
			if p.opts.TrimScriptFrames && depth == 0 {
				s = trimScriptFrames(s)
			}
		} else {
			s = p.errorHead(o)
		}
		own := p.ownEntries(o, depth, false)
		if len(own) == 0 {
			return s
		}
		return p.wrap(depth, s+" ", "{", "}", own, nil)
	case "Number", "String", "Boolean", "Symbol", "BigInt":
		inner := "?"
		if prim := primitiveOf(o); prim != nil {
			inner = p.value(prim, depth+1, false)
		} else if c := p.intrinsic(kind); c != nil {
			if valueOf, _ := goja.AssertFunction(c.Get("prototype").ToObject(p.rt).Get("valueOf")); valueOf != nil {
				if prim, err := valueOf(o); err == nil {
					inner = p.value(prim, depth+1, false)
				}
			}
		}
		own := p.ownEntries(o, depth, kind == "String")
		if len(own) == 0 {
			return fmt.Sprintf("[%s: %s]", kind, inner)
		}
		return p.wrap(depth, fmt.Sprintf("[%s: %s] ", kind, inner), "{", "}", own, nil)
	case "ArrayBuffer":
		ab := o.Export().(goja.ArrayBuffer)
		var hex []string
		for i, b := range ab.Bytes() {
			if i >= 50 {
				hex = append(hex, fmt.Sprintf("... %d more bytes", len(ab.Bytes())-50))
				break
			}
			hex = append(hex, fmt.Sprintf("%02x", b))
		}
		return p.wrap(depth, "ArrayBuffer ", "{", "}", []string{"[Uint8Contents]: <" + strings.Join(hex, " ") + ">", "byteLength: " + p.color(cNumber, strconv.Itoa(len(ab.Bytes())))}, nil)
	case "TypedArray":
		if b, ok := o.Export().([]byte); ok && p.typedArrayName(o) == "Buffer" {
			// Node shows a Buffer's bytes in hex: <Buffer 68 69 ... 50 more bytes>.
			var s strings.Builder
			s.WriteString("<Buffer")
			for i, c := range b {
				if i == 50 {
					fmt.Fprintf(&s, " ... %d more bytes", len(b)-50)
					break
				}
				fmt.Fprintf(&s, " %02x", c)
			}
			if len(b) == 0 {
				s.WriteString(" ")
			}
			return s.String() + ">"
		}
		n := reflect.ValueOf(o.Export()).Len()
		for i := 0; i < n && i < p.opts.MaxArrayLength; i++ {
			entries = append(entries, p.value(o.Get(strconv.Itoa(i)), depth+1, false))
		}
		if n > p.opts.MaxArrayLength {
			entries = append(entries, fmt.Sprintf("... %d more items", n-p.opts.MaxArrayLength))
		}
		return p.wrapArray(depth, fmt.Sprintf("%s(%d) ", p.typedArrayName(o), n), entries, nil, true)
	case "Promise":
		pr := o.Export().(*goja.Promise)
		p.indent += 2
		switch pr.State() {
		case goja.PromiseStatePending:
			entries = []string{p.color(cSpecial, "<pending>")}
		case goja.PromiseStateFulfilled:
			entries = []string{p.value(pr.Result(), depth+1, false)}
		default:
			entries = []string{p.color(cSpecial, "<rejected>") + " " + p.value(pr.Result(), depth+1, false)}
		}
		p.indent -= 2
		return p.wrap(depth, "Promise ", "{", "}", entries, p.ownEntries(o, depth, false))
	case "Proxy":
		px := o.Export().(goja.Proxy)
		if px.Target() == nil {
			return "<Revoked Proxy>"
		}
		return p.value(px.Target(), depth, false)
	}
	own := p.ownEntries(o, depth, false)
	head := ""
	switch {
	case o.Prototype() == nil:
		head = "[Object: null prototype] "
	case kind == "Arguments":
		head = "[Arguments] "
	case name != "" && name != "Object":
		head = name + " "
	}
	if tag := p.toStringTag(o); tag != "" && tag != name {
		if head == "" {
			head = "Object "
		}
		head = strings.TrimSuffix(head, " ") + " [" + tag + "] "
	}
	if len(own) == 0 {
		return head + "{}"
	}
	return p.wrap(depth, head, "{", "}", own, nil)
}

// iterator formats a Map or Set iterator as Node does, with the entries it
// has still to give (it does not move): "[Map Iterator] { 1, 2 }" for one
// that gives keys or values, "[Map Entries] { [ 1, 2 ] }" for one that
// gives entries (and so for Sets).
func (p *printer) iterator(o *goja.Object, kind string, depth int) string {
	keys, values, yields := heap.MapIterRest(o)
	head := "[" + kind + "] "
	if yields == 2 {
		head = "[" + strings.TrimSuffix(kind, " Iterator") + " Entries] "
	}
	var entries []string
	p.indent += 2
	for i := range keys {
		if i == p.opts.MaxArrayLength {
			entries = append(entries, moreItems(int64(len(keys)-i)))
			break
		}
		switch yields {
		case 0:
			entries = append(entries, p.value(keys[i], depth+1, false))
		case 1:
			entries = append(entries, p.value(values[i], depth+1, false))
		default:
			pair := []string{p.value(keys[i], depth+1, false), p.value(values[i], depth+1, false)}
			entries = append(entries, p.layout(depth, "", "[", "]", pair, nil))
		}
	}
	p.indent -= 2
	own := p.ownEntries(o, depth, false)
	if len(entries)+len(own) == 0 {
		return head + "{  }" // as Node joins no entries
	}
	return p.wrap(depth, head, "{", "}", entries, own)
}

// plainEmpty reports whether o is an array or a plain object with no
// keys of its own.
func (p *printer) plainEmpty(o *goja.Object, kind string) bool {
	switch kind {
	case "Array":
		return o.Get("length").ToInteger() == 0 && len(o.Keys()) == 0 && len(o.Symbols()) == 0
	case "Object":
		return len(o.Keys()) == 0 && len(o.Symbols()) == 0
	}
	return false
}

// toStringTag returns the Symbol.toStringTag that o has or inherits, or "",
// as Node's util.inspect finds it: a tag that is an enumerable property of
// o itself is no tag (it shows with o's properties), nor is one that is not
// a string. A getter gives the tag by running (with o as this), as in Node,
// where the printer may run code (the VM's printer); a getter that throws
// gives none, or makes the printing throw (InspectOptions.Throw), as in
// Node.
func (p *printer) toStringTag(o *goja.Object) string {
	d, own, ok := p.findTag(o)
	if !ok {
		return ""
	}
	val := d.Value
	if d.Accessor {
		val = p.runGetter(o, d.Getter)
	}
	if own && d.Enumerable {
		return ""
	}
	if s, ok := val.(goja.String); ok {
		return s.String()
	}
	return ""
}

// findTag finds the Symbol.toStringTag property o has or inherits; own
// reports that it is o's own.
func (p *printer) findTag(o *goja.Object) (d Property, own, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	for cur, n := o, 0; cur != nil && n < maxProtoDepth; cur, n = p.prototype(cur), n+1 {
		if d, ok := p.own(cur, goja.SymToStringTag); ok {
			return d, cur == o, true
		}
	}
	return Property{}, false, false
}

// runGetter calls getter with o as this, when the printer may run code;
// nil if it may not or the getter throws (unless the printing is to throw
// then). An interrupt goes on.
func (p *printer) runGetter(o, getter *goja.Object) goja.Value {
	if !p.getters || getter == nil {
		return nil
	}
	fn, ok := goja.AssertFunction(getter)
	if !ok {
		return nil
	}
	val, err := fn(o)
	if err == nil {
		return val
	}
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		panic(escape{err})
	}
	if p.opts.Throw {
		panic(escape{ex.Value()})
	}
	return nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func arrayPrefix(name, def string) string {
	if name == "" || name == def {
		return ""
	}
	return name + "(0) "
}

func (p *printer) withOwn(s string, o *goja.Object, depth int) string {
	own := p.ownEntries(o, depth, false)
	if len(own) == 0 {
		return s
	}
	return p.wrap(depth, s+" ", "{", "}", own, nil)
}

func (p *printer) function(o *goja.Object, depth int) string {
	name := ""
	if n := p.data(o, "name"); n != nil {
		name = n.String()
	}
	// What the function is, not what its source text starts with: a
	// method named asyncLoad is no AsyncFunction, nor classify a class.
	fk := KindOf(o)
	var s string
	switch fk {
	case KindClass:
		s = "[class " + orDefault(name, "(anonymous)")
		if tag := p.toStringTag(o); tag != "" && tag != p.constructorName(o) {
			s += " [" + tag + "]"
		}
		if parent := o.Prototype(); parent != nil {
			if pn := p.data(parent, "name"); pn != nil && pn.String() != "" && p.kindOf(parent) == "Function" {
				s += " extends " + pn.String()
			}
		}
		s += "]"
	default:
		kind := "Function"
		if fk == KindAsyncFunction || fk == KindGeneratorFunction {
			kind = fk.String()
		}
		if name == "" {
			s = "[" + kind + " (anonymous)]"
		} else {
			s = "[" + kind + ": " + name + "]"
		}
		if tag := p.toStringTag(o); tag != "" && tag != p.constructorName(o) {
			s += " [" + tag + "]"
		}
	}
	s = p.color(cSpecial, s)
	if p.opts.Depth >= 0 && depth > p.opts.Depth {
		return s
	}
	p.seen[o] = true
	defer delete(p.seen, o)
	return p.withOwn(s, o, depth)
}

// arrayEntries formats an array's items as Node's formatArray does: up to
// MaxArrayLength entries, where a run of holes is one entry ("<3 empty
// items>"). It looks only at the properties the array has, so that a
// huge sparse array (new Array(2**32 - 1)) costs nothing. numeric reports
// whether every item shown is a number or a bigint (they are then
// right-aligned when grouped).
func (p *printer) arrayEntries(o *goja.Object, depth int) (out []string, numeric bool) {
	n := o.Get("length").ToInteger()
	limit := int64(p.opts.MaxArrayLength)
	if n < limit {
		limit = n
	}
	numeric = true
	for i := int64(0); i < limit; i++ {
		d, ok := p.own(o, strconv.FormatInt(i, 10))
		if !ok {
			return p.sparseEntries(o, depth, int(limit), out, i, n), false
		}
		numeric = numeric && isNumeric(d)
		out = append(out, p.propValue(d, depth))
	}
	if rest := n - limit; rest > 0 {
		out = append(out, moreItems(rest))
	}
	return out, numeric
}

// sparseEntries goes on from index i, the first hole of an array of length
// n, through the indices the array has (Node's formatSpecialArray).
func (p *printer) sparseEntries(o *goja.Object, depth, most int, out []string, i, n int64) []string {
	keys := o.Keys()
	index := i
	for k := int(i); k < len(keys) && len(out) < most; k++ {
		key := keys[k]
		at, err := strconv.ParseInt(key, 10, 64)
		if err != nil || at > 1<<32-2 || strconv.FormatInt(at, 10) != key {
			break // past the indices: the array's other keys
		}
		if at != index {
			out = append(out, p.emptyItems(at-index))
			index = at
			if len(out) == most {
				break
			}
		}
		d, ok := p.own(o, key)
		if !ok {
			break
		}
		out = append(out, p.propValue(d, depth))
		index++
	}
	if rest := n - index; rest > 0 {
		if len(out) != most {
			out = append(out, p.emptyItems(rest))
		} else {
			out = append(out, moreItems(rest))
		}
	}
	return out
}

func (p *printer) emptyItems(n int64) string {
	return p.color(cGrey, fmt.Sprintf("<%d empty item%s>", n, plural(n)))
}

func moreItems(n int64) string { return fmt.Sprintf("... %d more item%s", n, plural(n)) }

func plural(n int64) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// isNumeric reports whether a property holds a number or a bigint.
func isNumeric(d Property) bool {
	if d.Accessor {
		return false
	}
	if _, ok := d.Value.(*goja.Object); ok || d.Value == nil {
		return false
	}
	switch d.Value.Export().(type) {
	case int64, float64, *big.Int:
		return true
	}
	return false
}

func (p *printer) propValue(d Property, depth int) string {
	switch {
	case d.Getter != nil && d.Setter != nil:
		return p.color(cSpecial, "[Getter/Setter]")
	case d.Getter != nil:
		return p.color(cSpecial, "[Getter]")
	case d.Setter != nil:
		return p.color(cSpecial, "[Setter]")
	case d.Accessor:
		return p.color(cGrey, "undefined") // neither: as Node shows it
	}
	p.indent += 2
	defer func() { p.indent -= 2 }()
	return p.value(d.Value, depth+1, false)
}

// ownEntries lists own enumerable properties as "key: value" (array indices skipped when skipIndices).
func (p *printer) ownEntries(o *goja.Object, depth int, skipIndices bool) []string {
	strs, syms := p.ownEntryParts(o, depth, skipIndices)
	return append(strs, syms...)
}

// ownEntryParts is ownEntries in two lists: string-keyed properties, then
// symbol-keyed ones.
func (p *printer) ownEntryParts(o *goja.Object, depth int, skipIndices bool) (out, syms []string) {
	for _, k := range o.Keys() {
		if skipIndices {
			if _, err := strconv.ParseUint(k, 10, 32); err == nil {
				continue
			}
		}
		d, ok := p.own(o, k)
		if !ok {
			continue
		}
		out = append(out, keyString(k)+": "+p.propValue(d, depth))
	}
	for _, s := range o.Symbols() {
		d, ok := p.own(o, s)
		if !ok || !d.Enumerable {
			continue
		}
		syms = append(syms, "["+symbolString(s)+"]: "+p.propValue(d, depth))
	}
	return out, syms
}

func keyString(k string) string {
	if k == "" {
		return "''"
	}
	for i, r := range k {
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f || i > 0 && r >= '0' && r <= '9') {
			return quote(k)
		}
	}
	return k
}

// wrap lays out an object's entries as Node's reduceToSingleString does
// (with its default compact: 3): on one line when the object holds no
// object nested three levels deep and the line is short enough, one entry
// a line otherwise. head is what goes before the brace ("Map(1) ").
func (p *printer) wrap(depth int, head, open, close string, entries, extra []string) string {
	return p.layout(depth, head, open, close, append(append([]string(nil), entries...), extra...), nil)
}

// wrapArray is wrap for an array's entries, which may be grouped in
// columns; numeric ones are aligned right.
func (p *printer) wrapArray(depth int, head string, entries, extra []string, numeric bool) string {
	return p.layout(depth, head, "[", "]", append(append([]string(nil), entries...), extra...), &numeric)
}

func (p *printer) layout(depth int, head, open, close string, output []string, numeric *bool) string {
	if len(output) == 0 {
		return head + open + close
	}
	p.shown = true
	base := strings.TrimSuffix(head, " ")
	entries := len(output)
	if numeric != nil && entries > 6 {
		output = p.groupArrayElements(output, *numeric)
	}
	if p.currentDepth-(depth+1) < 3 && entries == len(output) {
		start := len(output) + p.indent + len(open) + visibleLen(base) + 10
		if p.belowBreakLength(output, start, base) {
			if joined := strings.Join(output, ", "); !strings.Contains(joined, "\n") {
				return head + open + " " + joined + " " + close
			}
		}
	}
	var b strings.Builder
	b.WriteString(head + open + "\n")
	for i, e := range output {
		b.WriteString("  " + strings.ReplaceAll(e, "\n", "\n  "))
		if i < len(output)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(close)
	return b.String()
}

// belowBreakLength is Node's isBelowBreakLength.
func (p *printer) belowBreakLength(output []string, start int, base string) bool {
	total := len(output) + start
	if total+len(output) > p.opts.BreakLength {
		return false
	}
	for _, o := range output {
		total += visibleLen(o)
		if total > p.opts.BreakLength {
			return false
		}
	}
	return base == "" || !strings.Contains(base, "\n")
}

// groupArrayElements is Node's: it puts the entries of an array of more
// than six in columns, about as many as make the block square (a
// character being 2.5 times as high as wide), at most 12 (compact 3 × 4)
// and as many as fit the line; none when the entries' lengths differ too
// much. "... N more items" stays on its own line.
func (p *printer) groupArrayElements(output []string, numeric bool) []string {
	const separatorSpace = 2 // ", "
	totalLength, maxLength := 0, 0
	outputLength := len(output)
	if p.opts.MaxArrayLength < len(output) {
		outputLength--
	}
	dataLen := make([]int, outputLength)
	for i := 0; i < outputLength; i++ {
		l := visibleLen(output[i])
		dataLen[i] = l
		totalLength += l + separatorSpace
		maxLength = max(maxLength, l)
	}
	actualMax := maxLength + separatorSpace
	if !(actualMax*3+p.indent < p.opts.BreakLength &&
		(float64(totalLength)/float64(actualMax) > 5 || maxLength <= 6)) {
		return output
	}
	const approxCharHeights, compact = 2.5, 3
	averageBias := math.Sqrt(float64(actualMax) - float64(totalLength)/float64(len(output)))
	biasedMax := math.Max(float64(actualMax)-3-averageBias, 1)
	columns := min(
		int(math.Round(math.Sqrt(approxCharHeights*biasedMax*float64(outputLength))/biasedMax)),
		(p.opts.BreakLength-p.indent)/actualMax,
		compact*4,
		15,
	)
	if columns <= 1 {
		return output
	}
	var maxLineLength []int
	for i := 0; i < columns; i++ {
		lineLength := 0
		for j := i; j < outputLength; j += columns {
			lineLength = max(lineLength, dataLen[j])
		}
		maxLineLength = append(maxLineLength, lineLength+separatorSpace)
	}
	var tmp []string
	for i := 0; i < outputLength; i += columns {
		end := min(i+columns, outputLength)
		var b strings.Builder
		j := i
		for ; j < end-1; j++ {
			cell := output[j] + ", "
			pad := strings.Repeat(" ", max(maxLineLength[j-i]-dataLen[j]-separatorSpace, 0))
			if numeric {
				b.WriteString(pad + cell)
			} else {
				b.WriteString(cell + pad)
			}
		}
		if numeric {
			b.WriteString(strings.Repeat(" ", max(maxLineLength[j-i]-separatorSpace-dataLen[j], 0)) + output[j])
		} else {
			b.WriteString(output[j])
		}
		tmp = append(tmp, b.String())
	}
	if outputLength < len(output) {
		tmp = append(tmp, output[outputLength])
	}
	return tmp
}

// visibleLen is the length of s as JavaScript counts it (UTF-16 code
// units), without its colour codes.
func visibleLen(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == '\x1b' {
			if j := strings.IndexByte(s[i:], 'm'); j >= 0 {
				i += j + 1
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

func symbolString(s *goja.Symbol) string { return "Symbol(" + s.String() + ")" }
