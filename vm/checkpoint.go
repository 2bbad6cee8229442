package vm

import (
	"errors"
	"fmt"
	"time"

	"github.com/dop251/goja"
)

// Durable worlds: a loop with a Checkpointer saves its world by itself at
// safe points, and stasis.checkpoint() asks for a save now.

// Checkpointer makes a loop checkpoint its world (see Loop.SetCheckpointer).
type Checkpointer struct {
	// Every is the least time, on the loop's clock, between two checkpoints
	// the loop takes by itself. The loop takes one at the first safe point
	// at least Every after the last, if a task ran since; and when it would
	// wait for a timer or for host work with tasks run since the last
	// checkpoint, it waits no longer than that point, so a world that goes
	// quiet is checkpointed within Every of its last task. A world whose
	// loop stops or goes idle after a task is complete and is not
	// checkpointed again.
	Every time.Duration
	// Checkpoint saves the world durably. It runs at a safe point, on the
	// loop's goroutine. An error ends Run with that error.
	Checkpoint func() error
	// BeforeTask, if not nil, runs before every task; an error ends Run
	// before the task runs (a durable run whose lease was taken over must
	// not act on the world any more).
	BeforeTask func() error
}

type checkpointState struct {
	c     *Checkpointer
	dirty bool      // a task ran since the last checkpoint
	last  time.Time // when the last checkpoint was taken
}

// SetCheckpointer makes the loop checkpoint its world through c (nil stops
// it). The time of the last checkpoint counts from this call.
func (l *Loop) SetCheckpointer(c *Checkpointer) {
	if c == nil {
		l.cp = nil
		return
	}
	l.cp = &checkpointState{c: c, last: l.clock.Now()}
}

// ErrNotDurable is the reason stasis.checkpoint() rejects in a world whose
// loop has no Checkpointer.
var ErrNotDurable = errors.New("this world is not durable: run it with stasis run --checkpoint LOCATION")

// CheckpointNow takes a checkpoint at once through the loop's Checkpointer.
// Call it only at a safe point (between tasks, or after a script's
// top-level code and its microtasks).
func (l *Loop) CheckpointNow() error {
	if l.cp == nil {
		return ErrNotDurable
	}
	if err := l.cp.c.Checkpoint(); err != nil {
		return err
	}
	l.cp.dirty, l.cp.last = false, l.clock.Now()
	return nil
}

// beforeTask runs the Checkpointer's BeforeTask, if any.
func (l *Loop) beforeTask() error {
	if l.cp == nil || l.cp.c.BeforeTask == nil {
		return nil
	}
	return l.cp.c.BeforeTask()
}

// afterTask notes that a task ran and checkpoints if one is due.
func (l *Loop) afterTask() error {
	if l.cp == nil {
		return nil
	}
	l.cp.dirty = true
	// A world that stops or goes idle now is complete: a checkpoint of it
	// would only be removed.
	if l.stopped || !l.alive() || l.clock.Now().Sub(l.cp.last) < l.cp.c.Every {
		return nil
	}
	return l.CheckpointNow()
}

// checkpointDeadline bounds the loop's wait: the time at which a
// checkpoint of tasks run since the last one falls due, if any; zero
// otherwise. A due checkpoint is taken at once, and reported by took.
func (l *Loop) checkpointDeadline() (deadline time.Time, took bool, err error) {
	if l.cp == nil || !l.cp.dirty {
		return time.Time{}, false, nil
	}
	due := l.cp.last.Add(l.cp.c.Every)
	if l.clock.Now().Before(due) {
		return due, false, nil
	}
	return time.Time{}, true, l.CheckpointNow()
}

// defineCheckpoint defines stasis.checkpoint(): a promise that resolves,
// at the next safe point, once the world's checkpoint is durable.
func (v *VM) defineCheckpoint(o *goja.Object) {
	rt := v.rt
	v.DefineFunction(o, "checkpoint", 0, func(c goja.FunctionCall) goja.Value {
		promise, resolve, reject := rt.NewPromise()
		pobj := rt.ToValue(promise).(*goja.Object)
		l := v.Loop()
		l.RequestSave(func() error {
			if l.cp == nil {
				return reject(errorValue(rt, fmt.Errorf("stasis.checkpoint: %w", ErrNotDurable)))
			}
			where, _ := v.Attachment(checkpointWhereKey{}).(string)
			v.SetAttachment(savingKey{}, &saving{promise: pobj, path: where})
			err := l.CheckpointNow()
			v.SetAttachment(savingKey{}, (*saving)(nil))
			if err != nil {
				// The world cannot be made durable: the run ends with the
				// error (a lost lease must not let the world go on).
				return fmt.Errorf("stasis.checkpoint: %w", err)
			}
			res := rt.NewObject()
			_ = res.Set("resumed", false)
			_ = res.Set("path", where)
			return resolve(res)
		})
		return pobj
	})
}

type checkpointWhereKey struct{}

// SetCheckpointLocation records the location a durable world is
// checkpointed to, which stasis.checkpoint() reports as its path.
func (v *VM) SetCheckpointLocation(where string) {
	v.SetAttachment(checkpointWhereKey{}, where)
}
