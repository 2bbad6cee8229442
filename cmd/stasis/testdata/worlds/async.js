// Async functions suspended at await resume when what they wait for
// settles: a timer, another async function, a promise whose resolve was
// stored, with locals, this and try/catch/finally intact. Delays are far
// apart (10, then 100 more; 50; 200 a turn) so that the order of events
// does not depend on how late a busy machine fires a timer.
const sleep = (ms, v) => new Promise((resolve) => setTimeout(resolve, ms, v));
var order = [];
async function fetchValue(name) { const v = await sleep(10, name.length); order.push("fetched " + name); return v }
async function worker(name) {
  let total = 0;
  try {
    total += await fetchValue(name);
    total += await sleep(100, 100);
    if (name === "bad") throw new Error("bad worker");
    return name + "=" + total;
  } catch (e) {
    return "caught " + e.message + " at " + total;
  } finally {
    order.push("finally " + name);
  }
}
class Account {
  constructor(owner) { this.owner = owner; this.balance = 0 }
  async deposit(n) { await sleep(50); this.balance += n; return this.owner + " has " + this.balance }
}
var acct = new Account("ada");
var gateResolve;
var gate = new Promise((r) => { gateResolve = r });
var waiter = (async () => { const v = await gate; order.push("gate " + v); return v * 2 })();
var results = [worker("alpha"), worker("bad"), acct.deposit(5), waiter];
async function mainLoop() { for (let i = 0; i < 3; i++) { await sleep(200); order.push("loop " + i) } return "loop done" }
var loop = mainLoop();
// save
gateResolve(21);
for (const p of results.concat(loop)) p.then((v) => console.log("settled", v, "|", order.join()));
