package natives

import (
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/dop251/goja"
)

// URLSearchParams: a list of name-value pairs, kept in its state as a flat
// array of strings, serialized as application/x-www-form-urlencoded. One
// that belongs to a URL (its searchParams) writes its pairs into the URL's
// query after every change, and is given the pairs of the query whenever
// the URL's href or search is set.

// parseForm parses an application/x-www-form-urlencoded string into a flat
// list of names and values.
func parseForm(s string) []string {
	var out []string
	for _, seq := range strings.Split(s, "&") {
		if seq == "" {
			continue
		}
		name, value, _ := strings.Cut(seq, "=")
		out = append(out, formDecode(name), formDecode(value))
	}
	return out
}

// formDecode replaces "+" by a space, percent-decodes and decodes the bytes
// as UTF-8 (each ill-formed sequence becomes U+FFFD).
func formDecode(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(decodeUTF8(b))
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// formEncode serializes a string with the application/x-www-form-urlencoded
// percent-encode set, a space becoming "+".
func formEncode(b *strings.Builder, s string) {
	const hexDigits = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			b.WriteByte('+')
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '*', c == '-', c == '.', c == '_':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
}

// serializeForm serializes a flat list of names and values.
func serializeForm(list []string) string {
	var b strings.Builder
	for i := 0; i+1 < len(list); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		formEncode(&b, list[i])
		b.WriteByte('=')
		formEncode(&b, list[i+1])
	}
	return b.String()
}

