// process.exit stops at once: no code after it, no pending timer or
// promise job; 'exit' listeners run with the code.
process.on("exit", (c) => console.log("exit listener", c, process.exitCode));
setTimeout(() => console.log("timer never runs"), 10);
Promise.resolve().then(() => console.log("promise job never runs"));
console.log("before");
function f() { process.exit(Number(process.argv[2] || 5)); console.log("not after exit"); }
try { f() } finally { console.log("finally does not run") }
