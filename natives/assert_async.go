package natives

import (
	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// assert.rejects and assert.doesNotReject return a promise that settles
// once the given promise (or the one the given function returns) has, and
// then judges its outcome as assert.throws and doesNotThrow judge an
// exception. The judging is the reaction of a then: a bound function whose
// target is the module's built-in settle function and whose bound
// arguments are the assertion and its arguments. A pending assertion is
// thus made of promises and a bound built-in, which an image holds like
// any other.

// thrownBy calls fn and returns what it threw, or nil.
func thrownBy(v *vm.VM, fn goja.Callable) goja.Value {
	_, err := fn(goja.Undefined())
	if err == nil {
		return nil
	}
	if ex, ok := err.(*goja.Exception); ok {
		return ex.Value()
	}
	rethrow(v, err)
	return nil
}

// catchJS runs f and returns the JavaScript value it threw, or nil.
func catchJS(f func()) (thrown goja.Value) {
	defer func() {
		if r := recover(); r != nil {
			switch x := r.(type) {
			case *goja.Exception:
				thrown = x.Value()
			case *goja.Object:
				thrown = x
			default:
				panic(r)
			}
		}
	}()
	f()
	return nil
}

// isPromiseLike is Node's checkIsPromise: a promise, or an object with
// then and catch methods.
func isPromiseLike(val goja.Value) bool {
	o, ok := val.(*goja.Object)
	if !ok {
		return false
	}
	if heap.KindOf(o) == heap.KindPromise {
		return true
	}
	_, hasThen := goja.AssertFunction(o.Get("then"))
	_, hasCatch := goja.AssertFunction(o.Get("catch"))
	return hasThen && hasCatch
}

// installSettle hangs the settle function under the module's state symbol,
// where the walk that names built-ins finds it.
func (k *assertKit) installSettle(m *goja.Object) {
	rt := k.rt
	k.settle = k.v.NewFunction("settle", 4, func(c goja.FunctionCall) goja.Value {
		op, outcome := c.Argument(0).String(), c.Argument(1).String()
		var args []goja.Value
		if arr, ok := c.Argument(2).(*goja.Object); ok {
			for i := int64(0); i < arr.Get("length").ToInteger(); i++ {
				args = append(args, arr.Get(itoa(int(i))))
			}
		}
		var actual goja.Value
		if outcome == "rejected" {
			actual = c.Argument(3)
		}
		if op == "rejects" {
			k.expectsError(op, "rejection", actual, args)
		} else {
			k.expectsNoError(op, "rejection", actual, args)
		}
		return goja.Undefined()
	})
	hold := rt.NewObject()
	_ = hold.Set("settle", k.settle)
	_ = m.DefineDataPropertySymbol(symbolFor(k.v, "stasis.state"), hold, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	in := intrinsicsOf(k.v)
	k.promiseResolve, _ = goja.AssertFunction(in.promiseCtor.Get("resolve"))
	k.promiseReject, _ = goja.AssertFunction(in.promiseCtor.Get("reject"))
	k.promiseProto = in.promiseCtor.Get("prototype").ToObject(rt)
	k.funcProto = rt.GlobalObject().Get("Function").ToObject(rt).Get("prototype").ToObject(rt)
}

// settleLater is assert.rejects (op "rejects") or assert.doesNotReject.
func (k *assertKit) settleLater(op string, args []goja.Value) goja.Value {
	rt := k.rt
	in := intrinsicsOf(k.v)
	call := func(f goja.Callable, this goja.Value, args ...goja.Value) goja.Value {
		r, err := f(this, args...)
		if err != nil {
			rethrow(k.v, err)
		}
		return r
	}
	var promise goja.Value
	thrown := catchJS(func() {
		target := arg(args, 0)
		if fn, isFn := goja.AssertFunction(target); isFn {
			res, err := fn(goja.Undefined())
			if err != nil {
				rethrow(k.v, err)
			}
			if !isPromiseLike(res) {
				throwTypef(k.v, "ERR_INVALID_RETURN_VALUE", "Expected instance of Promise to be returned from the \"promiseFn\" function but got %s.", describeArg(res))
			}
			promise = res
		} else if isPromiseLike(target) {
			promise = target
		} else {
			throwTypef(k.v, "ERR_INVALID_ARG_TYPE", "The \"promiseFn\" argument must be of type function or an instance of Promise. Received %s", describeArg(target))
		}
	})
	if thrown != nil {
		return call(k.promiseReject, in.promiseCtor, thrown)
	}
	var rest []any
	if len(args) > 1 {
		for _, a := range args[1:] {
			rest = append(rest, a)
		}
	}
	restArr := rt.NewArray(rest...)
	bind, ok := goja.AssertFunction(k.funcProto.Get("bind"))
	if !ok {
		throwTypef(k.v, "", "Function.prototype.bind is not a function")
	}
	onFulfilled := call(bind, k.settle, goja.Undefined(), rt.ToValue(op), rt.ToValue("fulfilled"), restArr)
	onRejected := call(bind, k.settle, goja.Undefined(), rt.ToValue(op), rt.ToValue("rejected"), restArr)
	// Promise.prototype.then is looked up now, not at install: an image
	// world replaces it with one that records the reaction's handlers.
	then, ok := goja.AssertFunction(k.promiseProto.Get("then"))
	if !ok {
		throwTypef(k.v, "", "Promise.prototype.then is not a function")
	}
	p := call(k.promiseResolve, in.promiseCtor, promise)
	// One turn more, as Node's two awaits take two.
	p = call(then, p)
	return call(then, p, onFulfilled, onRejected)
}
