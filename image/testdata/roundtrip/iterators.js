// Built-in iterator objects keep their position anywhere in the heap.
var arr = [1, 2, 3, 4];
var a1 = arr[Symbol.iterator](); a1.next();
var a2 = arr.entries(); a2.next(); a2.next();
var a3 = arr.keys();
var done = [7].values(); done.next(); done.next();
var m = new Map([["a", 1], ["b", 2], ["c", 3], ["d", 4]]);
var m1 = m.entries(); m1.next();
var m2 = m.keys(); m2.next(); m2.next();
var s = new Set(["x", "y", "z"]);
var s1 = s.values(); s1.next();
var s2 = s.entries();
var lone = new Set([1, 2, 3]).values(); lone.next();
var str = "a€😀b\ud800c"[Symbol.iterator](); str.next(); str.next();
var ta = new Uint16Array([5, 6, 7]).values(); ta.next();
var args = (function () { return arguments })(8, 9, 10)[Symbol.iterator](); args.next();
var rx = "a1b22c333".matchAll(/\d+/g); rx.next();
a1.extra = "own property";
// save
console.log(JSON.stringify([a1.next(), a1.extra, [...a1]]), [...a2], [...a3], JSON.stringify(done.next()));
m.delete("b"); m.set("e", 5);
console.log([...m1], [...m2]);
s.delete("x"); s.add("w");
console.log([...s1], [...s2], [...lone]);
console.log([...str].map((c) => c.charCodeAt(0)), [...ta], [...args], [...rx].map((r) => r[0] + "@" + r.index));
console.log(Object.prototype.toString.call(m1), Object.getPrototypeOf(a1) === Object.getPrototypeOf([].values()));
---
// A Map iterator whose current entry was deleted before the save goes on from the next one.
var m = new Map([[1, "a"], [2, "b"], [3, "c"]]);
var it = m.keys(); it.next(); it.next();
m.delete(2); m.delete(1);
var c = new Map([[1, 1]]); var ci = c.keys(); c.clear(); c.set(9, 9);
// save
console.log([...it], [...ci]);
---
// Generators suspended in for-of over every kind of iterable.
function* over(it) { for (const x of it) yield x }
var g1 = over([1, 2, 3]);
var g2 = over(new Map([["k", 1], ["l", 2], ["m", 3]]));
var g3 = over(new Set([4, 5, 6]).entries());
var g4 = over("x€😀y");
var g5 = over(new Float64Array([1.5, 2.5, 3.5]));
var g6 = over((function () { return arguments })("p", "q", "r"));
var g7 = over([9, 8, 7].keys());
function range(n) { let i = 0; return { [Symbol.iterator]() { return this }, next: () => i < n ? { value: i++, done: false } : { value: "end", done: true } } }
var g8 = over(range(4));
var g9 = over(over(over([11, 12, 13])));
for (const g of [g1, g2, g3, g4, g5, g6, g7, g8, g9]) g.next();
// save
for (const g of [g1, g2, g3, g4, g5, g6, g7, g8, g9]) console.log(JSON.stringify([...g]));
---
// for-in keeps the keys still to visit, in order; deleted keys are skipped.
function* keys(o) { for (const k in o) yield k + "=" + o[k] }
var proto = { inherited: 1 };
var o = Object.create(proto); o.b = 2; o.a = 3; o[2] = 4; o[1] = 5; o.c = 6;
var gk = keys(o); gk.next(); gk.next();
var gd = keys({ x: 1, y: 2, z: 3 }); gd.next();
var gn = keys(null);
var ga = keys([10, 20, 30]); ga.next();
var gs = keys("xyz"); gs.next();
var gp = keys(new Proxy({ p: 1, q: 2, r: 3 }, { has(t, k) { console.log("has trap", k); return k in t } })); gp.next();
// save
delete o.c; o.added = 7;
console.log([...gk], [...gn], [...ga], [...gs], [...gp]);
console.log(gd.next().value, gd.next().value, gd.next().done);
---
// yield* into arrays and generators; return() and throw() while inside.
function* inner(tag) { try { yield tag + 1; yield tag + 2; yield tag + 3 } finally { console.log("inner finally", tag) } }
function* outer() { yield* [1, 2, 3]; try { yield* inner("a") } catch (e) { yield "caught " + e } ; return "outer done" }
var d1 = outer(); d1.next(); d1.next();
var d2 = outer(); for (let i = 0; i < 4; i++) d2.next();
var d3 = outer(); for (let i = 0; i < 4; i++) d3.next();
var d4 = outer(); for (let i = 0; i < 4; i++) d4.next();
function* loops() { try { for (const x of inner("L")) { yield x } } finally { console.log("loops finally") } }
var d5 = loops(); d5.next();
var d6 = loops(); d6.next();
// save
console.log(JSON.stringify([...d1]));
console.log(JSON.stringify([d2.next(), d2.next(), d2.next()]));
console.log(JSON.stringify([d3.return("r"), d3.next()]));
console.log(JSON.stringify([d4.throw("boom"), d4.next()]));
console.log(JSON.stringify([d5.return("stop"), d5.next()]));
try { d6.throw(new Error("bad")) } catch (e) { console.log("thrown out:", e.message) }
---
// Nested and labelled loops with break and continue, inside try/finally.
function* nest() {
  outer: for (const i of [1, 2, 3]) {
    try {
      for (const j of "abc") {
        if (j === "b" && i === 2) continue outer;
        if (i === 3 && j === "c") break outer;
        for (const k in { p: 1, q: 2 }) yield i + j + k;
      }
    } finally { yield "finally " + i }
  }
  return "end";
}
var n1 = nest(); n1.next(); n1.next(); n1.next();
var n2 = nest(); for (let i = 0; i < 9; i++) n2.next();
// save
console.log(JSON.stringify([...n1]), JSON.stringify([...n2]));
---
// Closing: break and return out of a for-of run the iterator's return().
function counter(n, log) {
  let i = 0;
  return { [Symbol.iterator]() { return this }, next() { return i < n ? { value: i++, done: false } : { done: true } }, return(v) { log.push("closed at " + i); return { done: true, value: v } } };
}
var log = [];
function* brk() { for (const x of counter(10, log)) { if (x === 3) break; yield x } yield "after break" }
function* ret() { for (const x of counter(10, log)) { if (x === 2) return "returned"; yield x } }
var b1 = brk(); b1.next(); b1.next();
var r1 = ret(); r1.next();
// save
console.log(JSON.stringify([...b1]), JSON.stringify([r1.next(), r1.next(), r1.next()]), log);
---
// Destructuring from an iterator while suspended.
function* destr(src) { const [a = yield "need a", b, ...rest] = src; return [a, b, rest] }
var ds = destr([undefined, 2, 3, 4]); ds.next();
// save
console.log(JSON.stringify(ds.next("given")));
---
// A loop keeps the next method it started with, even when the iterator's changes.
function makeIt() { let i = 0; const it = { [Symbol.iterator]() { return this }, next() { return i < 5 ? { value: "first" + i++, done: false } : { done: true } } }; return it }
var src = makeIt();
function* follow() { for (const x of src) yield x }
var fo = follow(); fo.next();
src.next = function () { return { value: "second", done: false } };
// save
console.log([...fo], src.next().value);
---
// An iterator is the only holder of its Map, which is reached again through its own entries.
var it = (function () { var m = new Map(); m.set("self", { m }); m.set("b", 2); return m.values() })();
var first = it.next().value;
// save
first.m.set("added", 3);
console.log([...it], first.m.size);
