package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// nodeRunner runs classic scripts the way `stasis run` does: in one global
// scope, in order, each script's microtasks before the next script, and no
// timer before the last script has run (node would fire a timer that is due
// before it gets to the probe on a busy machine): timers made until then
// are held and started, in order, once the probe has run.
const nodeRunner = `const vm = require("vm"), fs = require("fs");
const [setup, probe] = process.argv.slice(2);
const start = { setTimeout, setInterval, setImmediate }, stop = { clearTimeout, clearInterval, clearImmediate };
let held = [];
for (const name in start) globalThis[name] = (...args) => {
  if (!held) return start[name](...args);
  const h = { name, args, cleared: false, real: null };
  held.push(h);
  return h;
};
for (const name in stop) globalThis[name] = (h) => {
  if (h && h.args) { h.cleared = true; if (h.real) stop[name](h.real) } else stop[name](h);
};
vm.runInThisContext(fs.readFileSync(setup, "utf8"), { filename: setup });
start.setImmediate(() => {
  vm.runInThisContext(fs.readFileSync(probe, "utf8"), { filename: probe });
  const now = held;
  held = null;
  for (const h of now) if (!h.cleared) h.real = start[h.name](...h.args);
});
`

// TestIteratorWorldsMatchNode runs the iterator cases in node and in
// stasis (never saved) and compares what they print. TestWorldsInFreshProcesses
// checks the same cases saved and resumed in a new process against the
// never-saved run, so a resumed world prints what node prints.
func TestIteratorWorldsMatchNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is needed to compare with: ", err)
		}
		t.Skip("node is not installed")
	}
	cases := parseWorldCases(t, "testdata/worlds/iterators.js")
	cases = append(cases, parseWorldCases(t, "../../image/testdata/roundtrip/iterators.js")...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{"setup.js": c.setup, "probe.js": c.probe, "runner.js": nodeRunner})
			want := proc{dir: dir}.mustRun(t, node, "runner.js", "setup.js", "probe.js")
			got := runBinary(t, dir, "run", "setup.js", "probe.js")
			if strings.TrimSpace(got) == "" {
				t.Fatal("the case printed nothing")
			}
			if got != want {
				t.Errorf("stasis differs from node\n--- node\n%s--- stasis\n%s", want, got)
			}
		})
	}
}

// TestLoopSavesItself: an async loop over an array, inside a for-in loop,
// saves the world from its body with stasis.saveImage. The saving world
// goes on (with the for-in loop's keys drained into an equivalent
// iterator), and every process that loads the image goes on the same way
// from the same item and key.
func TestLoopSavesItself(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"loop.js": `
		const stores = { alpha: ["a1", "a2"], beta: ["b1", "b2", "b3"], gamma: ["c1"] };
		async function main() {
			for (const name in stores) {
				for (const [i, item] of stores[name].entries()) {
					console.log(name, i, item);
					if (item === "b2") {
						const { resumed } = await stasis.saveImage("loop.img");
						console.log(resumed ? "resumed" : "saved");
						delete stores.gamma;
						stores.delta = ["d1"];
					}
				}
			}
			console.log("done", Object.keys(stores).join());
		}
		main();
	`})
	original := runBinary(t, dir, "run", "loop.js")
	before, after, ok := strings.Cut(original, "saved\n")
	if !ok || before != "alpha 0 a1\nalpha 1 a2\nbeta 0 b1\nbeta 1 b2\n" || after != "beta 2 b3\ndone alpha,beta,delta\n" {
		t.Fatalf("the original run printed:\n%s", original)
	}
	if err := os.Remove(dir + "/loop.js"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if got := runBinary(t, dir, "load-image", "loop.img"); got != "resumed\n"+after {
			t.Errorf("load %d printed:\n%swant:\nresumed\n%s", i+1, got, after)
		}
	}
}
