package natives

import (
	"bytes"
	"fmt"
	"math"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// makeAssert makes the built-in module "assert": assert(value, message)
// and ok, equal, notEqual, strictEqual, notStrictEqual, deepEqual,
// notDeepEqual, deepStrictEqual, notDeepStrictEqual, throws,
// doesNotThrow, rejects, doesNotReject, match, doesNotMatch, fail,
// AssertionError, and assert.strict
// (where equal is strictEqual and deepEqual deepStrictEqual). A failure
// throws an AssertionError with Node's name, code, actual, expected and
// operator; generated messages are shorter than Node's (which quote the
// source of the failing call).
func makeAssert(v *vm.VM) *goja.Object {
	rt := v.Runtime()
	errorProto := rt.GlobalObject().Get("Error").ToObject(rt).Get("prototype").ToObject(rt)
	aeProto := rt.NewObject()
	_ = aeProto.SetPrototype(errorProto)
	defineHidden(aeProto, "name", rt.ToValue("AssertionError"))
	newAE := func(message string, generated bool, actual, expected goja.Value, operator string) *goja.Object {
		e := newError(v, message)
		_ = e.SetPrototype(aeProto)
		_ = e.Set("generatedMessage", generated)
		_ = e.Set("code", "ERR_ASSERTION")
		if actual == nil {
			actual = goja.Undefined()
		}
		if expected == nil {
			expected = goja.Undefined()
		}
		_ = e.Set("actual", actual)
		_ = e.Set("expected", expected)
		_ = e.Set("operator", operator)
		return e
	}
	aeCtorObj := rt.ToValue(func(c goja.ConstructorCall) *goja.Object {
		opts, _ := c.Argument(0).(*goja.Object)
		if opts == nil {
			opts = rt.NewObject()
		}
		msg := ""
		if m := opts.Get("message"); m != nil && !goja.IsUndefined(m) {
			msg = m.String()
		}
		return newAE(msg, false, opts.Get("actual"), opts.Get("expected"), valueString(opts.Get("operator")))
	}).(*goja.Object)
	_ = aeCtorObj.DefineDataProperty("name", rt.ToValue("AssertionError"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = aeCtorObj.DefineDataProperty("prototype", aeProto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	defineHidden(aeProto, "constructor", aeCtorObj)

	inspect := func(val goja.Value) string {
		return v.Inspect(val, vm.InspectOptions{BreakLength: math.MaxInt32})
	}
	// fail throws an AssertionError: message is the user's (a string, or an
	// Error thrown as it is) or else the generated one.
	fail := func(message goja.Value, generated string, actual, expected goja.Value, operator string) {
		if message != nil && !goja.IsUndefined(message) {
			if o, ok := message.(*goja.Object); ok && heap.KindOf(o) == heap.KindError {
				panic(o)
			}
			panic(newAE(message.String(), false, actual, expected, operator))
		}
		panic(newAE(generated, true, actual, expected, operator))
	}
	kit := &assertKit{v: v, rt: rt, newAE: newAE, fail: fail, errorCtor: rt.GlobalObject().Get("Error").ToObject(rt)}
	ok := func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) == 0 {
			fail(nil, "No value argument passed to `assert.ok()`", goja.Undefined(), rt.ToValue(true), "==")
		}
		if !c.Argument(0).ToBoolean() {
			fail(c.Argument(1), "The expression evaluated to a falsy value:\n\n  assert.ok("+inspect(c.Argument(0))+")\n", c.Argument(0), rt.ToValue(true), "==")
		}
		return goja.Undefined()
	}
	m := v.NewFunction("ok", 2, ok)
	define := func(o *goja.Object, name string, length int, f func(goja.FunctionCall) goja.Value) {
		v.DefineFunction(o, name, length, f)
	}
	// compare defines name; operator is what the error's operator says.
	compare := func(o *goja.Object, name, operator, sign, verb string, same func(a, b goja.Value) bool, want bool) {
		define(o, name, 3, func(c goja.FunctionCall) goja.Value {
			a, b := c.Argument(0), c.Argument(1)
			if same(a, b) != want {
				fail(c.Argument(2), fmt.Sprintf("Expected values to be %s:\n\n%s %s %s\n", verb, inspect(a), sign, inspect(b)), a, b, operator)
			}
			return goja.Undefined()
		})
	}
	loose := func(a, b goja.Value) bool { return looseEquals(rt, a, b) }
	strict := func(a, b goja.Value) bool { return a.SameAs(b) }
	deepLoose := func(a, b goja.Value) bool { return deepEqual(rt, a, b, false, map[[2]*goja.Object]bool{}) }
	deepStrict := func(a, b goja.Value) bool { return deepEqual(rt, a, b, true, map[[2]*goja.Object]bool{}) }
	fill := func(o *goja.Object, strictMode bool) {
		define(o, "ok", 2, ok)
		if strictMode {
			compare(o, "equal", "strictEqual", "!==", "strictly equal", strict, true)
			compare(o, "notEqual", "notStrictEqual", "===", "strictly unequal", strict, false)
			compare(o, "deepEqual", "deepStrictEqual", "!==", "strictly deep-equal", deepStrict, true)
			compare(o, "notDeepEqual", "notDeepStrictEqual", "===", "not strictly deep-equal", deepStrict, false)
		} else {
			compare(o, "equal", "==", "!=", "loosely equal", loose, true)
			compare(o, "notEqual", "!=", "==", "loosely unequal", loose, false)
			compare(o, "deepEqual", "deepEqual", "!=", "loosely deep-equal", deepLoose, true)
			compare(o, "notDeepEqual", "notDeepEqual", "==", "not loosely deep-equal", deepLoose, false)
		}
		compare(o, "strictEqual", "strictEqual", "!==", "strictly equal", strict, true)
		compare(o, "notStrictEqual", "notStrictEqual", "===", "strictly unequal", strict, false)
		compare(o, "deepStrictEqual", "deepStrictEqual", "!==", "strictly deep-equal", deepStrict, true)
		compare(o, "notDeepStrictEqual", "notDeepStrictEqual", "===", "not strictly deep-equal", deepStrict, false)
		define(o, "fail", 1, func(c goja.FunctionCall) goja.Value {
			fail(c.Argument(0), "Failed", goja.Undefined(), goja.Undefined(), "fail")
			return nil
		})
		define(o, "throws", 3, func(c goja.FunctionCall) goja.Value {
			fn, isFn := goja.AssertFunction(c.Argument(0))
			if !isFn {
				throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"fn\" argument must be of type function. Received %s", describeArg(c.Argument(0)))
			}
			kit.expectsError("throws", "exception", thrownBy(v, fn), c.Arguments[1:])
			return goja.Undefined()
		})
		define(o, "doesNotThrow", 3, func(c goja.FunctionCall) goja.Value {
			fn, isFn := goja.AssertFunction(c.Argument(0))
			if !isFn {
				throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"fn\" argument must be of type function. Received %s", describeArg(c.Argument(0)))
			}
			kit.expectsNoError("doesNotThrow", "exception", thrownBy(v, fn), c.Arguments[1:])
			return goja.Undefined()
		})
		define(o, "rejects", 1, func(c goja.FunctionCall) goja.Value {
			return kit.settleLater("rejects", c.Arguments)
		})
		define(o, "doesNotReject", 1, func(c goja.FunctionCall) goja.Value {
			return kit.settleLater("doesNotReject", c.Arguments)
		})
		matcher := func(name string, want bool) {
			define(o, name, 3, func(c goja.FunctionCall) goja.Value {
				s, re := c.Argument(0), c.Argument(1)
				test, isFn := goja.AssertFunction(re.ToObject(rt).Get("test"))
				if !isFn {
					throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"regexp\" argument must be an instance of RegExp.")
				}
				if _, isStr := s.Export().(string); !isStr {
					fail(c.Argument(2), "The \"string\" argument must be of type string.", s, re, name)
				}
				res, err := test(re, s)
				if err != nil {
					rethrow(v, err)
				}
				if res.ToBoolean() != want {
					verb := "match"
					if !want {
						verb = "not match"
					}
					fail(c.Argument(2), fmt.Sprintf("The input did not %s the regular expression %s. Input:\n\n%s\n", verb, inspect(re), inspect(s)), s, re, name)
				}
				return goja.Undefined()
			})
		}
		matcher("match", true)
		matcher("doesNotMatch", false)
		defineHidden(o, "AssertionError", aeCtorObj)
	}
	fill(m, false)
	kit.installSettle(m)
	strictFn := v.NewFunction("strict", 2, ok)
	fill(strictFn, true)
	defineHidden(strictFn, "strict", strictFn)
	defineHidden(m, "strict", strictFn)
	return m
}

