// Objects of one shape share their list of property names and have their
// property maps copied from one template on load: each must change alone.
var rows = [];
for (var i = 0; i < 6; i++) rows.push({ id: i, name: "r" + i, ok: i % 2 == 0, pos: { x: i, y: -i }, tags: ["t" + i, { w: i }] });
// save
rows[0].extra = "added";
delete rows[1].name;
rows[2][5] = "five"; rows[2][1] = "one"; // integer keys go first, in order
rows[3].id = "changed";
Object.defineProperty(rows[4], "ok", { enumerable: false });
for (var k in rows[5]) { if (k == "id") delete rows[5].ok; rows[5]["after_" + k] = 1 }
for (var j = 0; j < 6; j++) console.log(JSON.stringify(Object.keys(rows[j])), JSON.stringify(rows[j]));
console.log(JSON.stringify(Object.keys(rows[0].pos)), rows.map(function (r) { return r.pos.x + r.pos.y }).join());
rows[0].tags.push("more"); rows[1].tags.length = 0; rows[2].tags.foo = 1;
console.log(rows.map(function (r) { return JSON.stringify(r.tags) + Object.keys(r.tags) }).join(" | "));
console.log("name" in rows[1], rows[1].hasOwnProperty("id"), rows[4].propertyIsEnumerable("ok"), Object.getOwnPropertyNames(rows[4]).join());
---
// Property maps of one to eight keys (copied from a template), of more
// (made as usual), and growing past eight keys after a load.
var objs = [];
for (var n = 0; n <= 10; n++) {
	for (var c = 0; c < 2; c++) {
		var o = {};
		for (var k = 0; k < n; k++) o["k" + k] = n * 100 + k + c;
		objs.push(o);
	}
}
// save
console.log(objs.map(function (o) { return Object.keys(o).length + ":" + Object.values(o).join(",") }).join(" "));
objs.forEach(function (o, i) { for (var k = 0; k < 12; k++) o["g" + k] = i; delete o.k0; o.k3 = "x" });
console.log(objs.map(function (o) { return JSON.stringify(o) }).join("\n"));
objs.forEach(function (o) { for (var k in o) delete o[k] });
console.log(objs.map(function (o) { return Object.keys(o).length }).join(), JSON.stringify(objs[7]));
---
// Arrays of one shape, and arrays with properties besides their elements.
var arrs = [];
for (var i = 0; i < 5; i++) { var a = [i, "s" + i]; if (i % 2) a.label = "odd" + i; arrs.push(a) }
var holes = [1, , 3];
// save
arrs[0].push(9); arrs[1].length = 1; arrs[2].label = "late"; delete arrs[3].label; arrs[4].splice(0, 1, "a", "b");
console.log(arrs.map(function (a) { return a.length + JSON.stringify(a) + Object.keys(a).join("/") }).join(" "));
console.log(Array.isArray(arrs[0]), arrs[0] instanceof Array, Object.getOwnPropertyNames(arrs[1]).join(), JSON.stringify(Object.getOwnPropertyDescriptor(arrs[2], "length")));
console.log(holes.length, 1 in holes, JSON.stringify(holes), holes.indexOf(3));
---
// Instances of a class: one shape, a prototype from the image.
class Point { constructor(x, y) { this.x = x; this.y = y } norm() { return Math.abs(this.x) + Math.abs(this.y) } }
var pts = [];
for (var i = 0; i < 4; i++) pts.push(new Point(i, -2 * i));
// save
pts[1].z = 3; delete pts[2].x; Object.freeze(pts[3]);
try { "use strict"; pts[3].x = 99 } catch (e) {}
console.log(pts.map(function (p) { return p.norm() + JSON.stringify(p) + (p instanceof Point) + Object.isFrozen(p) }).join(" "));
