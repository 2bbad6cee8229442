// Data of every kind, shared and cyclic.
var shared = { tag: "shared", n: 1.5 };
var data = {
	list: [1, "two", null, undefined, true, 2n ** 70n, -0, NaN, shared, [shared]],
	map: new Map([["a", shared], [shared, "by object"]]),
	set: new Set([1, "x", shared]),
	date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
	bytes: new Uint8Array([1, 2, 250]),
	view: new DataView(new ArrayBuffer(8)),
	re: /a(b+)c/gi,
	sym: Symbol.for("stasis"),
	sparse: [1, , 3],
};
data.self = data;
data.view.setFloat64(0, Math.PI);
data.re.lastIndex = 2;
Object.defineProperty(data, "hidden", { value: 42, enumerable: false });
Object.freeze(shared);
// save
console.log(JSON.stringify(data.list.slice(0, 5)), String(data.list[5]), Object.is(data.list[6], -0), data.list[7]);
console.log(data.list[8] === shared, data.list[9][0] === shared, data.map.get(shared), data.map.get("a") === shared);
console.log([...data.set].length, data.set.has(shared), data.date.toISOString(), [...data.bytes].join());
console.log(data.view.getFloat64(0), data.re.lastIndex, data.re.exec("xabbcabc")[1], data.sym === Symbol.for("stasis"));
console.log(1 in data.sparse, data.sparse.length, data.self === data, data.hidden, Object.isFrozen(shared));
