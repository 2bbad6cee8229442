// Async functions suspended on timers and on promises, in loops.
const sleep = (ms, v) => new Promise(resolve => setTimeout(() => resolve(v), ms));
var log = [];
async function worker(name, n) {
	let sum = 0;
	for (let i = 0; i < n; i++) { sum += await sleep(5 + i, i); log.push(name + i) }
	return name + " done " + sum;
}
var done = Promise.all([worker("a", 3), worker("b", 2)]);
let gate;
var gated = (async () => "gated " + (await new Promise(r => { gate = r })))();
// save
gate("open");
gated.then(v => console.log(v));
done.then(v => console.log(v.join(), log.slice().sort().join()));
