package natives

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// How assert.throws, doesNotThrow, rejects and doesNotReject judge what was
// thrown (or the rejection reason), after Node's lib/assert.js: the
// expected error may be a class, a RegExp, a validation function or an
// object of expected properties, and the messages are Node's.

// assertKit is what the checks of one assert module share.
type assertKit struct {
	v     *vm.VM
	rt    *goja.Runtime
	newAE func(message string, generated bool, actual, expected goja.Value, operator string) *goja.Object
	// fail throws an AssertionError with the user's message (an Error
	// is thrown as it is) or else the generated one.
	fail      func(message goja.Value, generated string, actual, expected goja.Value, operator string)
	errorCtor *goja.Object

	settle                        *goja.Object // the reaction of rejects and doesNotReject
	promiseResolve, promiseReject goja.Callable
	funcProto, promiseProto       *goja.Object
}

func (k *assertKit) inspect(val goja.Value) string {
	return k.v.Inspect(val, vm.InspectOptions{BreakLength: math.MaxInt32})
}

// truthy is JavaScript's Boolean(val) for a value that may be missing.
func truthy(val goja.Value) bool { return val != nil && val.ToBoolean() }

func arg(args []goja.Value, i int) goja.Value {
	if i < len(args) {
		return args[i]
	}
	return goja.Undefined()
}

func isObject(val goja.Value) bool {
	_, ok := val.(*goja.Object)
	return ok
}

func isRegExp(val goja.Value) bool {
	o, ok := val.(*goja.Object)
	return ok && heap.KindOf(o) == heap.KindRegExp
}

func isErrorObject(val goja.Value) bool {
	o, ok := val.(*goja.Object)
	return ok && heap.KindOf(o) == heap.KindError
}

// regexpMatches runs re.exec(s) as Node does.
func (k *assertKit) regexpMatches(re, s goja.Value) bool {
	exec, _ := goja.AssertFunction(re.(*goja.Object).Get("exec"))
	if exec == nil {
		return false
	}
	res, err := exec(re, s)
	if err != nil {
		rethrow(k.v, err)
	}
	return !goja.IsNull(res)
}

// expectsError is Node's expectsError: actual is what was thrown or the
// rejection reason, nil when nothing was; fnType is "exception" or
// "rejection"; args are the arguments after the function or promise.
func (k *assertKit) expectsError(op, fnType string, actual goja.Value, args []goja.Value) {
	expected, message := arg(args, 0), arg(args, 1)
	if s, isStr := expected.(goja.String); isStr {
		if len(args) == 2 {
			throwTypef(k.v, "ERR_INVALID_ARG_TYPE", "The \"error\" argument must be of type function or an instance of Error, RegExp, or Object. Received %s", describeArg(expected))
		}
		if ao, ok := actual.(*goja.Object); ok {
			if m := ao.Get("message"); m != nil && m.SameAs(s) {
				throwTypef(k.v, "ERR_AMBIGUOUS_ARGUMENT", "The \"error/message\" argument is ambiguous. The error message \"%s\" is identical to the message.", s.String())
			}
		} else if actual != nil && actual.SameAs(s) {
			throwTypef(k.v, "ERR_AMBIGUOUS_ARGUMENT", "The \"error/message\" argument is ambiguous. The error \"%s\" is identical to the message.", s.String())
		}
		expected, message = goja.Undefined(), expected
	} else if !goja.IsUndefined(expected) && !goja.IsNull(expected) && !isObject(expected) {
		throwTypef(k.v, "ERR_INVALID_ARG_TYPE", "The \"error\" argument must be of type function or an instance of Error, RegExp, or Object. Received %s", describeArg(expected))
	}
	if actual == nil {
		details := ""
		if eo, ok := expected.(*goja.Object); ok && truthy(eo.Get("name")) {
			details += " (" + eo.Get("name").String() + ")"
		}
		if truthy(message) {
			details += ": " + message.String()
		} else {
			details += "."
		}
		panic(k.newAE("Missing expected "+fnType+details, false, goja.Undefined(), expected, op))
	}
	if !truthy(expected) {
		return
	}
	k.expectedException(actual, expected.(*goja.Object), message, op)
}

