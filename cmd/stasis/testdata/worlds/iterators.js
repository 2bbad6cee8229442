// The most common shape of async code: a for-of over an array, awaiting in the body.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const jobs = ["fetch", "parse", "store"];
async function runAll() {
  for (const job of jobs) {
    await sleep(20);
    console.log("did", job);
  }
  return "all done";
}
runAll().then((r) => console.log(r));
// save
console.log("probe runs first");
---
// Async functions paused in loops over every kind of iterable, driven by hand.
const waiters = [];
const tick = (v) => new Promise((resolve) => waiters.push(() => resolve(v)));
const log = (...a) => console.log(...a);
async function overAll() {
  const m = new Map([["a", 1], ["b", 2]]);
  for (const [k, v] of m) { await tick(); log("map", k, v) }
  for (const id of new Set([3, 1, 3, 2])) { await tick(); log("set", id) }
  for (const ch of "h€😀") { await tick(); log("char", ch) }
  for (const [i, x] of ["p", "q"].entries()) { await tick(); log("entry", i, x) }
  for (const n of new Int8Array([-1, 5])) { await tick(); log("int8", n) }
  function* gen() { try { yield "g1"; yield "g2" } finally { log("gen finally") } }
  for (const g of gen()) { await tick(); log("gen", g) }
  const obj = { one: 1, two: 2, three: 3 };
  for (const k in obj) { await tick(); log("key", k); if (k === "one") delete obj.two }
  (function () { args = arguments })("x", "y");
  for (const a of args) { await tick(); log("arg", a) }
  return "overAll done";
}
var args;
overAll().then(log);
async function shapes() {
  let closed = [];
  const counted = (n) => { let i = 0; return { [Symbol.iterator]() { return this }, next: () => i < n ? { value: i++, done: false } : { done: true }, return() { closed.push(i); return {} } } };
  outer: for (const i of counted(3)) {
    try {
      for (const j of counted(3)) {
        await tick();
        if (j === 1) continue outer;
        log("pair", i, j);
      }
    } finally { log("finally", i) }
  }
  for (const x of counted(5)) { await tick(); if (x === 2) break; log("x", x) }
  const found = await (async () => { for (const y of counted(5)) { await tick(); if (y === 1) return "found " + y } })();
  log(found, "closed at", closed);
  return "shapes done";
}
shapes().then(log);
// save
function pump() { const w = waiters.shift(); if (w) { w(); setTimeout(pump, 0) } }
setTimeout(pump, 0);
