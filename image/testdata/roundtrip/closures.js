function makeCounter(start) { var count = start; return { inc: () => ++count, get: function () { return count } } }
var c1 = makeCounter(10), c2 = makeCounter(100);
c1.inc();
var lib = (function () {
  const secret = "s3cret"; let calls = 0;
  function helper(x) { calls++; return x + ":" + secret }
  return { use: helper, calls: () => calls };
})();
lib.use("a");
var fns = []; for (let i = 0; i < 3; i++) fns.push(() => i * 10);
var varFns = []; for (var j = 0; j < 3; j++) varFns.push(() => j);
function outer(a) { return function mid(b) { return function inner(c) { return a + b + c } } }
var deep = outer("A")("B");
var caught; try { throw new Error("boom") } catch (err) { caught = () => err.message }
function Thing() { this.v = 7; this.get = () => this.v }
var thing = new Thing();


var o = { base: 1, m() { return () => this.base } };
var arrowThis = o.m();
function NT() { this.f = () => new.target === NT }
var nt = new NT();
function sloppy() { return function () { return typeof this } }
var sl = sloppy();
var withObj = { wx: 5 };
with (withObj) { var fromWith = function () { return wx } }
function decl() { function innerDecl() { return "inner decl" } class K { k() { return "k" } } return [innerDecl, K] }
var [innerDecl, K] = decl();
// save
console.log(c1.inc(), c1.get(), c2.get(), c2.inc(), c1.get());
console.log(lib.use("b"), lib.calls());
console.log(fns.map(f => f()).join(), varFns.map(f => f()).join(), deep("C"), caught());
console.log(thing.get(), (thing.v = 8, thing.get()), arrowThis(), (o.base = 2, arrowThis()), nt.f());
console.log(sl(), fromWith(), (withObj.wx = 6, fromWith()), innerDecl(), new K().k());
