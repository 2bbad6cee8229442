package vm

import (
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/dop251/goja"
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
}

// Inspect formats v for people, in the manner of Node's util.inspect: strings
// quoted, objects with their class names, Maps and Sets with their entries,
// cycles marked <ref *1> ... [Circular *1], nesting cut at a depth. It never
// runs user code (no getters, no toString) and never changes the world.
func Inspect(rt *goja.Runtime, v goja.Value, opts InspectOptions) string {
	if opts.Depth == 0 {
		opts.Depth = 2
	}
	if opts.MaxArrayLength == 0 {
		opts.MaxArrayLength = 100
	}
	if opts.BreakLength == 0 {
		opts.BreakLength = 80
	}
	p := &printer{rt: rt, opts: opts, seen: map[*goja.Object]bool{}, refs: map[*goja.Object]int{}}
	p.findCycles(v, 0)
	return p.value(v, 0, true)
}

// FormatArgs formats console arguments as Node's util.format does: a first
// string may hold %s %d %i %f %j %o %O %c %% directives; strings print as
// they are, other values through Inspect.
func FormatArgs(rt *goja.Runtime, args []goja.Value, opts InspectOptions) string {
	var parts []string
	rest := args
	if len(args) > 0 {
		if s, ok := args[0].(goja.String); ok {
			rest = args[1:]
			str := s.String()
			if strings.IndexByte(str, '%') >= 0 && len(rest) > 0 {
				str, rest = formatDirectives(rt, str, rest, opts)
			}
			parts = append(parts, str)
		}
	}
	for _, a := range rest {
		if s, ok := a.(goja.String); ok {
			parts = append(parts, s.String())
		} else {
			parts = append(parts, Inspect(rt, a, opts))
		}
	}
	return strings.Join(parts, " ")
}

func formatDirectives(rt *goja.Runtime, f string, args []goja.Value, opts InspectOptions) (string, []goja.Value) {
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
				b.WriteString(Inspect(rt, a, InspectOptions{Depth: 1}))
			}
		case 'd', 'i':
			n := a.ToFloat()
			if c == 'i' {
				n = math.Trunc(n)
			}
			b.WriteString(formatNumber(rt, n))
		case 'f':
			b.WriteString(formatNumber(rt, a.ToFloat()))
		case 'j':
			s, err := jsonStringify(rt, a)
			if err != nil {
				s = "[Circular]"
			}
			b.WriteString(s)
		case 'o', 'O':
			b.WriteString(Inspect(rt, a, opts))
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
	rt   *goja.Runtime
	opts InspectOptions
	seen map[*goja.Object]bool // on the current path
	refs map[*goja.Object]int  // objects that close a cycle: their ref number (0 = not numbered yet)
	next int
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
	for _, k := range o.Keys() {
		if d := p.descriptor(o, k); d != nil && d.Get("get") == nil && d.Get("set") == nil {
			out = append(out, d.Get("value"))
		}
	}
	if kind := p.kindOf(o); kind == "Map" || kind == "Set" {
		p.eachEntry(o, func(k, v goja.Value) { out = append(out, k, v) })
	}
	return out
}

func (p *printer) descriptor(o *goja.Object, key string) *goja.Object {
	gopd, _ := goja.AssertFunction(p.rt.Get("Object").ToObject(p.rt).Get("getOwnPropertyDescriptor"))
	if gopd == nil {
		return nil
	}
	d, err := gopd(goja.Undefined(), o, p.rt.ToValue(key))
	if err != nil || goja.IsUndefined(d) {
		return nil
	}
	return d.ToObject(p.rt)
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
		return p.object(x, depth)
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
	switch o.Export().(type) {
	case goja.ArrayBuffer:
		return "ArrayBuffer"
	case *goja.Promise:
		return "Promise"
	case goja.Proxy:
		return "Proxy"
	}
	cls := o.ClassName()
	switch cls {
	case "Array", "Function", "Date", "RegExp", "Error", "String", "Number", "Boolean", "Arguments", "Symbol", "BigInt":
		return cls
	}
	if p.is(o, "Map") {
		return "Map"
	}
	if p.is(o, "Set") {
		return "Set"
	}
	if p.is(o, "WeakMap") || p.is(o, "WeakSet") {
		return "Weak"
	}
	if ta := p.typedArrayName(o); ta != "" {
		return "TypedArray"
	}
	return cls
}

// is reports whether o is a genuine instance of the built-in ctor, by
// calling a method of its prototype that refuses other receivers.
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
		return o.Get("constructor").ToObject(p.rt).Get("name").String()
	}
	return ""
}

func (p *printer) eachEntry(o *goja.Object, f func(k, v goja.Value)) {
	defer func() { recover() }()
	forEach, _ := goja.AssertFunction(o.Get("forEach"))
	if forEach == nil {
		return
	}
	_, _ = forEach(o, p.rt.ToValue(func(c goja.FunctionCall) goja.Value {
		f(c.Argument(1), c.Argument(0))
		return goja.Undefined()
	}))
}

