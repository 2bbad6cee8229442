// What cannot be saved makes save-image fail with the path of the object
// and the reason, and writes no image.
var pending = new Promise(() => {});
pending.then((function () { var e; Promise.resolve.call(function (x) { e = x; x(function () {}, function () {}) }, 0); return e })());
// save fails: globalThis.pending: promise handler is a native function that is not a built-in
---
function* inner() { var o = { n: 1 }; with (o) { n += yield 1 } }
function* outer() { yield* inner() }
var app = { gens: [outer()] };
app.gens[0].next();
// save fails: globalThis.app.gens[0]