// expectedException is Node's expectedException.
func (k *assertKit) expectedException(actual goja.Value, expected *goja.Object, message goja.Value, op string) {
	rt := k.rt
	throwAE := func(generated string) {
		if truthy(message) {
			k.fail(message, "", actual, expected, op)
		}
		panic(k.newAE(generated, true, actual, expected, op))
	}
	fn, isFn := goja.AssertFunction(expected)
	switch {
	case !isFn && isRegExp(expected):
		str := rt.ToValue(actual.String())
		if k.regexpMatches(expected, str) {
			return
		}
		throwAE(fmt.Sprintf("The input did not match the regular expression %s. Input:\n\n%s\n", k.inspect(expected), k.inspect(str)))
	case !isFn && !isObject(actual):
		throwAE(errDiff(k, actual, expected))
	case !isFn:
		ao := actual.(*goja.Object)
		keys := expected.Keys()
		if rt.InstanceOf(expected, k.errorCtor) {
			keys = append(keys, "name", "message")
		} else if len(keys) == 0 {
			throwTypef(k.v, "ERR_INVALID_ARG_VALUE", "The argument 'error' may not be an empty object. Received %s", k.inspect(expected))
		}
		for _, key := range keys {
			got, want := ao.Get(key), expected.Get(key)
			if _, isStr := got.(goja.String); isStr && isRegExp(want) && k.regexpMatches(want, got) {
				continue
			}
			has := rt.ToValue(key)
			if _, in := ownOrInherited(ao, has.String()); !in || !deepEqual(rt, orUndefined(got), orUndefined(want), true, map[[2]*goja.Object]bool{}) {
				if truthy(message) {
					k.fail(message, "", actual, expected, op)
				}
				a := k.comparison(ao, keys, nil)
				b := k.comparison(expected, keys, ao)
				panic(k.newAE(errDiff(k, a, b), true, actual, expected, op))
			}
		}
	case expected.Get("prototype") != nil && !goja.IsUndefined(expected.Get("prototype")) && rt.InstanceOf(actual, expected):
		return
	case isPrototypeOf(k.errorCtor, expected):
		msg := fmt.Sprintf("The error is expected to be an instance of \"%s\". Received ", valueString(expected.Get("name")))
		if ao, ok := actual.(*goja.Object); ok && isErrorObject(ao) {
			name := ""
			if c, ok := ao.Get("constructor").(*goja.Object); ok {
				name = valueString(c.Get("name"))
			}
			if name == "" {
				name = valueString(ao.Get("name"))
			}
			if valueString(expected.Get("name")) == name {
				msg += "an error with identical name but a different prototype."
			} else {
				msg += "\"" + name + "\""
			}
			if m := ao.Get("message"); truthy(m) {
				msg += "\n\nError message:\n\n" + m.String()
			}
		} else {
			msg += "\"" + k.v.Inspect(actual, vm.InspectOptions{Depth: -1, BreakLength: math.MaxInt32}) + "\""
		}
		throwAE(msg)
	default:
		res, err := fn(rt.NewObject(), actual)
		if err != nil {
			rethrow(k.v, err)
		}
		if !res.SameAs(rt.ToValue(true)) {
			name := ""
			if n := expected.Get("name"); truthy(n) {
				name = "\"" + n.String() + "\" "
			}
			msg := fmt.Sprintf("The %svalidation function is expected to return \"true\". Received %s", name, k.inspect(res))
			if isErrorObject(actual) {
				msg += "\n\nCaught error:\n\n" + actual.String()
			}
			throwAE(msg)
		}
	}
}

// expectsNoError is Node's expectsNoError: nothing thrown passes; an
// error that matches expected (or any, without one) fails; another is
// thrown again.
func (k *assertKit) expectsNoError(op, fnType string, actual goja.Value, args []goja.Value) {
	if actual == nil {
		return
	}
	expected, message := arg(args, 0), arg(args, 1)
	if _, isStr := expected.(goja.String); isStr {
		expected, message = goja.Undefined(), expected
	}
	if !truthy(expected) || k.hasMatchingError(actual, expected) {
		details := "."
		if truthy(message) {
			details = ": " + message.String()
		}
		actualMessage := "undefined"
		if ao, ok := actual.(*goja.Object); ok {
			actualMessage = valueOrUndefined(ao.Get("message"))
		}
		panic(k.newAE(fmt.Sprintf("Got unwanted %s%s\nActual message: \"%s\"", fnType, details, actualMessage), false, actual, expected, op))
	}
	panic(actual)
}

