// A descriptor from openSync survives: same number, same file, same
// position, same mode; the file is not truncated or created again.
var fs = require("fs");
fs.writeFileSync("data.txt", "0123456789");
var rw = fs.openSync("data.txt", "r+");
var buf = new Uint8Array(4);
fs.readSync(rw, buf, 0, 4, null);
console.log("read", String.fromCharCode(...buf));
var ap = fs.openSync("log.txt", "a");
fs.writeSync(ap, "one\n");
var later = new Promise((resolve) => setTimeout(() => resolve(fs.readFileSync("data.txt", "utf8")), 10));
later.then((text) => console.log("read later", text));
// save
console.log("same fd", rw, ap, fs.fstatSync(rw).size);
fs.writeSync(rw, "AB");
fs.readSync(rw, buf, 0, 2, null);
console.log("then read", String.fromCharCode(buf[0], buf[1]));
fs.writeSync(ap, "two\n");
fs.closeSync(ap);
console.log(JSON.stringify(fs.readFileSync("data.txt", "utf8")), JSON.stringify(fs.readFileSync("log.txt", "utf8")));
try { fs.writeSync(ap, "x") } catch (e) { console.log("closed:", e.code) }
---
// An async function awaiting a file read that is in flight at the save
// resumes after the load, with the file read then; a callback-style read
// and write survive the same way.
var fs = require("fs");
fs.writeFileSync("data.txt", "line one\n");
var log = [];
async function copy() {
  const text = await fs.promises.readFile("data.txt", "utf8");
  log.push("read " + JSON.stringify(text));
  await fs.promises.writeFile("copy.txt", text + "copied\n");
  fs.readFile("copy.txt", "utf8", (err, data) => {
    console.log("callback", err, JSON.stringify(data), log.join());
    fs.writeFile("done.txt", "ok", (err) => console.log("written", err, fs.readFileSync("done.txt", "utf8")));
  });
}
copy();
// save
console.log("the probe runs first", log.length);
