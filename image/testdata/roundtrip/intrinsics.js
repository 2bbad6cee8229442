Array.prototype.sum = function () { return this.reduce((x, y) => x + y, 0) };
Object.defineProperty(Array.prototype, "sum", { enumerable: false });
delete Math.hypot;
Math.answer = 42;
var origMax = Math.max;
Math.max = function () { return "patched" };
String.prototype.shout = function () { return this.toUpperCase() + "!" };
JSON.custom = { nested: true };
var keep = { push: Array.prototype.push, log: console.log, mathObj: Math, proto: Object.prototype, origMax: origMax };
Object.freeze(Number.prototype);
globalThis.viaGlobal = "g";
// save
console.log([1, 2, 3].sum(), Object.keys([]).length, "hypot" in Math, Math.answer, Math.max(1, 2), keep.origMax(1, 5));
console.log("abc".shout(), JSON.custom.nested, keep.push === Array.prototype.push, keep.mathObj === Math, keep.proto === Object.prototype);
console.log(Object.isFrozen(Number.prototype), Object.isFrozen(String.prototype), viaGlobal, keep.log === console.log);
var arr = []; keep.push.call(arr, 1, 2); console.log(arr.length);