func (k *assertKit) hasMatchingError(actual, expected goja.Value) bool {
	eo, _ := expected.(*goja.Object)
	fn, isFn := goja.AssertFunction(expected)
	if !isFn {
		if isRegExp(expected) {
			return k.regexpMatches(expected, k.rt.ToValue(actual.String()))
		}
		throwTypef(k.v, "ERR_INVALID_ARG_TYPE", "The \"expected\" argument must be of type function or an instance of RegExp. Received %s", describeArg(expected))
	}
	if p := eo.Get("prototype"); p != nil && !goja.IsUndefined(p) && k.rt.InstanceOf(actual, eo) {
		return true
	}
	if isPrototypeOf(k.errorCtor, eo) {
		return false
	}
	res, err := fn(k.rt.NewObject(), actual)
	if err != nil {
		rethrow(k.v, err)
	}
	return res.SameAs(k.rt.ToValue(true))
}

// comparison is Node's Comparison: the keys of obj that it has, with a
// string of actual in place of a RegExp of obj that it matches.
func (k *assertKit) comparison(obj *goja.Object, keys []string, actual *goja.Object) *goja.Object {
	c := k.rt.NewObject()
	proto := k.rt.NewObject()
	ctor := k.v.NewFunction("Comparison", 0, func(goja.FunctionCall) goja.Value { return goja.Undefined() })
	defineHidden(proto, "constructor", ctor)
	_ = c.SetPrototype(proto)
	for _, key := range keys {
		if _, in := ownOrInherited(obj, key); !in {
			continue
		}
		val := obj.Get(key)
		if actual != nil {
			if got, isStr := actual.Get(key).(goja.String); isStr && isRegExp(val) && k.regexpMatches(val, got) {
				val = got
			}
		}
		_ = c.Set(key, orUndefined(val))
	}
	return c
}

