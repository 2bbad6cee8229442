// package: immutable@4.3.7
// load: dist/immutable.js
var { Map: IMap, List, Set: ISet, Record, fromJS } = Immutable;
var base = IMap({ a: 1, b: 2 });
var changed = base.set("c", 3).update("a", x => x * 10);
var list = List.of(1, 2, 3).push(4).map(x => x * x);
var Point = Record({ x: 0, y: 0 }, "Point");
var p = new Point({ x: 3 });
var deep = fromJS({ users: [{ name: "ann", tags: ["x"] }] });
var deep2 = deep.setIn(["users", 0, "tags", 1], "y");
// probe
console.log(JSON.stringify(base.toJS()), JSON.stringify(changed.toJS()), base === base.set("a", 1), changed.get("a"));
console.log(list.toArray().join(), list.size, p.x, p.y, p instanceof Point, String(p), p.set("y", 9).toString());
console.log(JSON.stringify(deep2.toJS()), deep.equals(deep2), deep.equals(fromJS({ users: [{ name: "ann", tags: ["x"] }] })));
console.log(ISet([1, 2, 2, 3]).union([4]).toArray().join(), IMap({ z: 1 }).merge(changed).keySeq().toArray().join());
