var a = { name: "a" }, b = { name: "b", a: a };
a.b = b; a.self = a;
var shared = { count: 0 };
var list = [shared, shared, { inner: shared }];
var ring = []; for (var i = 0; i < 5; i++) ring.push({ i: i }); for (var i = 0; i < 5; i++) ring[i].next = ring[(i + 1) % 5];
var m = new Map([[a, b]]); m.set(b, m);
var s1 = Symbol("one"), arrSyms = [s1, s1, Symbol.for("reg"), Symbol.iterator, Symbol.asyncIterator];
var symHolder = { [s1]: s1 };
// save
console.log(a.b.a === a, a.self === a, b.a.b === b);
shared.count++; console.log(list[1].count, list[2].inner.count, list[0] === list[1]);
console.log(ring[4].next === ring[0], ring[0].next.next.next.next.next === ring[0]);
console.log(m.get(a) === b, m.get(b) === m);
console.log(arrSyms[0] === arrSyms[1], arrSyms[2] === Symbol.for("reg"), arrSyms[3] === Symbol.iterator, arrSyms[4] === Symbol.asyncIterator, symHolder[s1] === s1, symHolder[arrSyms[0]] === s1);
