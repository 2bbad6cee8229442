// assert.rejects and assert.doesNotReject still waiting at a save carry on
// after a load: the promise they wait on settles from a timer of the
// resumed world, and they judge it as they would have.
var assert = require("assert");
var later = (settle, value) => new Promise((resolve, reject) => setTimeout(() => (settle === "reject" ? reject : resolve)(value), 5));
var results = [];
var record = (name) => [() => results.push(name + " passed"), (e) => results.push(name + ": " + e.message.split("\n")[0])];
assert.rejects(later("reject", new TypeError("late")), TypeError).then(...record("rejects TypeError"));
assert.rejects(later("reject", new RangeError("late")), TypeError).then(...record("rejects wrong class"));
assert.rejects(later("resolve", 1), { message: "x" }, "never rejected").then(...record("rejects fulfilled"));
assert.doesNotReject(later("resolve", 2)).then(...record("doesNotReject"));
assert.doesNotReject(() => later("reject", new Error("boom"))).then(...record("doesNotReject rejected"));
setTimeout(() => console.log(results.join("\n")), 20);
// save
console.log("waiting", results.length);
