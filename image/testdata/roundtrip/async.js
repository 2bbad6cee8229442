var log = [];
var resolveLater;
var gate = new Promise(r => { resolveLater = r });
async function worker(name) {
  log.push(name + " start");
  const v = await gate;
  log.push(name + " got " + v);
  let sum = 0;
  for (let i = 0; i < 3; i++) sum += await Promise.resolve(i);
  return name + ":" + (v + sum);
}
var w1 = worker("a"), w2 = worker("b");
var chained = gate.then(v => v * 2).then(v => { log.push("then " + v); return v + 1 });
var caught = new Promise((_, rej) => { globalThis.failLater = rej }).catch(e => "caught " + e);
w1.then(v => log.push("w1 done " + v));
class Box {
  constructor() { this.tag = "box" }
  async method(x) { try { await gate; throw new Error("inside " + this.tag + x) } catch (e) { return "method caught " + e.message } finally { log.push("finally ran") } }
}
var m = new Box().method(7);
var arrow = (async () => { const got = await gate; return "arrow " + got })();
var used = new Promise(r => { globalThis.usedResolve = r; r("first") });
// save
usedResolve("second");
resolveLater(10);
failLater("boom");
used.then(v => log.push("used " + v));
Promise.all([w1, w2, chained, caught, m, arrow]).then(vals => console.log(JSON.stringify(vals), log.join("|")));
