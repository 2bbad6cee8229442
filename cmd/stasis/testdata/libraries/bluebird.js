// package: bluebird@3.7.2
// load: js/browser/bluebird.js
// Bluebird promises: pending chains and a delay across the save.
var B = Promise.noConflict ? Promise.noConflict() : P;
var resolveLater;
var gate = new B((r) => { resolveLater = r });
var mapped = gate.then((n) => B.map([1, 2, 3], (x) => x * n));
var slow = B.delay(60, "slow");
var joined = B.join(mapped, slow, (m, s) => m.join() + " " + s);
// probe
resolveLater(10);
joined.then((s) => console.log("joined", s));
B.reduce([1, 2, 3], (a, b) => a + b, 0).then((s) => console.log("sum", s));
console.log(gate.isPending(), typeof B.promisify, B.resolve(1).isFulfilled());
