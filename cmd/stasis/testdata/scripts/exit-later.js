// process.exit from a timer, inside a promise job; exit listeners run once.
let n = 0;
process.on("exit", (c) => console.log("exit", c, ++n));
setTimeout(() => Promise.resolve().then(() => { console.log("in job"); process.exit(4) }), 1);
setTimeout(() => console.log("later timer never runs"), 50);
