// An error thrown by a tick ends the script with status 1, after the
// 'exit' listeners; the next tick never runs.
process.on("exit", (c) => console.log("exit", c));
process.nextTick(() => { throw new Error("tick boom") });
process.nextTick(() => console.log("second tick never runs"));
