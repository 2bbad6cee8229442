// Promise chains with pending reactions keep their handlers and their
// order; promises made with new Promise keep the resolve/reject stored away.
var log = [];
var res = {};
var p = new Promise((resolve, reject) => { res.resolve = resolve; res.reject = reject });
p.then((v) => log.push("a " + v));
var chain = p.then((v) => v + 1).then((v) => { log.push("b " + v); return v * 10 }).catch(() => "never").finally(() => log.push("finally"));
p.then((v) => log.push("c " + v));
var failing;
var q = new Promise((_, reject) => { failing = reject });
var handled = q.catch((e) => "handled " + e).then((v) => { log.push(v); return v });
var settled = Promise.resolve("already");
var fromTimer = new Promise((resolve) => setTimeout(() => resolve("from timer"), 10)).then((v) => { log.push(v); return v });
// save
res.resolve(1);
failing("oops");
settled.then((v) => log.push(v));
Promise.resolve().then(() => console.log(log.join("|")));
chain.then((v) => console.log("chain", v));
fromTimer.then(() => console.log("after timer", log.join("|")));
---
// Promise.all, allSettled, any, race and finally in flight keep what they
// gathered so far and settle after load in the original order.
var r = {};
const deferred = (name) => new Promise((resolve, reject) => { r[name] = { resolve, reject } });
var a = deferred("a"), b = deferred("b"), c = deferred("c"), d = deferred("d");
var out = [];
var all = Promise.all([a, b, 3]).then((v) => out.push("all " + JSON.stringify(v)));
var settled = Promise.allSettled([a, c, Promise.resolve("now")]).then((v) => out.push("allSettled " + JSON.stringify(v)));
var any = Promise.any([c, d]).catch((e) => out.push("any " + e.constructor.name + " " + JSON.stringify(e.errors)));
var race = Promise.race([b, d]).then((v) => out.push("race " + v));
var fin = a.finally(() => out.push("finally ran")).then((v) => out.push("after finally " + v));
r.a.resolve("A");
// save
r.c.reject("C!");
r.b.resolve("B");
r.d.reject("D!");
setTimeout(() => console.log(out.join("\n")), 0);