func (p *printer) constructorName(o *goja.Object) string {
	defer func() { recover() }()
	for proto := o.Prototype(); proto != nil; proto = proto.Prototype() {
		if d := p.descriptor(proto, "constructor"); d != nil {
			if c, ok := d.Get("value").(*goja.Object); ok {
				if nd := p.descriptor(c, "name"); nd != nil {
					if n := nd.Get("value"); n != nil && n.String() != "" {
						return n.String()
					}
				}
			}
		}
	}
	return ""
}

func (p *printer) object(o *goja.Object, depth int) (out string) {
	defer func() {
		if r := recover(); r != nil {
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
	if p.opts.Depth >= 0 && depth > p.opts.Depth {
		switch kind {
		case "Array":
			return p.color(cSpecial, "[Array]")
		}
		name := p.constructorName(o)
		if name == "" {
			name = "Object"
		}
		return p.color(cSpecial, "["+name+"]")
	}
	p.seen[o] = true
	defer delete(p.seen, o)
	var entries []string
	name := p.constructorName(o)
	switch kind {
	case "Array":
		entries = p.arrayEntries(o, depth)
		return prefix + p.wrap(arrayPrefix(name, "Array"), "[", "]", entries, p.ownEntries(o, depth, true))
	case "Map", "Set":
		n := 0
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
		if n > len(entries) {
			entries = append(entries, fmt.Sprintf("... %d more items", n-len(entries)))
		}
		return p.wrap(fmt.Sprintf("%s(%d) ", orDefault(name, kind), n), "{", "}", entries, p.ownEntries(o, depth, false))
	case "Weak":
		return p.wrap(orDefault(name, "WeakMap")+" ", "{", "}", []string{p.color(cSpecial, "<items unknown>")}, nil)
	case "Date":
		s := "Invalid Date"
		if iso, _ := goja.AssertFunction(o.Get("toISOString")); iso != nil {
			if r, err := iso(o); err == nil {
				s = r.String()
			}
		}
		return p.withOwn(p.color(cDate, s), o, depth)
	case "RegExp":
		return p.withOwn(p.color(cRegExp, o.String()), o, depth)
	case "Error":
		s := ""
		if st := o.Get("stack"); st != nil && !goja.IsUndefined(st) {
			// goja indents frames with a tab and ends with a newline; Node
			// indents with four spaces.
			s = strings.ReplaceAll(strings.TrimRight(st.String(), "\n"), "\n\tat ", "\n    at ")
		} else {
			s = o.String()
		}
		own := p.ownEntries(o, depth, false)
		if len(own) == 0 {
			return s
		}
		return p.wrap(s+" ", "{", "}", own, nil)
	case "Number", "String", "Boolean", "Symbol", "BigInt":
		inner := "?"
		if c := p.intrinsic(kind); c != nil {
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
		return p.wrap(fmt.Sprintf("[%s: %s] ", kind, inner), "{", "}", own, nil)
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
		return p.wrap("ArrayBuffer ", "{", "}", []string{"[Uint8Contents]: <" + strings.Join(hex, " ") + ">", "byteLength: " + p.color(cNumber, strconv.Itoa(len(ab.Bytes())))}, nil)
	case "TypedArray":
		n := int(o.Get("length").ToInteger())
		for i := 0; i < n && i < p.opts.MaxArrayLength; i++ {
			entries = append(entries, p.value(o.Get(strconv.Itoa(i)), depth+1, false))
		}
		if n > p.opts.MaxArrayLength {
			entries = append(entries, fmt.Sprintf("... %d more items", n-p.opts.MaxArrayLength))
		}
		return p.wrap(fmt.Sprintf("%s(%d) ", p.typedArrayName(o), n), "[", "]", entries, nil)
	case "Promise":
		pr := o.Export().(*goja.Promise)
		switch pr.State() {
		case goja.PromiseStatePending:
			entries = []string{p.color(cSpecial, "<pending>")}
		case goja.PromiseStateFulfilled:
			entries = []string{p.value(pr.Result(), depth+1, false)}
		default:
			entries = []string{p.color(cSpecial, "<rejected>") + " " + p.value(pr.Result(), depth+1, false)}
		}
		return p.wrap("Promise ", "{", "}", entries, p.ownEntries(o, depth, false))
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
	return p.wrap(head, "{", "}", own, nil)
}

func (p *printer) toStringTag(o *goja.Object) string {
	defer func() { recover() }()
	for cur := o; cur != nil; cur = cur.Prototype() {
		gopd, _ := goja.AssertFunction(p.rt.Get("Object").ToObject(p.rt).Get("getOwnPropertyDescriptor"))
		d, err := gopd(goja.Undefined(), cur, goja.SymToStringTag)
		if err == nil && !goja.IsUndefined(d) {
			if v := d.ToObject(p.rt).Get("value"); v != nil {
				if s, ok := v.(goja.String); ok {
					return s.String()
				}
			}
			return ""
		}
	}
	return ""
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
	return p.wrap(s+" ", "{", "}", own, nil)
}

func (p *printer) function(o *goja.Object, depth int) string {
	name := ""
	if d := p.descriptor(o, "name"); d != nil {
		name = d.Get("value").String()
	}
	src := ""
	if ts, _ := goja.AssertFunction(p.rt.Get("Function").ToObject(p.rt).Get("prototype").ToObject(p.rt).Get("toString")); ts != nil {
		if r, err := ts(o); err == nil {
			src = r.String()
		}
	}
	var s string
	switch {
	case strings.HasPrefix(src, "class"):
		s = "[class " + orDefault(name, "(anonymous)")
		if parent := o.Prototype(); parent != nil {
			if pd := p.descriptor(parent, "name"); pd != nil && pd.Get("value").String() != "" && p.kindOf(parent) == "Function" {
				s += " extends " + pd.Get("value").String()
			}
		}
		s += "]"
	default:
		kind := "Function"
		switch {
		case strings.HasPrefix(src, "async function*"):
			kind = "AsyncGeneratorFunction"
		case strings.HasPrefix(src, "async"):
			kind = "AsyncFunction"
		case strings.HasPrefix(src, "function*"):
			kind = "GeneratorFunction"
		}
		if name == "" {
			s = "[" + kind + " (anonymous)]"
		} else {
			s = "[" + kind + ": " + name + "]"
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

func (p *printer) arrayEntries(o *goja.Object, depth int) []string {
	n := int(o.Get("length").ToInteger())
	var out []string
	holes := 0
	flush := func() {
		if holes > 0 {
			s := "s"
			if holes == 1 {
				s = ""
			}
			out = append(out, p.color(cGrey, fmt.Sprintf("<%d empty item%s>", holes, s)))
			holes = 0
		}
	}
	shown := 0
	for i := 0; i < n; i++ {
		if shown >= p.opts.MaxArrayLength {
			flush()
			out = append(out, fmt.Sprintf("... %d more items", n-i))
			return out
		}
		d := p.descriptor(o, strconv.Itoa(i))
		if d == nil {
			holes++
			continue
		}
		flush()
		shown++
		out = append(out, p.propValue(d, depth))
	}
	flush()
	return out
}

func (p *printer) propValue(d *goja.Object, depth int) string {
	get, set := d.Get("get"), d.Get("set")
	hasGet := get != nil && !goja.IsUndefined(get)
	hasSet := set != nil && !goja.IsUndefined(set)
	switch {
	case hasGet && hasSet:
		return p.color(cSpecial, "[Getter/Setter]")
	case hasGet:
		return p.color(cSpecial, "[Getter]")
	case hasSet:
		return p.color(cSpecial, "[Setter]")
	}
	return p.value(d.Get("value"), depth+1, false)
}

// ownEntries lists own enumerable properties as "key: value" (array indices skipped when skipIndices).
func (p *printer) ownEntries(o *goja.Object, depth int, skipIndices bool) []string {
	var out []string
	for _, k := range o.Keys() {
		if skipIndices {
			if _, err := strconv.ParseUint(k, 10, 32); err == nil {
				continue
			}
		}
		d := p.descriptor(o, k)
		if d == nil {
			continue
		}
		out = append(out, keyString(k)+": "+p.propValue(d, depth))
	}
	syms := o.Symbols()
	sort.SliceStable(syms, func(i, j int) bool { return false })
	for _, s := range syms {
		gopd, _ := goja.AssertFunction(p.rt.Get("Object").ToObject(p.rt).Get("getOwnPropertyDescriptor"))
		d, err := gopd(goja.Undefined(), o, s)
		if err != nil || goja.IsUndefined(d) {
			continue
		}
		do := d.ToObject(p.rt)
		if !do.Get("enumerable").ToBoolean() {
			continue
		}
		out = append(out, "["+symbolString(s)+"]: "+p.propValue(do, depth))
	}
	return out
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

// wrap lays entries out on one line when they fit, else one per line.
func (p *printer) wrap(head, open, close string, entries, extra []string) string {
	all := append(append([]string(nil), entries...), extra...)
	if len(all) == 0 {
		return head + open + close
	}
	one := head + open + " " + strings.Join(all, ", ") + " " + close
	if len(one) <= p.opts.BreakLength && !strings.Contains(one, "\n") {
		return one
	}
	var b strings.Builder
	b.WriteString(head + open + "\n")
	for i, e := range all {
		b.WriteString("  " + strings.ReplaceAll(e, "\n", "\n  "))
		if i < len(all)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(close)
	return b.String()
}

func symbolString(s *goja.Symbol) string { return "Symbol(" + s.String() + ")" }
