// assert.throws, doesNotThrow, rejects and doesNotReject judge errors as
// node's do: a class, a RegExp, a validation function or an object of
// expected properties, with Node's messages, codes and fields.
const assert = require("assert");
const show = (e) => JSON.stringify([e.name, e.code, e.message, e.generatedMessage, e.operator, String(e.actual), typeof e.expected]);
class E2 extends Error {}
class E3 extends Error {}
const error = (msg) => new Error(msg);
const cases = [
  [error("x"), TypeError], [new RangeError("r"), TypeError], [new TypeError("t"), TypeError], [error("x"), Error],
  [error("x"), /x/], [error("x"), /y/], [error("x"), /y/, "custom"], ["str", /s/], [1, TypeError], [null, TypeError],
  [error("x"), (e) => e.message === "x"], [error("x"), (e) => false], [error("x"), function named() { return 1 }],
  [error("x"), () => "yes"], [error("x"), { message: "x" }], [error("x"), { message: "y" }], [error("x"), { message: "x", code: 3 }],
  [error("x"), { message: /x/, name: "Error" }], [error("x"), { message: /y/ }], [{ a: 1, b: "s" }, { a: 2, b: "s", c: undefined }],
  [{ a: [1, 2], n: { deep: true } }, { a: [1, 3], n: { deep: true } }], [new TypeError("m"), new TypeError("n")],
  [new TypeError("m"), new TypeError("m")], [1, { message: "y" }], [1, {}], [error("x"), {}], [error("x"), { message: "y" }, "told you"],
  [error("x"), { message: "y" }, new RangeError("mine")], [new E2("x"), E3], [new E2("x"), E2], [error("x"), "a", "b"], [error("x"), 5],
  [error("x"), "x"], ["x", "x"], [error("x"), "just a message"], [error("x")], [error("x"), undefined, "m"], [error("x"), null],
  [Object.assign(error("x"), { code: "E_X" }), { code: "E_X", message: "x" }], ["long string value", { length: 17 }],
];
for (const [thrown, ...rest] of cases) {
  try { assert.throws(() => { throw thrown }, ...rest); console.log("throws passed") } catch (e) { console.log("throws", show(e)) }
}
for (const rest of [[], [TypeError], ["msg"], [TypeError, "msg"], [/x/]]) {
  try { assert.throws(() => 1, ...rest) } catch (e) { console.log("throws none", show(e)) }
}
for (const rest of [[], ["because"], [TypeError], [Error], [/x/], [/y/], [(e) => true], [5]]) {
  try { assert.doesNotThrow(() => { throw error("x") }, ...rest); console.log("doesNotThrow passed") } catch (e) { console.log("doesNotThrow", show(e)) }
}
assert.doesNotThrow(() => 1);
const order = [];
(async () => {
  for (const [thrown, ...rest] of cases) {
    await assert.rejects(Promise.reject(thrown), ...rest).then(() => console.log("rejects passed"), (e) => console.log("rejects", show(e)));
    await assert.rejects(async () => { throw thrown }, ...rest).then(() => console.log("rejects fn passed"), (e) => console.log("rejects fn", show(e)));
  }
  for (const target of [Promise.resolve(1), () => Promise.resolve(2), () => 1, 1, () => { throw error("sync") }, { then() {}, catch() {} }, { then(r) { r(1) }, catch() {} }]) {
    await assert.rejects(target, TypeError).then(() => console.log("rejects passed"), (e) => console.log("rejects other", show(e)));
  }
  for (const rest of [[], ["because"], [TypeError], [Error], [/x/], [/y/], [(e) => true], [5]]) {
    await assert.doesNotReject(Promise.reject(error("x")), ...rest).then(() => console.log("doesNotReject passed"), (e) => console.log("doesNotReject", show(e)));
  }
  await assert.doesNotReject(() => Promise.resolve(3)).then((v) => console.log("doesNotReject fulfilled", v));
  const r = assert.rejects(Promise.reject(error("late")));
  console.log(r instanceof Promise, typeof assert.rejects(Promise.reject(1)).then, assert.rejects.length, assert.doesNotReject.length, assert.strict.rejects === undefined);
  await r;
  // When the returned promise settles, counted in turns of the microtask queue.
  const p = assert.rejects(Promise.reject(error("t")));
  p.then(() => order.push("rejects settled"));
  Promise.resolve().then(() => order.push(1)).then(() => order.push(2)).then(() => order.push(3)).then(() => order.push(4));
  await new Promise((r) => setTimeout(r, 1));
  console.log(order.join());
})();
