// process.permission as node --experimental-permission has it (here
// --permission), run with a read grant on the working directory and a
// write grant on its subdirectory "out"; and undefined without them.
const p = process.permission;
if (p === undefined) {
  console.log("no permission model", "permission" in process);
} else {
  const here = process.cwd();
  console.log(Object.getOwnPropertyNames(p), Object.getPrototypeOf(p) === Object.prototype, JSON.stringify(Object.getOwnPropertyDescriptor(process, "permission")));
  const refs = [undefined, null, "", here, here + "/a/b", here + "/out", here + "/out/x", here + "/../elsewhere", here + "/out/../secret", "/", "relative.txt", "out/rel.txt", Buffer.from(here)];
  for (const scope of ["fs.read", "fs.write", "fs", "child", "worker", "net", "nope"]) {
    console.log(scope, refs.map((r) => p.has(scope, r)).join(" "));
  }
  for (const args of [[1], [], [undefined], ["fs.read", 1], ["fs.read", {}], ["fs.read", new Uint8Array(2)]]) {
    try { console.log(p.has(...args)) } catch (e) { console.log(e.name, e.code, e.message) }
  }
  console.log(p.has.length, p.has.name, Object.keys(p).join());
}
