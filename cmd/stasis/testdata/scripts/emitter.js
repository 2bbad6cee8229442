// EventEmitter's listener limit is per emitter, with Node's checks.
const EventEmitter = require("events");
const a = new EventEmitter(), b = new EventEmitter();
console.log(a.getMaxListeners(), a.setMaxListeners(2) === a, a.getMaxListeners(), b.getMaxListeners());
a.setMaxListeners(Infinity);
console.log(a.getMaxListeners(), EventEmitter.defaultMaxListeners);
for (const bad of [-1, NaN, "3"]) {
  try { a.setMaxListeners(bad); console.log("accepted", bad) } catch (e) { console.log(e.name, e.code) }
}
