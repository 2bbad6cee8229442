// Pending timers are saved with their callback, arguments, interval and
// remaining time, and fire after load in the same order; cleared timers stay
// cleared. Timers are created in order of increasing delay, so their order
// does not depend on how fast the machine runs the script.
var log = [];
setImmediate((a, b) => console.log("immediate", a, b), "x", 1);
var first = setTimeout((who) => console.log("timeout", who, log.join()), 50, "first");
var cleared = setTimeout(() => console.log("cleared timer fired"), 60);
clearTimeout(cleared);
var ticks = 0;
var iv = setInterval(function (step) {
  ticks += step;
  log.push("tick" + ticks);
  console.log("interval", ticks, typeof this.ref, iv.hasRef());
  if (ticks >= 3) clearInterval(iv);
}, 70, 1);
var refreshed = setTimeout(() => console.log("timer between ticks", ticks), 100);
var unrefd = setTimeout(() => console.log("unref'd timer kept the loop alive"), 90000).unref();
queueMicrotask(() => log.push("microtask"));
console.log("setup done", typeof first.ref, typeof first[Symbol.toPrimitive]);
// save
console.log("probe", log.join(), iv.hasRef(), unrefd.hasRef());
setTimeout(() => console.log("after the saved timers", ticks, log.join()), 1000);
