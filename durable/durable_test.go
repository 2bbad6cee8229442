package durable_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stasisvm/stasis/durable"
	"github.com/stasisvm/stasis/image/store"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// TestCadence runs worlds on a manual clock and checks when checkpoints
// are taken: right after the scripts, then at the first safe point at
// least Every after the last one if a task ran since, when a world that ran
// tasks goes quiet, never when nothing ran, and at once on
// stasis.checkpoint(); the completed world is removed.
func TestCadence(t *testing.T) {
	for _, c := range []struct {
		name, script string
		want         string // n at each checkpoint
	}{
		{"ticks", `let n = 0;
			const id = setInterval(() => { if (++n === 25) clearInterval(id) }, 100);`,
			// 25 ticks, 100 ms apart: checkpoints after the scripts, then
			// after the 10th and the 20th tick (1 s apart); the last
			// ticks' work ends the world, which is complete and removed.
			"0 10 20"},
		{"quiet", `let n = 0;
			setTimeout(() => { n = 1 }, 100);
			setTimeout(() => { n = 2 }, 60000);`,
			// After n = 1 the world waits a minute: it is checkpointed
			// when Every is up, not a minute later (that would see n = 2).
			"0 1"},
		{"idle", `let n = 0;
			setTimeout(() => { n = 1 }, 5000);
			setTimeout(() => { n = 2 }, 9000);`,
			// Nothing runs for 5 s: no checkpoint until the task has run.
			"0 1"},
		{"explicit", `let n = 0;
			(async () => { n = 1; await stasis.checkpoint(); n = 2; await stasis.checkpoint();
			  await new Promise((r) => setTimeout(r, 5000)); n = 3; })();`,
			// The two asked for, at once, then the one after the
			// scripts (their microtasks ran: n is 2).
			"1 2 2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			clock := vm.NewManualClock(time.Unix(1e9, 0), true)
			files, name := store.FilesFor(filepath.Join(t.TempDir(), "w.img"))
			opts := durable.Options{VM: vm.Options{Setup: []func(*vm.VM) error{natives.Setup(natives.Default()...)}},
				Every: time.Second, Clock: clock}
			w, err := durable.Open(ctx, files, name, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if _, err := w.VM.RunScript("job.js", c.script+"\nvar seen = []; stasis.onSave(() => seen.push(n));"); err != nil {
				t.Fatal(err)
			}
			if err := w.Run(ctx); err != nil {
				t.Fatal(err)
			}
			got, err := w.VM.Runtime().RunString("seen.join(' ')")
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != c.want {
				t.Fatalf("n at each checkpoint: %q, want %q", got, c.want)
			}
			if _, err := files.Get(ctx, name); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("the completed world is still stored: %v", err)
			}
		})
	}
}

// TestResumeByName checkpoints a world into a store from Go, abandons it
// (as a crash would), and resumes it by name in a new World: onResume
// hooks run, the scripts do not, and the job finishes where it left off.
func TestResumeByName(t *testing.T) {
	ctx := context.Background()
	loc := "sqlite:" + filepath.Join(t.TempDir(), "w.db") + "#job"
	var out bytes.Buffer
	opts := durable.Options{VM: vm.Options{Stdout: &out, Setup: []func(*vm.VM) error{natives.Setup(natives.Default()...)}},
		Clock: vm.NewManualClock(time.Unix(1e9, 0), true)}
	w, err := durable.OpenLocation(ctx, loc, opts)
	if err != nil {
		t.Fatal(err)
	}
	if w.Resumed {
		t.Fatal("a fresh location resumed a world")
	}
	if _, err := w.VM.RunScript("job.js", `let log = [];
		stasis.onResume(() => log.push("resumed"));
		async function main() {
		  log.push("one");
		  await stasis.checkpoint();
		  log.push("two");
		  await new Promise((r) => setTimeout(r, 10));
		  console.log(log.join(" "));
		}
		main();`); err != nil {
		t.Fatal(err)
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	// A second holder is refused while this one lives.
	var held *store.HeldError
	if _, err := durable.OpenLocation(ctx, loc, opts); !errors.As(err, &held) {
		t.Fatalf("second OpenLocation: %v, want a HeldError", err)
	}
	w.Close() // the process "dies" after the checkpoint, before the timer

	w2, err := durable.OpenLocation(ctx, loc, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if !w2.Resumed {
		t.Fatal("the checkpointed world was not resumed")
	}
	if err := w2.Run(ctx); err != nil {
		t.Fatal(err)
	}
	// The last checkpoint came after the scripts' microtasks (log holds
	// "one two"); what ran after it (the timer) runs in the resumed world.
	if got := out.String(); got != "one two resumed\n" {
		t.Fatalf("resumed job printed %q", got)
	}
}
