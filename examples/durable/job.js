// A job that survives being killed: it processes 20 items, one every 200 ms,
// and keeps its results in results.json. Run it with
//
//	stasis run --checkpoint job.img examples/durable/job.js
//
// kill it (Ctrl-C, kill -9, pull the plug) and run the same command again:
// it carries on from its last checkpoint instead of starting over.
const fs = require("fs");

let next = 1;       // the next item to process
const results = {}; // item -> what the job computed for it

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  while (next <= 20) {
    await sleep(200); // stands for real work: a request, a computation
    const item = next++;
    results[item] = item * item;
    // Make the progress durable before the effect outside the world: once
    // the checkpoint is taken, item is never computed again. The write
    // after it may happen twice (a crash between the checkpoint and the
    // next one runs it again on resume), so it is idempotent: it writes the
    // whole state, not an increment.
    await stasis.checkpoint();
    fs.writeFileSync("results.json", JSON.stringify(results) + "\n");
    console.log("item", item, "->", results[item]);
  }
  console.log("done:", Object.keys(results).length, "items");
}

stasis.onResume(() => console.log(`resumed at item ${next}`));
main();
