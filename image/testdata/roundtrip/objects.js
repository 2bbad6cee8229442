var o = { b: 1, a: 2, 10: "ten", 2: "two", "x y": 3 };
o[1] = "one";
Object.defineProperty(o, "hidden", { value: 4, enumerable: false, writable: false, configurable: true });
Object.defineProperty(o, "acc", { get() { return this.b * 100 }, set(v) { this.b = v }, enumerable: true, configurable: true });
var s1 = Symbol("tag"), s2 = Symbol.for("reg"), s3 = Symbol();
o[s1] = "sym1"; o[s2] = "sym2"; o[s3] = "sym3"; o[Symbol.toStringTag] = "Custom";
var frozen = Object.freeze({ k: 1, nested: { m: 2 } });
var sealed = Object.seal({ k: 1 });
var nonext = Object.preventExtensions({ k: 1 });
var nullProto = Object.create(null); nullProto.z = 26;
var base = { greet() { return "hi from base" } };
var mid = Object.create(base); mid.level = "mid";
var leaf = Object.create(mid); leaf.level = "leaf";
var symKeys = { [s1]: s1, same: s1 };
// save
console.log(JSON.stringify(Object.keys(o)), Reflect.ownKeys(o).length);
console.log(JSON.stringify(Object.getOwnPropertyDescriptor(o, "hidden")));
console.log(o.acc, (o.acc = 7, o.acc), o.b);
console.log(o[s1], o[s2], o[s3], String(o), o[Symbol.for("reg")]);
console.log(Object.isFrozen(frozen), Object.isFrozen(frozen.nested), Object.isSealed(sealed), Object.isExtensible(nonext));
"use strict";
try { (function () { "use strict"; frozen.k = 2 })() } catch (e) { console.log(e.constructor.name) }
console.log(Object.getPrototypeOf(nullProto), nullProto.z, "toString" in nullProto);
console.log(leaf.greet(), leaf.level, Object.getPrototypeOf(leaf) === mid, Object.getPrototypeOf(mid) === base);
console.log(symKeys[s1] === s1, symKeys.same === s1, Symbol.keyFor(s2), s3.description, s1.description);
