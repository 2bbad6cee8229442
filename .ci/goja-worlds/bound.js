// Bound functions, bound arguments and bound constructors.
function greet(greeting, punct) { return greeting + ", " + this.name + punct }
var hi = greet.bind({ name: "ann" }, "hi");
var hiBang = hi.bind(null, "!");
class Point { constructor(x, y) { this.x = x; this.y = y } }
var AtOrigin = Point.bind(null, 0);
var max3 = Math.max.bind(Math, 3);
// save
console.log(hi("?"), hiBang(), hi.name, hi.length, hiBang.length);
var pt = new AtOrigin(7);
console.log(pt.x, pt.y, pt instanceof Point, max3(1, 2), max3(9));
