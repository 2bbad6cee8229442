// global and process are there after a load; what the world set on process
// (exit listeners, exitCode, an environment variable) is kept, and ticks
// run before promise jobs in the resumed world too.
var seen = [];
process.on("exit", (code) => console.log("exit", code, process.exitCode, seen.join()));
process.env.STASIS_PROBE_VAR = "kept";
process.exitCode = 0;
const EventEmitter = require("events");
const em = new EventEmitter();
em.setMaxListeners(25);
var g = global;
// save
console.log(global === globalThis, g === global, typeof process.nextTick, em.getMaxListeners(), new EventEmitter().getMaxListeners());
console.log(process.env.STASIS_PROBE_VAR, process.listenerCount("exit"), process instanceof EventEmitter);
console.log(typeof process.pid, typeof process.version, Array.isArray(process.argv), process.cwd() === require("path").resolve("."));
const [s, ns] = process.hrtime();
console.log(typeof s, typeof ns, typeof process.hrtime.bigint(), typeof process.uptime(), Object.keys(process.memoryUsage()).join());
Promise.resolve().then(() => seen.push("promise"));
process.nextTick((x) => seen.push("tick " + x), 1);
setTimeout(() => {
  Promise.resolve().then(() => seen.push("timer promise"));
  process.nextTick(() => seen.push("timer tick"));
  console.log("timer", seen.join());
  process.exitCode = 7;
}, 5);
---
// process.nextTick in order against promise jobs, from scripts, ticks,
// promise jobs and timers, with arguments.
var log = [];
function run(tag) {
  Promise.resolve().then(() => log.push(tag + ":promise 1"));
  process.nextTick((a, b) => log.push(tag + ":tick 1 " + a + b), "x", 2);
  Promise.resolve().then(() => {
    log.push(tag + ":promise 2");
    process.nextTick(() => log.push(tag + ":tick from promise"));
    Promise.resolve().then(() => log.push(tag + ":promise 3"));
  });
  process.nextTick(() => {
    log.push(tag + ":tick 2");
    process.nextTick(() => log.push(tag + ":tick 3"));
    Promise.resolve().then(() => log.push(tag + ":promise from tick"));
  });
  log.push(tag + ":sync");
}
setTimeout(() => { run("timer"); setTimeout(() => console.log(log.join("\n")), 5) }, 5);
// save
run("probe");