func valueString(v goja.Value) string {
	if v == nil || goja.IsUndefined(v) {
		return ""
	}
	return v.String()
}

// looseEquals is JavaScript's ==.
func looseEquals(rt *goja.Runtime, a, b goja.Value) bool {
	return a.Equals(b)
}

// deepEqual compares as assert.deepEqual (strict false) or
// assert.deepStrictEqual (strict true) do.
func deepEqual(rt *goja.Runtime, a, b goja.Value, strict bool, seen map[[2]*goja.Object]bool) bool {
	ao, aObj := a.(*goja.Object)
	bo, bObj := b.(*goja.Object)
	if !aObj || !bObj {
		if aObj != bObj {
			return false
		}
		if strict {
			return a.SameAs(b)
		}
		return a.Equals(b) || (isNaN(a) && isNaN(b))
	}
	if ao == bo {
		return true
	}
	key := [2]*goja.Object{ao, bo}
	if seen[key] {
		return true
	}
	seen[key] = true
	if strict && ao.Prototype() != bo.Prototype() {
		return false
	}
	ka, kb := heap.KindOf(ao), heap.KindOf(bo)
	if ka != kb {
		return false
	}
	switch ka {
	case heap.KindDate:
		if ao.Export() != bo.Export() {
			return false
		}
	case heap.KindRegExp:
		if ao.Get("source").String() != bo.Get("source").String() || ao.Get("flags").String() != bo.Get("flags").String() {
			return false
		}
	case heap.KindPrimitive, heap.KindStringObject:
		av, _ := goja.AssertFunction(ao.Get("valueOf"))
		x, _ := av(ao)
		y, _ := av(bo)
		if x == nil || y == nil || !x.SameAs(y) {
			return false
		}
	case heap.KindError:
		if ao.Get("message").String() != bo.Get("message").String() || ao.Get("name").String() != bo.Get("name").String() {
			return false
		}
	case heap.KindArrayBuffer, heap.KindTypedArray, heap.KindDataView:
		da, _ := viewBytes(rt, ao)
		db, _ := viewBytes(rt, bo)
		if !bytes.Equal(da, db) {
			return false
		}
	case heap.KindMap, heap.KindSet:
		if ao.Get("size").ToInteger() != bo.Get("size").ToInteger() {
			return false
		}
		ea, eb := entriesOf(rt, ao), entriesOf(rt, bo)
		used := make([]bool, len(eb))
	outer:
		for _, x := range ea {
			for j, y := range eb {
				if !used[j] && deepEqual(rt, x[0], y[0], strict, seen) && deepEqual(rt, x[1], y[1], strict, seen) {
					used[j] = true
					continue outer
				}
			}
			return false
		}
	case heap.KindFunction, heap.KindArrow, heap.KindClass, heap.KindNative, heap.KindBound, heap.KindMethod,
		heap.KindAsyncFunction, heap.KindAsyncArrow, heap.KindGeneratorFunction, heap.KindWeakMap, heap.KindWeakSet, heap.KindPromise:
		return false
	}
	keysA, keysB := ao.Keys(), bo.Keys()
	if len(keysA) != len(keysB) {
		return false
	}
	for _, k := range keysA {
		vb := bo.Get(k)
		if vb == nil || !hasOwn(bo, k) {
			return false
		}
		if !deepEqual(rt, ao.Get(k), vb, strict, seen) {
			return false
		}
	}
	if strict {
		sa, sb := enumerableSymbols(rt, ao), enumerableSymbols(rt, bo)
		if len(sa) != len(sb) {
			return false
		}
		for _, s := range sa {
			if !deepEqual(rt, ao.GetSymbol(s), bo.GetSymbol(s), strict, seen) {
				return false
			}
		}
	}
	return true
}

