// Run as `FILE.js a b`: argv, then ticks, promise jobs and timers in Node's order.
console.log(global === globalThis, process.argv.length, process.argv.slice(2), require("path").basename(process.argv[1]));
Promise.resolve().then(() => console.log("promise 1"));
process.nextTick((a, b) => console.log("tick 1", a, b), "x", 2);
setTimeout(() => {
  Promise.resolve().then(() => console.log("t: promise"));
  process.nextTick(() => console.log("t: tick"));
  console.log("t: sync");
}, 0);
Promise.resolve().then(() => {
  console.log("promise 2");
  process.nextTick(() => console.log("tick from promise"));
  Promise.resolve().then(() => console.log("promise 3"));
});
process.nextTick(() => {
  console.log("tick 2");
  process.nextTick(() => console.log("tick 3"));
  Promise.resolve().then(() => console.log("promise from tick"));
});
process.on("exit", (c) => console.log("exit", c, process.exitCode));
process.stdout.write("written " + process.platform + "\n");
process.exitCode = 3;
