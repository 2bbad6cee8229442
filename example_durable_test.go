package stasis_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/stasisvm/stasis"
	"github.com/stasisvm/stasis/vm"
)

// A durable world checkpoints itself as it runs. Here the first run
// "crashes" (a task throws) after item 2 was checkpointed; opening the
// location again resumes that checkpoint: the items before it do not run
// again, and the world, once complete, is removed from the location.
func ExampleOpenDurable() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "job")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	location := filepath.Join(dir, "job.img")    // or "sqlite:FILE#NAME", "postgres://...#NAME"
	clock := vm.NewVirtualClock(time.Unix(0, 0)) // timers fire without waiting

	run := func(args ...string) error {
		opts := stasis.Options{Args: args, Clock: clock}
		job, err := stasis.OpenDurable(ctx, location, time.Second, opts)
		if err != nil {
			return err
		}
		defer job.Close()
		if job.Resumed() {
			fmt.Println("resumed")
		} else if _, err := job.RunScript("job.js", `
			let done = 0;
			async function work() {
				while (done < 4) {
					await new Promise((resolve) => setTimeout(resolve, 100));
					done++;
					console.log("item", done);
					if (done === 2) await stasis.checkpoint();
					if (done === 3 && stasis.args[0] === "crash") throw new Error("crash");
				}
			}
			work();
		`); err != nil {
			return err
		}
		if err := job.Start(); err != nil {
			return err
		}
		return job.Run(ctx)
	}
	var crash *vm.UnhandledRejection
	if err := run("crash"); errors.As(err, &crash) {
		fmt.Println("stopped:", crash.Reason)
	}
	if err := run(); err != nil {
		log.Fatal(err)
	}
	if _, err := os.Stat(location); errors.Is(err, os.ErrNotExist) {
		fmt.Println("complete: the location is empty")
	}
	// Output:
	// item 1
	// item 2
	// item 3
	// stopped: Error: crash
	// resumed
	// item 3
	// item 4
	// complete: the location is empty
}
