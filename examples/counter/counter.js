// An async loop that saves the world from inside itself. The first run
// counts to 3, saves counter.img and stops; every load of the image carries
// on from the await, told that it is now running in a resumed world.
//
//	go run ./cmd/stasis run examples/counter/counter.js
//	go run ./cmd/stasis load-image counter.img
let count = 0;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  while (count < 6) {
    await sleep(100);
    count++;
    console.log("count", count);
    if (count === 3) {
      const { resumed, path } = await stasis.saveImage("counter.img");
      console.log(resumed ? "resumed from " + path : "saved " + path);
      if (!resumed) stasis.exit(0); // stop here: the image carries on
    }
  }
  console.log("done");
}
main();
