var app = { handlers: [1, 2, (function () { var p = new Promise(() => {}); p.then((function () { var e; Promise.resolve.call(function (x) { e = x; x(function () {}, function () {}) }, 0); return e })()); return p })()] };
// save fails: globalThis.app.handlers[2]: promise handler is a native function that is not a built-in
---
// A promise capability's executor, made by goja for a constructor that is not Promise.
var rev = { executor: (function () { var e; Promise.resolve.call(function (x) { e = x; x(function () {}, function () {}) }, 0); return e })() };
// save fails: globalThis.rev.executor: native function that is not a built-in
---
function outer() { return () => arguments.length }
var broken = outer(1, 2);
// save fails: globalThis.broken: arrow function reads its parent's arguments (goja cannot restore it)
---
var app = { made: [(0, eval)("let local = 5; () => local")] };
// save fails: globalThis.app.made[0]: function made by eval code that declares let, const or class at its top level
---
function method() { return eval("() => this.tag") }
var arrowThis = method.call({ tag: "T" });
// save fails: arrowThis: arrow function made by direct eval uses its caller's this
---
function makeStore(label) { let count = 0; const rev = (function () { var e; Promise.resolve.call(function (x) { e = x; x(function () {}, function () {}) }, 0); return e })(); return { hit() { count++; return label + count + typeof rev } } }
var app = { store: makeStore("s") };
// save fails: globalThis.app.store.hit.<scope of makeStore>.rev: native function that is not a built-in
---
var holder = { f(a) { return { nested: () => (y) => arguments[y] } } };
var nestedArrow = holder.f("x").nested;
// save fails: globalThis.nestedArrow: arrow function reads its parent's arguments
---
var viaEval = { strings: (0, eval)("(function (s) { return s })`e${1}`") };
// save fails: globalThis.viaEval.strings: tagged template object made by eval code
---
// One save names every distinct reason (up to a few), each at its first path.
var execs = { one: (function () { var e; Promise.resolve.call(function (x) { e = x; x(function () {}, function () {}) }, 0); return e })() };
execs.two = (function () { var e; Promise.resolve.call(function (x) { e = x; x(function () {}, function () {}) }, 0); return e })();
var viaEval = (0, eval)("(function (s) { return s })`e${1}`");
var app = { made: [(0, eval)("let local = 5; () => local")] };
// save fails: 3 things cannot be saved: globalThis.viaEval: tagged template object made by eval code (its call site cannot be found again; cannot be saved); globalThis.execs.one: native function that is not a built-in (needs a native plugin); globalThis.app.made[0]: function made by eval code that declares let, const or class at its top level
---
// A path through a suspended async function names it and where it waits.
var gate = {};
async function runJobs(jobs) {
  const exec = (function () { var e; Promise.resolve.call(function (x) { e = x; x(function () {}, function () {}) }, 0); return e })();
  for (let i = 0; i < jobs; i++) {
    await new Promise((r) => { gate.open = r });
  }
  return typeof exec;
}
var running = runJobs(2);
// save fails: globalThis.gate.open.<internal>.<suspended runJobs (setup.js:7)>[3]: native function that is not a built-in
---
// A reason raised in a suspended frame names it too.
function* cleanup() {
  try { throw new Error("boom") } finally { yield "cleaning" }
}
var stepped = cleanup(); stepped.next();
// save fails: globalThis.stepped: computation suspended in a finally block with an exception pending (cannot be saved yet) in cleanup (setup.js:4)
---
// A suspended function's captured variables are named, as a closure's are.
var gate = {};
async function runJobs(jobs) {
  let done = 0;
  const exec = (function () { var e; Promise.resolve.call(function (x) { e = x; x(function () {}, function () {}) }, 0); return e })();
  const report = () => done + typeof exec;
  for (let i = 0; i < jobs; i++) {
    await new Promise((r) => { gate.open = r });
    done++;
  }
  return report();
}
var running = runJobs(2);
// save fails: globalThis.gate.open.<internal>.<suspended runJobs (setup.js:9)>.<scope>.exec: native function that is not a built-in
