// Proxy.revocable's revoke function, before and after it was called.
var live = Proxy.revocable({ a: 1 }, { get: (t, k) => k === "a" ? t.a * 10 : "trap " + String(k) });
var used = Proxy.revocable({}, {});
used.revoke();
var shared = Proxy.revocable([1, 2], {});
var elsewhere = { revokers: [shared.revoke, shared.revoke] };
function keeper() { const { proxy, revoke } = Proxy.revocable(function () { return "called" }, {}); return { proxy, stop() { revoke() } } }
var k = keeper();
// save
console.log(live.proxy.a, live.proxy.b, typeof live.revoke, live.revoke.name === "", live.revoke.length);
console.log(elsewhere.revokers[0] === shared.revoke, shared.proxy.length, Array.isArray(shared.proxy));
try { used.proxy.x } catch (e) { console.log("used:", e.constructor.name) }
console.log(used.revoke(), "revoking twice is harmless");
live.revoke();
try { live.proxy.a } catch (e) { console.log("after revoke:", e.constructor.name) }
elsewhere.revokers[1]();
try { shared.proxy.length } catch (e) { console.log("shared:", e.constructor.name) }
console.log(k.proxy()); k.stop();
try { k.proxy() } catch (e) { console.log("stopped:", e.constructor.name) }
---
// A revoke function as a promise handler, waiting.
var pair = Proxy.revocable({ v: "before" }, {});
var gate = {};
gate.p = new Promise((res) => { gate.open = res });
gate.p.then(pair.revoke);
// save
console.log(pair.proxy.v);
gate.open();
Promise.resolve().then(() => Promise.resolve()).then(() => { try { pair.proxy.v } catch (e) { console.log("revoked by the handler:", e.constructor.name) } });
