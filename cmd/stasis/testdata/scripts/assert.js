// require("assert") passes and fails where node's does, with Node's error fields.
const assert = require("assert");
function check(name, f) {
  try { f(); console.log(name, "passed") }
  catch (e) { console.log(name, e.name, e.code, e instanceof assert.AssertionError, e instanceof Error, e.operator, e.generatedMessage, typeof e.actual, typeof e.expected, e.generatedMessage ? "" : e.message.split("\n")[0]) }
}
check("ok", () => assert(1));
check("ok false", () => assert(0, "zero"));
check("ok fn", () => assert.ok(""));
check("equal", () => assert.equal(1, "1"));
check("equal fails", () => assert.equal(1, 2));
check("notEqual", () => assert.notEqual(1, "1"));
check("strictEqual", () => assert.strictEqual(1, "1", "not strict"));
check("strictEqual NaN", () => assert.strictEqual(NaN, NaN));
check("notStrictEqual", () => assert.notStrictEqual(1, 2));
check("deepEqual", () => assert.deepEqual({ a: [1, { b: 2 }], d: new Date(5) }, { a: [1, { b: "2" }], d: new Date(5) }));
check("deepStrictEqual loose", () => assert.deepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: "2" }] }));
check("deepStrictEqual", () => assert.deepStrictEqual({ a: [1, { b: 2 }], m: new Map([[1, { x: 1 }]]), s: new Set([1, 2]) }, { a: [1, { b: 2 }], m: new Map([[1, { x: 1 }]]), s: new Set([2, 1]) }));
check("deepStrictEqual proto", () => assert.deepStrictEqual(Object.create(null), {}));
check("deepEqual proto", () => assert.deepEqual(Object.create(null), {}));
check("deepStrictEqual -0", () => assert.deepStrictEqual([0], [-0]));
check("deepStrictEqual cycle", () => { const a = { n: 1 }; a.a = a; const b = { n: 1 }; b.a = b; assert.deepStrictEqual(a, b) });
check("notDeepStrictEqual", () => assert.notDeepStrictEqual({ a: 1 }, { a: 1 }));
check("buffers", () => assert.deepStrictEqual(Buffer.from("ab"), Buffer.from("ab")));
check("throws", () => assert.throws(() => { throw new TypeError("bad thing") }, TypeError));
check("throws regexp", () => assert.throws(() => { throw new Error("bad thing") }, /bad/));
check("throws object", () => assert.throws(() => { throw new RangeError("bad thing") }, { name: "RangeError", message: /thing/ }));
check("throws none", () => assert.throws(() => 1));
check("throws wrong class", () => assert.throws(() => { throw new Error("x") }, TypeError));
check("throws validate", () => assert.throws(() => { throw new Error("x") }, (e) => e.message === "x"));
check("doesNotThrow", () => assert.doesNotThrow(() => { throw new Error("oops") }));
check("match", () => assert.match("abc", /b/));
check("doesNotMatch", () => assert.doesNotMatch("abc", /b/, "has b"));
check("fail", () => assert.fail("boom"));
check("strict", () => assert.strict.equal(1, "1"));
check("strict ok", () => assert.strict(true));
check("custom error", () => assert.ok(false, new RangeError("mine")));
const e = new assert.AssertionError({ actual: 1, expected: 2, operator: "strictEqual", message: "made" });
console.log(e.name, e.message.split("\n")[0], e.code, e.actual, e.expected, e.operator, require("node:assert") === assert, assert.strict.strict === assert.strict);
