function add(a, b) { return a + b }
add.calls = 0; add.meta = { kind: "math" };
function Point(x, y) { this.x = x; this.y = y }
Point.prototype.norm = function () { return Math.sqrt(this.x * this.x + this.y * this.y) };
var p = new Point(3, 4);
var protoBefore = Point.prototype;
class Animal {
  static count = 0;
  static kinds = ["cat"];
  legs = 4;
  ["computed" + 1] = "c";
  constructor(name) { this.name = name; Animal.count++ }
  speak() { return this.name + " makes a sound" }
  get upper() { return this.name.toUpperCase() }
  set upper(v) { this.name = v.toLowerCase() }
  static create(n) { return new this(n) }
  static { this.initialised = true }
}
class Dog extends Animal {
  constructor(name) { super(name); this.tricks = [] }
  speak() { return super.speak() + " (woof)" }
  static create(n) { var d = super.create(n); d.tricks.push("sit"); return d }
}
class Empty {}
class OnlyFields { f = 1 }
var rex = Dog.create("Rex"), generic = new Animal("Gen");
var arrow = (x) => x * 2;
function* gen(n) { for (var i = 0; i < n; i++) yield i }
async function af() { return 1 }
var obj = { method() { return "m:" + this.v }, v: 5, get g() { return this.v + 1 } };
var strictFn = function () { "use strict"; return this };
let counter = 10;
const LIMIT = 99;
let uninit;
class Local { hi() { return "local" } }
function bump() { counter++; return counter }
// save
console.log(add(2, 3), add.name, add.length, add.calls, add.meta.kind, String(add));
console.log(p.norm(), p instanceof Point, Point.prototype === protoBefore, p.constructor === Point);
console.log(rex.speak(), rex instanceof Dog, rex instanceof Animal, rex.tricks.join(), rex.upper, rex.legs, rex.computed1);
rex.upper = "MAX"; console.log(rex.name, Animal.count, Dog.count, Animal.kinds.join(), Animal.initialised, generic.speak());
var later = new Dog("Later"); console.log(later.speak(), Animal.count, later.legs, Object.keys(later).join());
console.log(Dog.name, Dog.length, Animal.length, typeof Dog, String(Empty), new Empty() instanceof Empty, new OnlyFields().f);
console.log(Object.getPrototypeOf(Dog) === Animal, Object.getPrototypeOf(Dog.prototype) === Animal.prototype);
console.log(arrow(21), arrow.name, [...gen(3)].join(), gen.name, Object.getPrototypeOf(gen).constructor.name);
af().then(v => console.log("async", v));
console.log(obj.method(), obj.g, strictFn(), typeof Object.getOwnPropertyDescriptor(obj, "g").get);
console.log(counter, LIMIT, bump(), counter, typeof uninit, new Local().hi());
try { LIMIT = 1 } catch (e) { console.log(e.constructor.name) }
try { eval("let counter = 1") } catch (e) { console.log(e.constructor.name) }
---
// Functions of every kind with symbol properties, frozen, sealed or not
// extensible, with their name or length deleted or redefined, and bound.
const tag = Symbol("tag");
var kinds = {
  plain: function () { return "plain" }, gen: function* () { yield "gen" }, asyncFn: async function () { return "async" },
  cls: class { static s() { return "cls" } }, method: ({ m() { return "method" } }).m,
  genMethod: ({ *m() { yield "genMethod" } }).m, asyncMethod: ({ async m() { return "asyncMethod" } }).m,
  arrow: () => "arrow", asyncArrow: async () => "asyncArrow",
};
for (var k in kinds) kinds[k][tag] = k;
Object.freeze(kinds.plain); Object.seal(kinds.gen); Object.preventExtensions(kinds.asyncFn);
delete kinds.cls.name; Object.defineProperty(kinds.method, "length", { value: 7, enumerable: true });
delete kinds.arrow.length; kinds.asyncArrow.extra = 1;
var bound = kinds.plain.bind(null), boundArrow = kinds.arrow.bind(null);
// save
for (var k in kinds) {
  var f = kinds[k];
  console.log(k, typeof f, Object.prototype.toString.call(f), f[tag], JSON.stringify(f.name), f.length,
    Object.isExtensible(f), Object.isFrozen(f), Object.isSealed(f), Object.getOwnPropertyNames(f).join(),
    Object.getPrototypeOf(f) === Object.getPrototypeOf(kinds.plain));
}
console.log(kinds.plain(), kinds.gen().next().value, kinds.cls.s(), kinds.method(), kinds.genMethod().next().value, kinds.arrow());
kinds.asyncFn().then(v => console.log(v)); kinds.asyncMethod().then(v => console.log(v)); kinds.asyncArrow().then(v => console.log(v));
console.log(bound(), bound.name, bound.length, boundArrow(), boundArrow.name, boundArrow.length);
try { kinds.plain.x = 1; console.log("frozen written", kinds.plain.x) } catch (e) { console.log(e.constructor.name) }
try { new kinds.arrow() } catch (e) { console.log(e.constructor.name) }