func isNaN(v goja.Value) bool {
	f, ok := v.Export().(float64)
	return ok && math.IsNaN(f)
}

func hasOwn(o *goja.Object, k string) bool {
	for _, x := range o.Keys() {
		if x == k {
			return true
		}
	}
	return false
}

func enumerableSymbols(rt *goja.Runtime, o *goja.Object) []*goja.Symbol {
	var out []*goja.Symbol
	gopd, _ := goja.AssertFunction(rt.Get("Object").ToObject(rt).Get("getOwnPropertyDescriptor"))
	for _, s := range o.Symbols() {
		d, err := gopd(goja.Undefined(), o, s)
		if err == nil {
			if do, ok := d.(*goja.Object); ok && do.Get("enumerable").ToBoolean() {
				out = append(out, s)
			}
		}
	}
	return out
}

func viewBytes(rt *goja.Runtime, o *goja.Object) ([]byte, bool) {
	if ab, ok := o.Export().(goja.ArrayBuffer); ok {
		return ab.Bytes(), true
	}
	var b []byte
	if heap.KindOf(o) == heap.KindTypedArray {
		buf, ok := o.Get("buffer").Export().(goja.ArrayBuffer)
		if !ok {
			return nil, false
		}
		off, n := o.Get("byteOffset").ToInteger(), o.Get("byteLength").ToInteger()
		return buf.Bytes()[off : off+n], true
	}
	if buf, ok := o.Get("buffer").Export().(goja.ArrayBuffer); ok {
		off, n := o.Get("byteOffset").ToInteger(), o.Get("byteLength").ToInteger()
		b = buf.Bytes()[off : off+n]
		return b, true
	}
	return nil, false
}

// entriesOf lists a Map's [key, value] entries, or a Set's [value, value].
func entriesOf(rt *goja.Runtime, o *goja.Object) [][2]goja.Value {
	var out [][2]goja.Value
	entries, _ := goja.AssertFunction(o.Get("entries"))
	it, err := entries(o)
	if err != nil {
		return nil
	}
	rt.ForOf(it, func(e goja.Value) bool {
		eo := e.ToObject(rt)
		out = append(out, [2]goja.Value{eo.Get("0"), eo.Get("1")})
		return true
	})
	return out
}
