function greet(greeting, punct) { return greeting + ", " + this.name + punct }
var person = { name: "Ada" };
var hello = greet.bind(person, "Hello");
var helloBang = hello.bind(null, "!");
class P { constructor(x, y) { this.x = x; this.y = y } }
var P5 = P.bind(null, 5);
var target = { a: 1 };
var logged = [];
var handler = { get(t, k, r) { logged.push(String(k)); return k in t ? t[k] : "default:" + String(k) } };
var proxy = new Proxy(target, handler);
var fnProxy = new Proxy(function (x) { return x + 1 }, { apply(t, th, args) { return t(...args) * 10 } });
var revoked = (function () { var r = Proxy.revocable({}, {}); r.revoke(); return r.proxy })();
var k1 = { id: 1 }, k2 = { id: 2 };
var wm = new WeakMap([[k1, "one"], [k2, { deep: k2 }]]);
var ws = new WeakSet([k1]);
(function () { var gone = {}; wm.set(gone, "unreachable") })();
var resolved = Promise.resolve(42), rejected = Promise.reject(new Error("nope")); rejected.catch(() => {});
var forever = new Promise(() => {});
var made = new Function("a", "b", "return a * b + (this === undefined ? 0 : 1)");
var adder = new Function("n", "return function (x) { return x + n }")(100);
var indirect = (0, eval)("(function twice(x) { return 2 * x })");
function viaDirectEval(start) { let x = start; var y = 10; return eval("var z = 1; (function inc(d) { x += d; z++; return [x, y, z].join() })") }
var direct = viaDirectEval(5); direct(1);
var blockInEval = (0, eval)("{ let hidden = 'block'; (() => hidden) }");
var ctx = { n: 3 };
var callCtx = function () { return this.n }.bind(ctx);
// save
console.log(hello("?"), helloBang(), hello.name, hello.length, helloBang.name, typeof hello.prototype);
var pt = new P5(7); console.log(pt.x, pt.y, pt instanceof P, P5.name, callCtx(), (ctx.n = 4, callCtx()));
console.log(proxy.a, proxy.zz, logged.join(), fnProxy(1), typeof fnProxy);
try { revoked.x } catch (e) { console.log(e.constructor.name) }
console.log(wm.get(k1), wm.get(k2).deep === k2, ws.has(k1), ws.has(k2), wm.has({}));
resolved.then(v => console.log("resolved", v)); rejected.catch(e => console.log("rejected", e.message));
console.log(made(6, 7), made.name, String(made).length, adder(1), indirect(21), indirect.name);
console.log(direct(2), direct(3), direct.name, blockInEval());
forever.then(() => console.log("never"));
console.log("end");
