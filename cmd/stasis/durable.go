package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/stasisvm/stasis/durable"
	"github.com/stasisvm/stasis/image/store"
)

// runDurable is `stasis run --checkpoint LOCATION`: resume the world the
// location holds or run the scripts in a fresh one, checkpoint it as it
// runs, and remove it when it completes.
func (c *runCmd) runDurable(e *env) error {
	ctx := context.Background()
	if c.Every <= 0 {
		return fmt.Errorf("--every %s: must be more than 0", c.Every)
	}
	w, err := durable.OpenLocation(ctx, c.Checkpoint, durable.Options{VM: worldOptions(e), Every: c.Every, Limits: e.limits})
	if err != nil {
		return err
	}
	defer w.Close()
	if w.Resumed {
		fmt.Fprintf(e.stderr, "run: resuming the world in %s\n", c.Checkpoint)
	} else if err := runScripts(w.VM, c.Scripts); err != nil {
		return err
	}
	err = w.Start()
	if err == nil {
		err = w.Run(ctx)
	}
	if err != nil {
		if errors.Is(err, store.ErrLost) || !w.Checkpointed() {
			return err
		}
		// The world failed: say so, and that its last checkpoint is kept.
		fmt.Fprintf(e.stderr, "run: %s\n", strings.TrimRight(describe(err), "\n"))
		fmt.Fprintf(e.stderr, "run: the last checkpoint is kept in %s (the same command resumes it)\n", c.Checkpoint)
		return worldExit(exitError)
	}
	if code, _ := w.VM.ExitCode(); code != 0 {
		return worldExit(code)
	}
	return nil
}
