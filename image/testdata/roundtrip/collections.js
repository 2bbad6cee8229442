var holes = [1, , 3]; holes[10] = "ten"; holes.extra = "prop"; holes.length = 20;
var nested = [[1, 2], [3, [4, [5]]]];
var sparse = []; sparse[5000000] = "far"; sparse[7] = "near";
var frozenArr = Object.freeze([1, 2]);
var withAcc = [1, 2]; Object.defineProperty(withAcc, 1, { get() { return "got" }, enumerable: true });
var keyObj = { k: 1 };
var m = new Map([["a", 1], [keyObj, "obj"], [NaN, "nan"], [0, "zero"], [2n, "big"]]);
m.set("late", m); m.delete("a"); m.set("a", "again");
var st = new Set([3, 1, keyObj, NaN, "s"]); st.delete(1);
var d = new Date(Date.UTC(2020, 1, 29, 12, 30)), bad = new Date(NaN);
d.note = "leap";
var re = /ab+c/gimsuy; re.lastIndex = 3; re.extra = "x";
var re2 = new RegExp("x\\d", "g"); re2.exec("x1x2");
var bn = new Number(3), bs = new String("boxed"), bb = new Boolean(false), bsym = Object(Symbol.iterator), bbig = Object(7n);
bs.more = 1;
class MyErr extends Error { constructor(m) { super(m); this.name = "MyErr"; this.code = 42 } }
var errs = [new Error("plain"), new TypeError("type"), new RangeError("range"), new MyErr("mine")];
errs[0].extra = { why: "because" };
// save
console.log(holes.length, 1 in holes, 2 in holes, holes[10], holes.extra, JSON.stringify(holes), Object.keys(holes).join());
console.log(JSON.stringify(nested), sparse.length, sparse[5000000], sparse[7], Object.keys(sparse).join());
console.log(Object.isFrozen(frozenArr), withAcc[1], JSON.stringify(Object.getOwnPropertyDescriptor(withAcc, 0)));
try { frozenArr.push(3) } catch (e) { console.log(e.constructor.name, frozenArr.length) }
console.log([...m.keys()].map(String).join("|"), m.get(keyObj), m.get(NaN), m.get(0), m.get(-0), m.get(2n), m.get("late") === m, m.size);
console.log([...st].map(String).join("|"), st.has(keyObj), st.has(NaN), st.size);
console.log(d.toISOString(), d.note, String(bad), isNaN(bad.getTime()), d instanceof Date);
console.log(re.source, re.flags, re.lastIndex, re.extra, re2.lastIndex, re2.exec("x1x2x3")[0], re.test("ABBC"));
console.log(bn + 1, typeof bn, bs.length, bs[1], bs.more, bb.valueOf(), typeof bsym.valueOf(), bsym.valueOf() === Symbol.iterator, bbig.valueOf() + 1n);
for (var e of errs) console.log(e instanceof Error, e.constructor.name, e.name, e.message, String(e), e.code, JSON.stringify(e.extra));
console.log(errs[3] instanceof MyErr, errs[1] instanceof TypeError);
