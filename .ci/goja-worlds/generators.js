// Generators suspended in loops, in try/finally and over iterators.
function* ticks(n) {
	let total = 0;
	try {
		for (let i = 0; i < n; i++) { const got = yield i; if (got) total += got }
	} finally {
		console.log("finally", total);
	}
	return total;
}
var g = ticks(5); g.next(); g.next(10);
function* pairs(map) { for (const [k, v] of map) yield k + "=" + v }
var p = pairs(new Map([["a", 1], ["b", 2], ["c", 3]])); p.next();
function* delegating() { yield "start"; yield* [1, 2, 3]; yield "end" }
var d = delegating(); d.next(); d.next();
// save
console.log(JSON.stringify(g.next(1)), JSON.stringify(g.next()), JSON.stringify(g.return(99)));
console.log([...p].join(), [...d].join());