// ownOrInherited is JavaScript's `key in o`.
func ownOrInherited(o *goja.Object, key string) (goja.Value, bool) {
	for p := o; p != nil; p = p.Prototype() {
		if d := p.GetOwnPropertyNames(); contains(d, key) {
			return p.Get(key), true
		}
	}
	return nil, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orUndefined(val goja.Value) goja.Value {
	if val == nil {
		return goja.Undefined()
	}
	return val
}

func valueOrUndefined(val goja.Value) string {
	if val == nil || goja.IsUndefined(val) {
		return "undefined"
	}
	return val.String()
}

// isPrototypeOf is proto.isPrototypeOf(o).
func isPrototypeOf(proto, o *goja.Object) bool {
	for p := o.Prototype(); p != nil; p = p.Prototype() {
		if p == proto {
			return true
		}
	}
	return false
}

// errDiff is the message of Node's AssertionError for deepStrictEqual
// (createErrDiff of Node 20's assertion_error.js), over values shown as
// Node's inspectValue shows them: one property a line, keys sorted.
func errDiff(k *assertKit, actual, expected goja.Value) string {
	const header = "Expected values to be strictly deep-equal:"
	actualLines := strings.Split(k.inspectLong(actual, ""), "\n")
	expectedLines := strings.Split(k.inspectLong(expected, ""), "\n")
	all := append([]string(nil), actualLines...)
	i := 0
	indicator := ""
	if len(actualLines) == 1 && len(expectedLines) == 1 && actualLines[0] != expectedLines[0] {
		a, b := actualLines[0], expectedLines[0]
		if n := len(utf16Units(a)) + len(utf16Units(b)); n <= 12 {
			if !isObject(actual) && !isObject(expected) && !(actual.SameAs(k.rt.ToValue(0)) && expected.SameAs(k.rt.ToValue(0))) {
				return header + "\n\n" + a + " !== " + b + "\n"
			}
		} else if n < 80 {
			ua, ub := utf16Units(a), utf16Units(b)
			for i < len(ua) && i < len(ub) && ua[i] == ub[i] {
				i++
			}
			if i > 2 {
				indicator = "\n  " + strings.Repeat(" ", i) + "^"
				i = 0
			}
		}
	}
	end, other, res := "", "", ""
	skipped := false
	for len(actualLines) > 0 && len(expectedLines) > 0 && actualLines[len(actualLines)-1] == expectedLines[len(expectedLines)-1] {
		a := actualLines[len(actualLines)-1]
		if i < 3 {
			end = "\n  " + a + end
		} else {
			other = a
		}
		i++
		actualLines = actualLines[:len(actualLines)-1]
		expectedLines = expectedLines[:len(expectedLines)-1]
	}
	maxLines := max(len(actualLines), len(expectedLines))
	if maxLines == 0 {
		if len(all) > 50 {
			all = append(all[:46], "...")
		}
		return "Values identical but not reference-equal:\n\n" + strings.Join(all, "\n") + "\n"
	}
	if i >= 5 {
		end = "\n..." + end
		skipped = true
	}
	if other != "" {
		end = "\n  " + other + end
		other = ""
	}
	identical := 0
	lines, plusMinus, maxLength := actualLines, "+", len(expectedLines)
	if len(actualLines) < maxLines {
		lines, plusMinus, maxLength = expectedLines, "-", len(actualLines)
	}
	flushIdentical := func(i int) {
		if identical > 2 {
			if identical > 3 {
				if identical > 4 {
					if identical == 5 {
						res += "\n  " + lines[i-3]
					} else {
						res += "\n..."
						skipped = true
					}
				}
				res += "\n  " + lines[i-2]
			}
			res += "\n  " + lines[i-1]
		}
		identical = 0
	}
	for i = 0; i < maxLines; i++ {
		if maxLength < i+1 {
			flushIdentical(i)
			if plusMinus == "+" {
				res += "\n" + plusMinus + " " + lines[i]
			} else {
				other += "\n" + plusMinus + " " + lines[i]
			}
			continue
		}
		expectedLine, actualLine := expectedLines[i], actualLines[i]
		diverging := actualLine != expectedLine && (!strings.HasSuffix(actualLine, ",") || actualLine[:len(actualLine)-1] != expectedLine)
		if diverging && strings.HasSuffix(expectedLine, ",") && expectedLine[:len(expectedLine)-1] == actualLine {
			diverging = false
			actualLine += ","
		}
		if diverging {
			flushIdentical(i)
			res += "\n+ " + actualLine
			other += "\n- " + expectedLine
			continue
		}
		res += other
		other = ""
		identical++
		if identical <= 2 {
			res += "\n  " + actualLine
		}
	}
	msg := header + "\n+ actual - expected"
	if skipped {
		msg += " ... Lines skipped"
	}
	return msg + "\n" + res + other + end + indicator
}

func utf16Units(s string) []uint16 { return utf16.Encode([]rune(s)) }

// inspectLong shows a value as Node's inspectValue does (compact: false,
// sorted: true): every property of an object or array on a line of its
// own, indented by two spaces a level.
func (k *assertKit) inspectLong(val goja.Value, indent string) string {
	o, ok := val.(*goja.Object)
	if !ok {
		return k.inspect(val)
	}
	kind := heap.KindOf(o)
	if kind != heap.KindOrdinary && kind != heap.KindArray && kind != heap.KindSparseArray {
		return k.inspect(val)
	}
	inner := indent + "  "
	if o.ClassName() == "Array" {
		n := int(o.Get("length").ToInteger())
		if n == 0 {
			return "[]"
		}
		items := make([]string, n)
		for i := range items {
			items[i] = inner + k.inspectLong(orUndefined(o.Get(itoa(i))), inner)
		}
		return "[\n" + strings.Join(items, ",\n") + "\n" + indent + "]"
	}
	keys := o.Keys()
	sort.Strings(keys)
	head := ""
	if p := o.Prototype(); p == nil {
		head = "[Object: null prototype] "
	} else if c, ok := p.Get("constructor").(*goja.Object); ok {
		if name := valueString(c.Get("name")); name != "" && name != "Object" {
			head = name + " "
		}
	}
	if len(keys) == 0 {
		return head + "{}"
	}
	items := make([]string, len(keys))
	for i, key := range keys {
		items[i] = inner + keyString(key) + ": " + k.inspectLong(orUndefined(o.Get(key)), inner)
	}
	return head + "{\n" + strings.Join(items, ",\n") + "\n" + indent + "}"
}

// keyString shows a property key as util.inspect does: quoted unless it
// is an identifier.
func keyString(key string) string {
	for i, r := range key {
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return "'" + strings.ReplaceAll(key, "'", "\\'") + "'"
		}
	}
	if key == "" {
		return "''"
	}
	return key
}
