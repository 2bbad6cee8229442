// structuredClone copies what node copies, refuses what node refuses.
const a = { n: 1, s: "x", d: new Date(0), r: /ab+c/gi, m: new Map([[1, { k: 2 }]]), set: new Set([1, "two"]), arr: [1, , 3], u8: new Uint8Array([1, 2, 3]), big: 10n, nested: { deep: [true, null, undefined] } };
a.self = a; a.shared = a.nested;
const b = structuredClone(a);
console.log(b !== a, b.self === b, b.shared === b.nested, b.nested !== a.nested, b.d.getTime(), b.r.source, b.r.flags, b.m.get(1).k, [...b.set], b.arr.length, 1 in b.arr, b.u8, b.big, b.nested.deep);
class P { constructor() { this.x = 1 } } const p = structuredClone(new P()); console.log(p instanceof P, p.x, Object.getPrototypeOf(p) === Object.prototype);
const e = structuredClone(new RangeError("bad")); console.log(e instanceof RangeError, e.message);
for (const bad of [() => 1, Symbol("s"), { f() {} }]) { try { structuredClone(bad); console.log("cloned") } catch (err) { console.log(err.name) } }
const buf = new ArrayBuffer(4); const v1 = new Uint8Array(buf, 1, 2); const c = structuredClone({ buf, v1 }); console.log(c.v1.buffer === c.buf, c.v1.byteOffset, c.v1.length, structuredClone(new Number(3)) instanceof Number, structuredClone("str"));
