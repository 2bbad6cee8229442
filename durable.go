package stasis

import (
	"context"
	"time"

	"github.com/stasisvm/stasis/durable"
)

// Durable is a world that outlives its process: it checkpoints itself into
// a location as it runs, and a process that opens the location again after
// a crash resumes the last checkpoint instead of starting over. Work the
// world did before its last checkpoint never runs again; work after it runs
// again after a crash. One process at a time holds a location.
//
// Use the embedded World to run scripts in a fresh durable world (when
// Resumed is false) before Start.
type Durable struct {
	*World
	d *durable.World
}

// OpenDurable takes the lease on the world at location (a file path,
// "sqlite:FILE#NAME" or "postgres://...#NAME") and loads it, or makes a fresh
// world when the location holds none. Nothing runs yet: run the scripts of a
// fresh world, then Start. The world checkpoints itself at safe points at
// most every interval (durable.DefaultEvery when zero). OpenDurable fails
// with a *store.HeldError, naming the holder, when another process holds
// the world.
func OpenDurable(ctx context.Context, location string, every time.Duration, opts Options) (*Durable, error) {
	d, err := durable.OpenLocation(ctx, location, durable.Options{VM: opts.vmOptions(), Every: every})
	if err != nil {
		return nil, err
	}
	return &Durable{World: &World{vm: d.VM}, d: d}, nil
}

// Resumed reports whether the world was loaded from a checkpoint; its
// scripts then must not run again.
func (d *Durable) Resumed() bool { return d.d.Resumed }

// Start resumes a loaded world (plugins rebind, stasis.onResume hooks run;
// main is not called) or takes a fresh world's first checkpoint, and makes
// the world checkpoint itself from then on.
func (d *Durable) Start() error { return d.d.Start() }

// Run runs the world's event loop until it is idle or calls stasis.exit:
// the world is complete, and is removed from its location, so that the next
// OpenDurable starts afresh. On an error the last checkpoint is kept.
// Use it rather than World.RunLoop, which would leave a complete world in
// its location.
func (d *Durable) Run(ctx context.Context) error { return d.d.Run(ctx) }

// Checkpoint runs the stasis.onSave hooks and checkpoints the world now.
// Call it between tasks only.
func (d *Durable) Checkpoint() error { return d.d.Checkpoint() }

// Close gives up the lease; the location keeps the last checkpoint.
func (d *Durable) Close() error { return d.d.Close() }