// lessUTF16 orders strings by their UTF-16 code units, as JavaScript does.
func lessUTF16(a, b string) bool {
	x, y := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(x) && i < len(y); i++ {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return len(x) < len(y)
}

// paramsState returns the state of a URLSearchParams, or throws as Node
// does for another receiver.
func (k *urlKit) paramsState(this goja.Value) *goja.Object {
	if o, ok := this.(*goja.Object); ok {
		if st, ok := o.GetSymbol(k.sym).(*goja.Object); ok {
			if _, isList := st.Get("list").(*goja.Object); isList && st.Get("url") != nil {
				return st
			}
		}
	}
	throwTypef(k.v, "ERR_INVALID_THIS", "Value of \"this\" must be of type URLSearchParams")
	return nil
}

// list returns the pairs of a URLSearchParams' state.
func (k *urlKit) list(st *goja.Object) []string {
	arr := st.Get("list").(*goja.Object)
	n := int(arr.Get("length").ToInteger())
	out := make([]string, n)
	for i := range out {
		out[i] = arr.Get(itoa(i)).String()
	}
	return out
}

func (k *urlKit) setList(st *goja.Object, list []string) {
	items := make([]any, len(list))
	for i, s := range list {
		items[i] = s
	}
	_ = st.Set("list", k.v.Runtime().NewArray(items...))
}

// update stores a changed list and writes it into the query of the URL the
// params belong to.
func (k *urlKit) update(st *goja.Object, list []string) {
	k.setList(st, list)
	owner, ok := st.Get("url").(*goja.Object)
	if !ok {
		return
	}
	ust := k.urlState(owner)
	u := k.parseFresh(ust.Get("href").String())
	u.SetSearch(serializeForm(list))
	k.setHref(ust, u, false)
}

// newParams makes a URLSearchParams with the given pairs, belonging to
// owner (nil for none).
func (k *urlKit) newParams(list []string, owner goja.Value) *goja.Object {
	rt := k.v.Runtime()
	o := rt.NewObject()
	_ = o.SetPrototype(k.paramsProto)
	st := rt.NewObject()
	k.setList(st, list)
	if owner == nil {
		owner = goja.Null()
	}
	_ = st.Set("url", owner)
	_ = o.DefineDataPropertySymbol(k.sym, st, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return o
}

// iterate calls f with each value that iterable yields.
func (k *urlKit) iterate(iterable goja.Value, method goja.Callable, f func(goja.Value)) {
	rt := k.v.Runtime()
	it, err := method(iterable)
	if err != nil {
		panic(err)
	}
	ito, ok := it.(*goja.Object)
	if !ok {
		panic(rt.NewTypeError("Result of the Symbol.iterator method is not an object"))
	}
	next, ok := goja.AssertFunction(ito.Get("next"))
	if !ok {
		panic(rt.NewTypeError("The iterator's next is not a function"))
	}
	for {
		r, err := next(ito)
		if err != nil {
			panic(err)
		}
		ro, ok := r.(*goja.Object)
		if !ok {
			panic(rt.NewTypeError("Iterator result %s is not an object", r.String()))
		}
		if ro.Get("done").ToBoolean() {
			return
		}
		f(ro.Get("value"))
	}
}

// iteratorMethod returns o[Symbol.iterator] when it is a function; ok is
// false when it is undefined or null.
func (k *urlKit) iteratorMethod(o *goja.Object, what string) (goja.Callable, bool) {
	m := o.GetSymbol(goja.SymIterator)
	if m == nil || goja.IsUndefined(m) || goja.IsNull(m) {
		return nil, false
	}
	f, ok := goja.AssertFunction(m)
	if !ok {
		throwTypef(k.v, "ERR_ARG_NOT_ITERABLE", "%s must be iterable", what)
	}
	return f, true
}

// initList reads the argument of the URLSearchParams constructor as Node
// does: a string (a leading "?" dropped), an iterable of [name, value]
// pairs, or a record of own enumerable properties.
func (k *urlKit) initList(init goja.Value) []string {
	if init == nil || goja.IsUndefined(init) || goja.IsNull(init) {
		return nil
	}
	o, isObj := init.(*goja.Object)
	if !isObj {
		return parseForm(strings.TrimPrefix(usv(init), "?"))
	}
	var list []string
	if method, ok := k.iteratorMethod(o, "Query pairs"); ok {
		k.iterate(o, method, func(pair goja.Value) {
			po, ok := pair.(*goja.Object)
			if !ok {
				throwTypef(k.v, "ERR_INVALID_TUPLE", "Each query pair must be an iterable [name, value] tuple")
			}
			pm, ok := k.iteratorMethod(po, "Each query pair")
			if !ok {
				throwTypef(k.v, "ERR_INVALID_TUPLE", "Each query pair must be an iterable [name, value] tuple")
			}
			var items []string
			k.iterate(po, pm, func(x goja.Value) { items = append(items, usv(x)) })
			if len(items) != 2 {
				throwTypef(k.v, "ERR_INVALID_TUPLE", "Each query pair must be an iterable [name, value] tuple")
			}
			list = append(list, items...)
		})
		return list
	}
	// A record: a key seen twice (after conversion) keeps its first place
	// and takes the last value.
	at := map[string]int{}
	for _, key := range o.Keys() {
		name, value := usv(k.v.Runtime().ToValue(key)), usv(o.Get(key))
		if i, seen := at[name]; seen {
			list[i+1] = value
			continue
		}
		at[name] = len(list)
		list = append(list, name, value)
	}
	// Symbol keys come after the strings, as in Reflect.ownKeys; an
	// enumerable one cannot become a name.
	if len(enumerableSymbols(k.v.Runtime(), o)) > 0 {
		panic(k.v.Runtime().NewTypeError("Cannot convert a Symbol value to a string"))
	}
	return list
}

func (k *urlKit) searchParamsClass() *goja.Object {
	v, rt := k.v, k.v.Runtime()
	ctor := rt.ToValue(func(c goja.ConstructorCall) *goja.Object {
		if !instanceOf(c.This, k.paramsProto) {
			// goja calls a native constructor called without new as if
			// with new; only a call with another receiver is told apart.
			panic(rt.NewTypeError("Class constructor URLSearchParams cannot be invoked without 'new'"))
		}
		st := rt.NewObject()
		k.setList(st, k.initList(c.Argument(0)))
		_ = st.Set("url", goja.Null())
		_ = c.This.DefineDataPropertySymbol(k.sym, st, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
		return nil
	}).(*goja.Object)
	_ = ctor.DefineDataProperty("name", rt.ToValue("URLSearchParams"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = ctor.DefineDataProperty("length", rt.ToValue(0), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	proto := ctor.Get("prototype").(*goja.Object)
	_ = ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	k.paramsProto = proto

	method := func(name string, length int, f func(goja.FunctionCall) goja.Value) *goja.Object {
		fn := v.NewFunction(name, length, f)
		_ = proto.DefineDataProperty(name, fn, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
		return fn
	}
	// args returns the first n arguments as strings, after the receiver
	// check, or throws Node's error naming the missing ones.
	args := func(c goja.FunctionCall, names ...string) (*goja.Object, []string) {
		st := k.paramsState(c.This)
		if len(c.Arguments) < len(names) {
			if len(names) == 2 {
				throwTypef(v, "ERR_MISSING_ARGS", "The \"name\" and \"value\" arguments must be specified")
			}
			throwTypef(v, "ERR_MISSING_ARGS", "The \"name\" argument must be specified")
		}
		out := make([]string, len(names))
		for i := range names {
			out[i] = usv(c.Arguments[i])
		}
		return st, out
	}
	// optionalValue returns the second argument of has and delete, if given.
	optionalValue := func(c goja.FunctionCall) (string, bool) {
		if a := c.Argument(1); !goja.IsUndefined(a) {
			return usv(a), true
		}
		return "", false
	}

	sizeGetter := v.NewFunction("get size", 0, func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(len(k.list(k.paramsState(c.This))) / 2)
	})
	_ = proto.DefineAccessorProperty("size", sizeGetter, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
	method("append", 2, func(c goja.FunctionCall) goja.Value {
		st, a := args(c, "name", "value")
		k.update(st, append(k.list(st), a[0], a[1]))
		return goja.Undefined()
	})
	method("delete", 1, func(c goja.FunctionCall) goja.Value {
		st, a := args(c, "name")
		value, byValue := optionalValue(c)
		list, kept := k.list(st), []string{}
		for i := 0; i+1 < len(list); i += 2 {
			if list[i] == a[0] && (!byValue || list[i+1] == value) {
				continue
			}
			kept = append(kept, list[i], list[i+1])
		}
		k.update(st, kept)
		return goja.Undefined()
	})
	method("get", 1, func(c goja.FunctionCall) goja.Value {
		st, a := args(c, "name")
		list := k.list(st)
		for i := 0; i+1 < len(list); i += 2 {
			if list[i] == a[0] {
				return rt.ToValue(list[i+1])
			}
		}
		return goja.Null()
	})
	method("getAll", 1, func(c goja.FunctionCall) goja.Value {
		st, a := args(c, "name")
		list, values := k.list(st), []any{}
		for i := 0; i+1 < len(list); i += 2 {
			if list[i] == a[0] {
				values = append(values, list[i+1])
			}
		}
		return rt.NewArray(values...)
	})
	method("has", 1, func(c goja.FunctionCall) goja.Value {
		st, a := args(c, "name")
		value, byValue := optionalValue(c)
		list := k.list(st)
		for i := 0; i+1 < len(list); i += 2 {
			if list[i] == a[0] && (!byValue || list[i+1] == value) {
				return rt.ToValue(true)
			}
		}
		return rt.ToValue(false)
	})
	method("set", 2, func(c goja.FunctionCall) goja.Value {
		st, a := args(c, "name", "value")
		list, out, found := k.list(st), []string{}, false
		for i := 0; i+1 < len(list); i += 2 {
			if list[i] != a[0] {
				out = append(out, list[i], list[i+1])
			} else if !found {
				found = true
				out = append(out, a[0], a[1])
			}
		}
		if !found {
			out = append(out, a[0], a[1])
		}
		k.update(st, out)
		return goja.Undefined()
	})
	method("sort", 0, func(c goja.FunctionCall) goja.Value {
		st := k.paramsState(c.This)
		list := k.list(st)
		pairs := make([][2]string, len(list)/2)
		for i := range pairs {
			pairs[i] = [2]string{list[2*i], list[2*i+1]}
		}
		sort.SliceStable(pairs, func(i, j int) bool { return lessUTF16(pairs[i][0], pairs[j][0]) })
		for i, p := range pairs {
			list[2*i], list[2*i+1] = p[0], p[1]
		}
		k.update(st, list)
		return goja.Undefined()
	})
	// The iterators' prototype must be reachable from the globals to be a
	// built-in that images name; it hangs under the state symbol of the
	// constructor, which is otherwise unused.
	k.iterProto = k.iteratorPrototype()
	hold := rt.NewObject()
	_ = hold.Set("iteratorPrototype", k.iterProto)
	_ = ctor.DefineDataPropertySymbol(k.sym, hold, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	entries := method("entries", 0, func(c goja.FunctionCall) goja.Value {
		return k.newIterator(c.This, "entries")
	})
	method("forEach", 1, func(c goja.FunctionCall) goja.Value {
		st := k.paramsState(c.This)
		cb, ok := goja.AssertFunction(c.Argument(0))
		if !ok {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"callback\" argument must be of type function. Received %s", describeArg(c.Argument(0)))
		}
		for i := 0; ; i += 2 {
			list := k.list(st) // the callback may change the list
			if i+1 >= len(list) {
				break
			}
			if _, err := cb(c.Argument(1), rt.ToValue(list[i+1]), rt.ToValue(list[i]), c.This); err != nil {
				panic(err)
			}
		}
		return goja.Undefined()
	})
	method("keys", 0, func(c goja.FunctionCall) goja.Value { return k.newIterator(c.This, "keys") })
	method("values", 0, func(c goja.FunctionCall) goja.Value { return k.newIterator(c.This, "values") })
	method("toString", 0, func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(serializeForm(k.list(k.paramsState(c.This))))
	})
	_ = proto.DefineDataPropertySymbol(goja.SymIterator, entries, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	_ = proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("URLSearchParams"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return ctor
}

// iteratorPrototype makes %URLSearchParamsIteratorPrototype%, whose
// prototype is %IteratorPrototype%. An iterator's state is {target, kind,
// index}: like Node's, it reads the live list, so pairs added while
// iterating are seen.
func (k *urlKit) iteratorPrototype() *goja.Object {
	v, rt := k.v, k.v.Runtime()
	arr := rt.NewArray()
	arrayIter, ok := goja.AssertFunction(arr.Prototype().GetSymbol(goja.SymIterator))
	if !ok {
		panic(rt.NewTypeError("Array.prototype has no iterator"))
	}
	it, err := arrayIter(arr)
	if err != nil {
		panic(err)
	}
	proto := rt.NewObject()
	_ = proto.SetPrototype(it.ToObject(rt).Prototype().Prototype())
	next := v.NewFunction("next", 0, func(c goja.FunctionCall) goja.Value {
		var st *goja.Object
		if o, ok := c.This.(*goja.Object); ok {
			st, _ = o.GetSymbol(k.sym).(*goja.Object)
		}
		if st == nil || st.Get("kind") == nil {
			throwTypef(v, "ERR_INVALID_THIS", "Value of \"this\" must be of type URLSearchParamsIterator")
		}
		list := k.list(k.paramsState(st.Get("target")))
		i := int(st.Get("index").ToInteger())
		res := rt.NewObject()
		if i+1 >= len(list) {
			_ = res.Set("value", goja.Undefined())
			_ = res.Set("done", true)
			return res
		}
		_ = st.Set("index", i+2)
		var value goja.Value
		switch st.Get("kind").String() {
		case "keys":
			value = rt.ToValue(list[i])
		case "values":
			value = rt.ToValue(list[i+1])
		default:
			value = rt.NewArray(list[i], list[i+1])
		}
		_ = res.Set("value", value)
		_ = res.Set("done", false)
		return res
	})
	_ = proto.DefineDataProperty("next", next, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	_ = proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("URLSearchParams Iterator"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return proto
}

func (k *urlKit) newIterator(this goja.Value, kind string) *goja.Object {
	k.paramsState(this)
	rt := k.v.Runtime()
	it := rt.NewObject()
	_ = it.SetPrototype(k.iterProto)
	st := rt.NewObject()
	_ = st.Set("target", this)
	_ = st.Set("kind", kind)
	_ = st.Set("index", 0)
	_ = it.DefineDataPropertySymbol(k.sym, st, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	return it
}
