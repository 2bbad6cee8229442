function* counter(start) { var local = start * 2; try { while (true) { var got = yield local++; if (got) local += got } } finally { console.log("cleanup", local) } }
var c = counter(5); c.next(); c.next();
function* nested() { for (var i = 0; i < 3; i++) { for (var j = 0; j < 2; j++) { yield i * 10 + j } } return "done" }
var n = nested(); n.next(); n.next(); n.next();
var fresh = nested();
var finished = nested(); for (var x of finished) {}
var captured = 100;
function* usesOuter() { let k = 0; while (k < 5) yield captured + k++ }
var u = usesOuter(); u.next();
class Seq { constructor(n) { this.n = n } *[Symbol.iterator]() { for (let i = 0; i < this.n; i++) yield i } }
var seqIt = new Seq(4)[Symbol.iterator](); seqIt.next();
function* thrower() { try { yield 1 } catch (e) { yield "caught " + e } }
var t = thrower(); t.next();
// save
console.log(JSON.stringify(c.next()), JSON.stringify(c.next(3)), JSON.stringify(c.next()));
console.log(JSON.stringify(c.return("bye")), JSON.stringify(c.next()));
console.log(JSON.stringify(n.next()), [...n].join(), JSON.stringify(n.next()));
console.log([...fresh].join(), JSON.stringify(finished.next()));
captured = 200; console.log(JSON.stringify(u.next()), JSON.stringify(u.next()));
console.log(JSON.stringify(seqIt.next()), [...seqIt].join());
console.log(JSON.stringify(t.throw("boom")), JSON.stringify(t.next()));
