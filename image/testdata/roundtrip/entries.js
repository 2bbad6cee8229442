// Maps and Sets whose keys a load hashes itself (strings of ASCII, numbers, objects), larger than a batch of entries.
class Account { constructor(id) { this.id = id; this.history = [id % 7] } }
var byName = new Map(), ids = new Set(), objs = new Map(), shared = { n: "shared" };
for (var i = 0; i < 200; i++) { byName.set("acct" + i, new Account(i)); ids.add(i % 3 ? i : i + 0.5); }
for (var i = 0; i < 150; i++) objs.set(i % 10 ? { n: i } : byName.get("acct" + i), i % 2 ? shared : "v" + i);
objs.set(shared, objs);
for (var i = 0; i < 200; i += 7) { byName.delete("acct" + i); ids.delete(i) }
byName.set("acct0", "back at the end"); ids.add(-1e300); ids.add(2 ** 60); ids.add(Infinity); ids.add(NaN);
var nested = new Map([["inner", new Map([[1, new Set(["a", "b"])]])], ["", new Set()]]);
var it = byName.keys(); for (var i = 0; i < 5; i++) it.next();
var show = (x) => x instanceof Account ? "A" + x.id : typeof x === "object" && x !== null ? (x.n !== undefined ? "o" + x.n : x === objs ? "objs" : "?") : String(x);
// save
var dump = (c) => { var s = []; c.forEach((v, k) => s.push(show(k) + "=" + show(v))); return c.size + ":" + s.join(",") };
console.log(dump(byName)); console.log(dump(ids)); console.log(dump(objs));
console.log(byName.get("acct1").id, byName.has("acct7"), byName.get("acct0"), ids.has(1.5), ids.has(0.5), ids.has(NaN), ids.has(2 ** 60), objs.get(shared) === objs);
console.log(nested.get("inner").get(1).has("b"), nested.get("").size, [...it].slice(0, 3).join());
for (var [k, v] of objs) if (typeof k === "object" && k.n % 3 === 0) objs.delete(k);
byName.delete("acct1"); byName.set("acct1", 1); byName.set("new", 2); ids.add(7); ids.add(8);
console.log(dump(byName)); console.log(dump(ids)); console.log(dump(objs));
byName.clear(); byName.set("after", 1); console.log(dump(byName));
---
// A Map whose keys include one a load leaves to Map.prototype.set (a symbol) keeps its order and entries.
var sym = Symbol("s");
var m = new Map([["a", 1], [sym, 2], [1, 3], ["é", 4], [true, 5], [null, 6]]);
var s = new Set(["x", sym, 2, "ü", false]);
// save
console.log([...m].map(([k, v]) => String(k) + v).join(), m.get(sym), m.get("é"), m.get(true), m.size);
console.log([...s].map(String).join(), s.has(sym), s.has("ü"), s.size);
m.delete("a"); m.set("a", 0); s.delete(2); s.add(2);
console.log([...m.keys()].map(String).join(), [...s].map(String).join());
---
// Keys longer than 16 characters (which goja's ToValue makes lazily scanned strings) and strings as values.
var long = new Map(), names = new Set();
for (var i = 0; i < 100; i++) { long.set("a key longer than sixteen characters #" + i, "value " + i + " ".repeat(i % 3)); names.add("name-" + "x".repeat(i)) }
long.set("é accented and longer than sixteen", 1);
// save
console.log(long.size, long.get("a key longer than sixteen characters #42"), long.has("a key longer than sixteen characters #" + 99), long.get("é accented and longer than sixteen"));
console.log(names.size, names.has("name-" + "x".repeat(50)), [...names].slice(-2).map((s) => s.length).join());
long.delete("a key longer than sixteen characters #0"); long.set("a key longer than sixteen characters #0", "moved");
console.log([...long.keys()].slice(-3).join("|"), [...long.values()].join("").length);
