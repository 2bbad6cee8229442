// A program that saves itself from inside an async loop; after load it
// continues from the await, told that it is running in a resumed world.
let n = 0;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function tick() {
  while (n < 5) {
    await sleep(5);
    n++;
    console.log("tick", n);
    if (n === 2) {
      const r = await stasis.saveImage("self.img");
      console.log(r.resumed ? "resumed" : "saved", r.path);
    }
  }
  console.log("done at", n);
}
tick();
