// Closures sharing scopes, made in loops and nested functions.
function counter(start) {
	let n = start;
	return { inc: () => ++n, get: function () { return n }, reset() { n = start } };
}
var c = counter(10); c.inc(); c.inc();
var fns = [];
for (let i = 0; i < 3; i++) { let sq = i * i; fns.push(() => i + ":" + sq); }
function outer(a) {
	var b = a * 2;
	return function middle(c) {
		let d = b + c;
		return function inner(e) { b++; return [a, b, c, d, e].join() };
	};
}
var inner = outer(1)(5);
inner(0);
var memo = (function () { const cache = new Map(); return (k) => { if (!cache.has(k)) cache.set(k, k * 3); return cache.get(k) } })();
memo(4);
// save
console.log(c.inc(), c.get(), (c.reset(), c.get()), c.inc());
console.log(fns.map(f => f()).join(" "));
console.log(inner(1), inner(2), memo(4), memo(5));
