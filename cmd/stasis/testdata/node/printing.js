// What console.log shows of Map and Set iterators (also part-way through,
// and after the map changed), TextEncoder and TextDecoder, EventEmitters,
// errors with properties of their own and classes with a Symbol.toStringTag,
// as node shows them, before and after an image.
var EventEmitter = require("events");
var map = new Map([[1, "one"], [2, { two: [2] }], [3, "three"]]);
var set = new Set(["a", "b", "c"]);
var iters = {
  entries: map.entries(), keys: map.keys(), values: map.values(), mapDefault: map[Symbol.iterator](),
  setValues: set.values(), setEntries: set.entries(), setKeys: set.keys(),
  partEntries: map.entries(), partSet: set.values(), done: map.keys(), empty: new Set().values(),
  afterDelete: map.entries(),
};
iters.partEntries.next();
iters.partSet.next(); iters.partSet.next();
for (const _ of iters.done);
iters.afterDelete.next(); iters.afterDelete.next();
var long = new Set(Array.from({ length: 120 }, (_, i) => i)).values();
function onX() {}
function onY() {}
var plain = new EventEmitter();
var busy = new EventEmitter();
busy.on("x", onX); busy.on("x", onY); busy.once("y", onX); busy.on(Symbol("s"), onY); busy.setMaxListeners(7);
class Job extends EventEmitter { constructor() { super(); this.id = 1 } }
var job = new Job();
job.on("done", onX);
var encoder = new TextEncoder();
var decoders = [new TextDecoder(), new TextDecoder("utf-16le", { fatal: true }), new TextDecoder("utf-8", { ignoreBOM: true })];
var err = new Error("boom");
err.code = "E_BOOM";
err.details = { path: "/x", tries: [1, 2] };
err.stack = "Error: boom\n    at run (job.js:3:9)";
var bare = new TypeError("bare");
bare.stack = "TypeError: bare\n    at f (a.js:1:1)";
bare.n = 0;
class Tagged { constructor() { this.a = 1 } }
Object.defineProperty(Tagged.prototype, Symbol.toStringTag, { value: "tag" });
class Empty {}
Empty.prototype[Symbol.toStringTag] = "bar";
var ownTag = { b: 2, [Symbol.toStringTag]: "own" };
// save
map.delete(2);
map.set(4, "four");
console.log(iters.entries);
console.log(iters.keys, iters.values, iters.mapDefault);
console.log(iters.setValues, iters.setEntries, iters.setKeys);
console.log(iters.partEntries, iters.partSet, iters.done, iters.empty);
console.log(iters.afterDelete);
console.log(iters);
console.log({ deep: { er: { it: map.keys(), set: set.values() } } }, [map.entries()]);
console.log(long);
console.log(iters.partEntries.next().value, [...iters.partSet]);
console.log(encoder, { encoder });
console.log(decoders);
console.log(decoders[0], { d: { d: { d: decoders[1] } } });
console.log(plain);
console.log(busy);
console.log(job, [plain]);
console.log({ a: { b: { c: busy } } }, { a: { b: busy } });
console.log(err);
console.log(bare, { bare });
console.log(new Tagged(), new Empty(), ownTag, { a: { b: { c: new Tagged() } } });
---
// A tag that a getter gives is printed as node prints it, before and after
// an image (the getter runs); a real TextEncoder still prints, and an object
// that only has its prototype still throws as node's does.
class Tagged { get [Symbol.toStringTag]() { return "tag" + this.n; } constructor() { this.n = 1; } }
var tagged = new Tagged();
var encoder = new TextEncoder();
var fake = Object.create(TextEncoder.prototype);
var fakeParams = Object.create(URLSearchParams.prototype);
// save
tagged.n++;
console.log(tagged, [encoder, new TextEncoder()], encoder.encode("é"));
for (const f of [fake, fakeParams]) {
  try { console.log(f) } catch (e) { console.log(e.name, e.code, e.message) }
}
