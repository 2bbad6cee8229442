package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/image/store"
	"github.com/stasisvm/stasis/image/store/storetest"
)

// durableStores gives a fresh location per world name in each kind of store.
var durableStores = []struct {
	name string
	loc  func(t *testing.T) func(world string) string
}{
	{"files", func(t *testing.T) func(string) string {
		dir := t.TempDir()
		return func(w string) string { return filepath.Join(dir, w+".img") }
	}},
	{"sqlite", func(t *testing.T) func(string) string {
		db := filepath.Join(t.TempDir(), "worlds.db")
		return func(w string) string { return "sqlite:" + db + "#" + w }
	}},
}

// holds reports whether the location holds a world.
func holds(t *testing.T, loc string) bool {
	t.Helper()
	st, name, err := store.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = st.Get(context.Background(), name)
	if errors.Is(err, store.ErrNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return true
}

var durableScripts = map[string]string{
	// A job whose second part runs after a checkpoint it waits for.
	"job.js": `let done = [];
async function main() {
  for (let i = 1; i <= 3; i++) {
    await new Promise((r) => setTimeout(r, 1));
    done.push(i);
  }
  const r = await stasis.checkpoint();
  console.log("checkpoint", r.resumed, r.path === stasis.args[0]);
  console.log("done", done.join(","));
}
main();
`,
	// Fails after its checkpoint; the second time round it finishes.
	"fails.js": `globalThis.tries = 0;
globalThis.resumed = false;
async function main() {
  await stasis.checkpoint();
  tries++;
  console.log("try", tries);
  if (!resumed) throw new Error("first try fails");
  console.log("finished");
}
stasis.onResume(() => { resumed = true; console.log("resumed", tries); });
main();
`,
	"notdurable.js": `stasis.checkpoint().then(() => console.log("resolved"), (e) => console.log(e.message));`,
	"exits.js":      `setTimeout(() => stasis.exit(4), 1);`,
	"saved.js":      `globalThis.n = 41; stasis.setMain(() => console.log("main", ++n));`,
}

func TestRunCheckpoint(t *testing.T) {
	for _, k := range durableStores {
		t.Run(k.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, durableScripts)
			loc := k.loc(t)

			// A run that completes leaves nothing behind: the next run
			// starts afresh.
			status, out, errOut := stasis(t, dir, "", "run", "--checkpoint", loc("job"), "job.js", "--", loc("job"))
			want := "checkpoint false true\ndone 1,2,3\n"
			if status != 0 || out != want || errOut != "" {
				t.Fatalf("run --checkpoint: status %d, stdout %q, stderr %q; want %q", status, out, errOut, want)
			}
			if holds(t, loc("job")) {
				t.Fatal("a completed run left its world in the store")
			}

			// stasis.exit is a normal end too, with the world's status.
			if status, _, errOut := stasis(t, dir, "", "run", "--checkpoint", loc("exits"), "exits.js"); status != 4 || errOut != "" {
				t.Fatalf("stasis.exit(4): status %d, stderr %q", status, errOut)
			}
			if holds(t, loc("exits")) {
				t.Fatal("a world that called stasis.exit was kept")
			}

			// An uncaught error keeps the last checkpoint, and says so; the
			// same command resumes it (its onResume hooks run, the scripts
			// do not) and finishes.
			status, out, errOut = stasis(t, dir, "", "run", "--checkpoint", loc("fails"), "fails.js")
			if status != 1 || out != "try 1\n" || !strings.Contains(errOut, "first try fails") ||
				!strings.Contains(errOut, "run: the last checkpoint is kept in "+loc("fails")) {
				t.Fatalf("failing run: status %d, stdout %q, stderr %q", status, out, errOut)
			}
			if !holds(t, loc("fails")) {
				t.Fatal("the failed world's checkpoint is gone")
			}
			// What the store holds is an image like any other.
			if status, out, errOut := stasis(t, dir, "", "inspect", loc("fails")); status != 0 || !strings.Contains(out, "fails.js") {
				t.Fatalf("inspect %s: status %d, stdout %q, stderr %q", loc("fails"), status, out, errOut)
			}
			status, out, errOut = stasis(t, dir, "", "run", "--checkpoint", loc("fails"), "fails.js")
			if status != 0 || out != "resumed 0\ntry 1\nfinished\n" || errOut != "run: resuming the world in "+loc("fails")+"\n" {
				t.Fatalf("resumed run: status %d, stdout %q, stderr %q", status, out, errOut)
			}
			if holds(t, loc("fails")) {
				t.Fatal("the resumed world was kept after it completed")
			}

			// Outside a durable run stasis.checkpoint() rejects.
			if _, out, _ := stasis(t, dir, "", "run", "notdurable.js"); out != "stasis.checkpoint: this world is not durable: run it with stasis run --checkpoint LOCATION\n" {
				t.Fatalf("stasis.checkpoint in a plain run: %q", out)
			}

			// save-image -o, load-image and inspect take the same locations.
			if status, _, errOut := stasis(t, dir, "", "save-image", "-o", loc("saved"), "saved.js"); status != 0 {
				t.Fatalf("save-image -o %s: %d %s", loc("saved"), status, errOut)
			}
			if status, out, errOut := stasis(t, dir, "", "load-image", loc("saved")); status != 0 || out != "main 42\n" {
				t.Fatalf("load-image %s: status %d, stdout %q, stderr %q", loc("saved"), status, out, errOut)
			}
		})
	}
}

