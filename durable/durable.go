// Package durable runs worlds that survive their process: a world is
// checkpointed into a store (image/store) at safe points of its event loop,
// and a process that starts it again after a crash resumes the last
// checkpoint instead of starting over. Resuming an image is the recovery:
// there is no journal to replay and no rule that the code be deterministic.
//
// One process at a time runs a world: Open takes the world's lease in the
// store, and every checkpoint is written with the lease's generation, so a
// process that lost its lease (it stalled, and another took the world over)
// can never overwrite a newer checkpoint.
//
// The guarantee: work a world did before its last checkpoint never runs
// again; work after it runs again after a crash (at least once).
//
//	w, err := durable.OpenLocation(ctx, "sqlite:jobs.db#nightly", durable.Options{VM: opts})
//	defer w.Close()
//	if !w.Resumed {
//		_, err = w.VM.RunScript("job.js", src) // a fresh world: run the scripts
//	}
//	err = w.Start()  // resume hooks, or the first checkpoint; then checkpoints at safe points
//	err = w.Run(ctx) // the event loop; at its normal end the world is removed
package durable

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/image/store"
	"github.com/stasisvm/stasis/vm"
)

// DefaultEvery is the least time between two checkpoints a world takes by
// itself, unless Options.Every says otherwise.
const DefaultEvery = time.Second

// Options control a durable world.
type Options struct {
	// VM are the options of the world, fresh or resumed (its plugins must
	// be those of the world that was checkpointed).
	VM vm.Options
	// Every is the least time between two checkpoints the world takes by
	// itself (DefaultEvery when zero). stasis.checkpoint() takes one at once.
	Every time.Duration
	// Clock, if not nil, is the event loop's clock (tests).
	Clock vm.Clock
	// Location names the world in messages and in stasis.checkpoint()'s
	// result; OpenLocation sets it.
	Location string
	// Limits bound what resuming a checkpoint accepts (zero fields: the
	// defaults of image.Limits).
	Limits image.Limits
}

// World is a durable world: its VM, and the lease that makes this process
// its one runner.
type World struct {
	// VM is the world. Run scripts in a fresh one before Start.
	VM *vm.VM
	// Resumed is set when the store held the world and it was loaded from
	// there: Start resumes it (scripts must not run again).
	Resumed bool

	st       store.Store
	ownStore bool
	lease    *store.Lease
	opts     Options
	started  bool
	stored   bool // the store holds a checkpoint of this run (or the one resumed)
}

// Open leases the world called name in st and loads it if st holds it
// (nothing runs yet: Start resumes it), or makes a fresh world if not. It fails with a *store.HeldError, naming
// the holder, when another process runs the world.
func Open(ctx context.Context, st store.Store, name string, opts Options) (w *World, err error) {
	if opts.Every <= 0 {
		opts.Every = DefaultEvery
	}
	if opts.Location == "" {
		opts.Location = name
	}
	lease, err := st.Lease(ctx, name)
	if err != nil {
		return nil, err
	}
	w = &World{st: st, lease: lease, opts: opts}
	defer func() {
		if err != nil {
			lease.Release()
		}
	}()
	data, err := lease.Get(ctx)
	switch {
	case errors.Is(err, store.ErrNotFound):
		w.VM, err = image.NewWorld(opts.VM)
		if err != nil {
			return nil, err
		}
		w.setClock()
	case err != nil:
		return nil, err
	default:
		w.VM, _, err = image.Load(bytes.NewReader(data), image.LoadOptions{VM: opts.VM, Limits: opts.Limits})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", opts.Location, err)
		}
		w.setClock()
		w.Resumed, w.stored = true, true
	}
	image.AttachSaver(w.VM)
	w.VM.SetCheckpointLocation(opts.Location)
	return w, nil
}

// OpenLocation opens the store a location names (see store.Open) and the
// world in it (see Open). Close closes the store too.
func OpenLocation(ctx context.Context, location string, opts Options) (*World, error) {
	st, name, err := store.Open(ctx, location)
	if err != nil {
		return nil, err
	}
	if opts.Location == "" {
		opts.Location = location
	}
	w, err := Open(ctx, st, name, opts)
	if err != nil {
		st.Close()
		return nil, err
	}
	w.ownStore = true
	return w, nil
}

func (w *World) setClock() {
	if w.opts.Clock != nil {
		w.VM.Loop().SetClock(w.opts.Clock)
	}
}

// Lease returns the world's lease.
func (w *World) Lease() *store.Lease { return w.lease }

// Checkpoint runs the world's stasis.onSave hooks and writes its image to
// the store, with the lease's generation. Call it at a safe point only:
// between tasks of the event loop, or after a script and its microtasks.
func (w *World) Checkpoint() error {
	ctx := context.Background()
	if err := image.RunSaveHooks(w.VM); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := image.Save(&buf, w.VM, image.SaveOptions{}); err != nil {
		return fmt.Errorf("checkpoint %s: %w", w.opts.Location, err)
	}
	if err := w.lease.Put(ctx, buf.Bytes()); err != nil {
		return fmt.Errorf("checkpoint %s: %w", w.opts.Location, err)
	}
	w.stored = true
	return nil
}

// Checkpointed reports whether the store holds a checkpoint of the world:
// it was resumed, or has been checkpointed since it was made.
func (w *World) Checkpointed() bool { return w.stored }

// Start resumes a loaded world (native plugins rebind, stasis.onResume
// hooks run; main is not called) and makes the world checkpoint itself: at
// once (a fresh world, after its scripts), then at safe points at most every Options.Every and only
// when a task ran since the last checkpoint, and whenever it calls
// stasis.checkpoint(). Before every task the lease is checked (see
// store.Lease.Valid): a world whose lease was taken over stops.
func (w *World) Start() error {
	if w.started {
		return nil
	}
	w.started = true
	if w.Resumed {
		if err := image.RunResumeHooks(w.VM); err != nil {
			return err
		}
	}
	l := w.VM.Loop()
	if err := w.VM.CheckRejections(); err != nil {
		return err
	}
	l.SetCheckpointer(&vm.Checkpointer{
		Every:      w.opts.Every,
		Checkpoint: w.Checkpoint,
		BeforeTask: func() error { return w.lease.Valid(context.Background()) },
	})
	// Saves the scripts asked for happen first.
	if err := l.SafePoint(); err != nil {
		return err
	}
	if _, exited := w.VM.ExitCode(); exited || w.Resumed {
		return nil
	}
	return l.CheckpointNow()
}

// Run runs the world's event loop (after Start) until it is idle or the
// world calls stasis.exit: the world is complete and is removed from the
// store, so the next Open starts afresh. When the loop ends with an error
// (an uncaught exception, a lost lease, ctx done), the last checkpoint is
// kept and the error is returned.
func (w *World) Run(ctx context.Context) error {
	if err := w.Start(); err != nil {
		return err
	}
	if err := w.run(ctx); err != nil {
		return err
	}
	if !w.stored {
		return nil
	}
	if err := w.lease.Delete(context.Background()); err != nil {
		return fmt.Errorf("remove the completed world %s: %w", w.opts.Location, err)
	}
	w.stored = false
	return nil
}

func (w *World) run(ctx context.Context) error {
	if err := w.VM.CheckRejections(); err != nil {
		return err
	}
	if _, exited := w.VM.ExitCode(); exited {
		return nil
	}
	return w.VM.Loop().Run(ctx)
}

// Close gives up the lease (the world stays as the last checkpoint left
// it) and closes the store if OpenLocation opened it.
func (w *World) Close() error {
	err := w.lease.Release()
	if w.ownStore {
		if cerr := w.st.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
