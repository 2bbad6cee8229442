// Promise.all, allSettled, any and Promise.prototype.finally, written in
// JavaScript so that the reactions they add to promises are ordinary
// closures, which an image can save. goja's own versions keep their state
// (the values gathered so far, the count of promises left) in Go closures
// that no reflection reaches. The behaviour follows ECMA-262 (27.2.4 and
// 27.2.5.3); the functions keep the built-ins' names, lengths and property
// attributes. Installed by image.NewWorld before the built-ins are recorded.
(function (Promise, TypeError, AggregateError, Symbol_species, defineProperty) {
  "use strict";

  function newCapability(C) {
    if (typeof C !== "function") {
      throw new TypeError("Promise combinator called on a non-constructor");
    }
    let resolve, reject;
    const promise = new C((res, rej) => {
      if (resolve !== undefined || reject !== undefined) {
        throw new TypeError("Promise executor has already been invoked with non-undefined arguments");
      }
      resolve = res;
      reject = rej;
    });
    if (typeof resolve !== "function" || typeof reject !== "function") {
      throw new TypeError("Promise resolve or reject function is not callable");
    }
    return { promise, resolve, reject };
  }

  function resolveFunction(C) {
    const resolve = C.resolve;
    if (typeof resolve !== "function") {
      throw new TypeError("Promise resolve is not a function");
    }
    return resolve;
  }

  // combine runs the loop shared by all, allSettled and any: for each value
  // of iterable, onEach(nextPromise, index, state) adds the reactions; done
  // settles the result when no promise is left.
  function combine(C, iterable, onEach, done) {
    const cap = newCapability(C);
    try {
      const resolve = resolveFunction(C);
      const state = { values: [], remaining: 1, cap };
      let index = 0;
      for (const value of iterable) {
        state.values[index] = undefined;
        state.remaining++;
        onEach(resolve.call(C, value), index++, state);
      }
      if (--state.remaining === 0) done(state);
    } catch (e) {
      cap.reject(e);
    }
    return cap.promise;
  }

  const resolveAll = (state) => state.cap.resolve(state.values);
  const rejectAny = (state) => {
    const err = new AggregateError([], "All promises were rejected");
    defineProperty(err, "errors", { value: state.values, writable: true, enumerable: false, configurable: true });
    state.cap.reject(err);
  };

  const methods = {
    all(iterable) {
      return combine(this, iterable, (next, index, state) => {
        let called = false;
        next.then((value) => {
          if (called) return;
          called = true;
          state.values[index] = value;
          if (--state.remaining === 0) resolveAll(state);
        }, state.cap.reject);
      }, resolveAll);
    },
    allSettled(iterable) {
      return combine(this, iterable, (next, index, state) => {
        let called = false;
        const settle = (entry) => {
          if (called) return;
          called = true;
          state.values[index] = entry;
          if (--state.remaining === 0) resolveAll(state);
        };
        next.then((value) => settle({ status: "fulfilled", value }), (reason) => settle({ status: "rejected", reason }));
      }, resolveAll);
    },
    any(iterable) {
      return combine(this, iterable, (next, index, state) => {
        let called = false;
        next.then(state.cap.resolve, (reason) => {
          if (called) return;
          called = true;
          state.values[index] = reason;
          if (--state.remaining === 0) rejectAny(state);
        });
      }, rejectAny);
    },
  };

  function speciesConstructor(o) {
    const C = o.constructor;
    if (C === undefined) return Promise;
    if ((typeof C !== "object" && typeof C !== "function") || C === null) {
      throw new TypeError("object.constructor is not an object");
    }
    const S = C[Symbol_species];
    if (S === undefined || S === null) return Promise;
    if (typeof S === "function") return S;
    throw new TypeError("object.constructor[Symbol.species] is not a constructor");
  }

  const protoMethods = {
    finally(onFinally) {
      const promise = this;
      if ((typeof promise !== "object" && typeof promise !== "function") || promise === null) {
        throw new TypeError("Promise.prototype.finally called on a non-object");
      }
      const C = speciesConstructor(promise);
      if (typeof onFinally !== "function") {
        return promise.then(onFinally, onFinally);
      }
      return promise.then(
        (value) => resolveFunction(C).call(C, onFinally()).then(() => value),
        (reason) => resolveFunction(C).call(C, onFinally()).then(() => { throw reason; }),
      );
    },
  };

  const install = (target, source, name) => {
    defineProperty(target, name, { value: source[name], writable: true, enumerable: false, configurable: true });
  };
  install(Promise, methods, "all");
  install(Promise, methods, "allSettled");
  install(Promise, methods, "any");
  install(Promise.prototype, protoMethods, "finally");
})