// TestScriptCheckpoint: `stasis [FLAGS] FILE.js [ARGS]` takes the flags
// of `stasis run` before the file, as node takes its options before the
// script, and makes the same durable run; the words after the file stay
// the script's.
func TestScriptCheckpoint(t *testing.T) {
	for _, k := range durableStores {
		t.Run(k.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, durableScripts)
			loc := k.loc(t)

			status, out, errOut := stasis(t, dir, "", "--checkpoint", loc("job"), "--every", "5ms", "job.js", loc("job"))
			if want := "checkpoint false true\ndone 1,2,3\n"; status != 0 || out != want || errOut != "" {
				t.Fatalf("stasis --checkpoint LOC job.js: status %d, stdout %q, stderr %q; want %q", status, out, errOut, want)
			}
			if holds(t, loc("job")) {
				t.Fatal("a completed run left its world in the store")
			}

			status, out, errOut = stasis(t, dir, "", "--checkpoint="+loc("fails"), "fails.js")
			if status != 1 || out != "try 1\n" || !strings.Contains(errOut, "first try fails") ||
				!strings.Contains(errOut, "the last checkpoint is kept in "+loc("fails")) {
				t.Fatalf("failing run: status %d, stdout %q, stderr %q", status, out, errOut)
			}
			status, out, errOut = stasis(t, dir, "", "--every=10ms", "--checkpoint", loc("fails"), "fails.js")
			if status != 0 || out != "resumed 0\ntry 1\nfinished\n" || errOut != "run: resuming the world in "+loc("fails")+"\n" {
				t.Fatalf("resumed run: status %d, stdout %q, stderr %q", status, out, errOut)
			}
			if holds(t, loc("fails")) {
				t.Fatal("the resumed world was kept after it completed")
			}
		})
	}

	dir := t.TempDir()
	writeTree(t, dir, durableScripts)
	for _, c := range []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{"--every", "nope", "--checkpoint", "x.img", "job.js"}, 2, "stasis: --every: expected duration"},
		{[]string{"--every", "0s", "--checkpoint", "x.img", "job.js"}, 1, "--every 0s: must be more than 0"},
		{[]string{"--bogus", "job.js"}, 2, "unknown flag --bogus"},
		// After the file, a flag is the script's.
		{[]string{"exits.js", "--checkpoint", "x.img"}, 4, ""},
	} {
		status, _, errOut := stasis(t, dir, "", c.args...)
		if status != c.status || !strings.Contains(errOut, c.stderr) || c.stderr == "" && errOut != "" {
			t.Errorf("stasis %s: status %d, stderr %q; want %d, %q", strings.Join(c.args, " "), status, errOut, c.status, c.stderr)
		}
	}
	if holds(t, filepath.Join(dir, "x.img")) {
		t.Error("a flag after the file made the run durable")
	}
}

// TestRunCheckpointHeld: a second process on a held world exits with
// status 1, naming the holder's host and pid.
func TestRunCheckpointHeld(t *testing.T) {
	for _, k := range durableStores {
		t.Run(k.name, func(t *testing.T) {
			loc := k.loc(t)("held")
			st, name, err := store.Open(context.Background(), loc)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			l, err := st.Lease(context.Background(), name)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Release()
			dir := t.TempDir()
			writeTree(t, dir, durableScripts)
			status, out, errOut := stasis(t, dir, "", "run", "--checkpoint", loc, "job.js")
			want := fmt.Sprintf("run: world %s is held by pid %d on host %s\n", name, l.Holder.PID, l.Holder.Host)
			if status != 1 || out != "" || errOut != want {
				t.Fatalf("second holder: status %d, stdout %q, stderr %q; want stderr %q", status, out, errOut, want)
			}
		})
	}
}

var _ = storetest.Postgres
