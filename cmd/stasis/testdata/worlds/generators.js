// Generators suspended at yield carry on: next(v), return() and throw().
function* counter(start) {
  var local = start * 2;
  try { while (true) { var got = yield local++; if (got) local += got } }
  finally { console.log("cleanup", local) }
}
var c = counter(5); c.next(); c.next();
function* grid() { for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) yield i * 10 + j; return "done" }
var g = grid(); g.next(); g.next(); g.next();
var base = 100;
function* usesOuter() { let k = 0; while (k < 5) yield base + k++ }
var u = usesOuter(); u.next();
function* thrower() { try { yield 1 } catch (e) { yield "caught " + e } finally { console.log("thrower finally") } }
var t = thrower(); t.next();
class Seq { constructor(n) { this.n = n } *[Symbol.iterator]() { for (let i = 0; i < this.n; i++) yield this.n * i } }
var it = new Seq(4)[Symbol.iterator](); it.next();
// save
console.log(JSON.stringify([c.next(), c.next(3), c.next()]));
console.log(JSON.stringify([c.return("bye"), c.next()]));
console.log(JSON.stringify(g.next()), [...g].join(), JSON.stringify(g.next()));
base = 200; console.log(JSON.stringify([u.next(), u.next()]));
console.log(JSON.stringify([t.throw("boom"), t.next()]));
console.log(JSON.stringify(it.next()), [...it].join());
