package vm

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"
)

// The event loop.
//
// A VM's Loop runs tasks on the goroutine that calls Run, which owns the
// runtime while it runs. One turn of the loop has three phases, as in Node:
//
//  1. timers: the timers that were due when the phase began run in order of
//     due time, then of creation;
//  2. tasks: the functions posted (Post) from any goroutine, in order;
//  3. immediates: the functions queued by AddImmediate, in order.
//
// goja runs its job queue (promise reactions, queueMicrotask) whenever a call
// from Go into JavaScript returns, so the microtasks of a task run when the
// task does. After each task comes a safe point: the callbacks queued with
// RequestSave run there (this is where stasis.saveImage saves the world), and
// stasis.exit stops the loop there. The loop is idle, and Run returns, when
// no task, no referenced timer or immediate, no outstanding Ref and no save
// request is left.
//
// Timers and immediates keep time on the loop's Clock; tests use a
// ManualClock so that timers fire in a fixed order without waiting.

// Clock is the time source of a Loop.
type Clock interface {
	// Now returns the current time of the clock.
	Now() time.Time
	// Wait blocks until the clock reads at least deadline (never, if deadline
	// is zero), wake can be received from, or ctx is done, whichever is first.
	Wait(ctx context.Context, deadline time.Time, wake <-chan struct{})
}

// RealClock is the wall clock; it is the default clock of every Loop.
var RealClock Clock = realClock{}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Wait(ctx context.Context, deadline time.Time, wake <-chan struct{}) {
	var fire <-chan time.Time
	if !deadline.IsZero() {
		d := time.Until(deadline)
		if d <= 0 {
			return
		}
		t := time.NewTimer(d)
		defer t.Stop()
		fire = t.C
	}
	select {
	case <-ctx.Done():
	case <-wake:
	case <-fire:
	}
}

// ManualClock is a Clock that moves only when told to: by Advance, or, in
// auto mode, by a loop that would otherwise wait for its next timer. It is
// safe for concurrent use.
type ManualClock struct {
	mu      sync.Mutex
	now     time.Time
	auto    bool
	changed chan struct{} // closed and replaced whenever now moves
}

// NewManualClock returns a ManualClock reading start, in auto mode when auto
// is set: then a loop with nothing to do but wait for a timer jumps the clock
// straight to the timer's due time, so Run finishes at once.
func NewManualClock(start time.Time, auto bool) *ManualClock {
	return &ManualClock{now: start, auto: auto, changed: make(chan struct{})}
}

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d and wakes any loop waiting on it.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

// Wait implements Clock.
func (c *ManualClock) Wait(ctx context.Context, deadline time.Time, wake <-chan struct{}) {
	for {
		c.mu.Lock()
		if !deadline.IsZero() && !c.now.Before(deadline) {
			c.mu.Unlock()
			return
		}
		if c.auto && !deadline.IsZero() {
			c.now = deadline
			close(c.changed)
			c.changed = make(chan struct{})
			c.mu.Unlock()
			return
		}
		changed := c.changed
		c.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-wake:
			return
		case <-changed:
		}
	}
}

// TimerID names a timer or an immediate of a Loop. IDs start at 1.
type TimerID uint64

// TimerInfo describes a pending timer or immediate (for inspection).
type TimerInfo struct {
	ID        TimerID       // what AddTimer or AddImmediate returned
	Immediate bool          // queued by AddImmediate
	Remaining time.Duration // until due, never negative; 0 for immediates
	Seq       uint64        // creation (or last reset) order: smaller runs first among equal due times
	Ref       bool          // keeps the loop alive
}

type timer struct {
	id        TimerID
	due       time.Time
	seq       uint64
	fn        func() error
	ref       bool
	immediate bool
}

// Loop is a VM's event loop. Post, Ref and Unref may be called from any
// goroutine; every other method belongs to the goroutine that owns the VM.
type Loop struct {
	v     *VM
	clock Clock

	mu     sync.Mutex
	posted []func() error
	refs   int
	wake   chan struct{}

	timers     map[TimerID]*timer
	immediates []*timer // FIFO; cancelled entries are removed from timers only
	nextID     TimerID
	nextSeq    uint64
	saves      []func() error
	running    bool
	stopped    bool
	exitCode   int
	exited     bool
	frozen     time.Time // what Now reads while freezes > 0
	freezes    int
	cp         *checkpointState // durable worlds (checkpoint.go)
}

type loopKey struct{}

// Loop returns the VM's event loop, making it on first use.
func (v *VM) Loop() *Loop {
	if l, ok := v.Attachment(loopKey{}).(*Loop); ok {
		return l
	}
	l := &Loop{v: v, clock: RealClock, wake: make(chan struct{}, 1), timers: map[TimerID]*timer{}}
	v.SetAttachment(loopKey{}, l)
	return l
}

// SetClock replaces the loop's clock. Set it before any timer is added:
// timers already added keep their due times on the old clock's scale.
func (l *Loop) SetClock(c Clock) {
	if c == nil {
		c = RealClock
	}
	l.clock = c
}

// Clock returns the loop's clock.
func (l *Loop) Clock() Clock { return l.clock }

// Now returns the time on the loop's clock, or the time at which it was
// frozen.
func (l *Loop) Now() time.Time {
	if l.freezes > 0 {
		return l.frozen
	}
	return l.clock.Now()
}

// Freeze stops the loop's time, as seen by Now, timer records and new
// timers, until the matching Thaw: a save measures every pending timer's
// remaining time from one instant, and a load arms every saved timer from
// one instant, so that timers keep their order. Calls nest.
func (l *Loop) Freeze() {
	if l.freezes == 0 {
		l.frozen = l.clock.Now()
	}
	l.freezes++
}

// Thaw undoes one Freeze.
func (l *Loop) Thaw() {
	if l.freezes > 0 {
		l.freezes--
	}
}

// Post schedules fn to run as a task on the loop. It is safe to call from
// any goroutine; this is how host work done elsewhere hands its result back
// to the world.
func (l *Loop) Post(fn func() error) {
	l.mu.Lock()
	l.posted = append(l.posted, fn)
	l.mu.Unlock()
	l.signal()
}

// Ref records outstanding asynchronous host work that will Post a task:
// the loop does not go idle while any Ref is not matched by an Unref. Safe
// to call from any goroutine.
func (l *Loop) Ref() {
	l.mu.Lock()
	l.refs++
	l.mu.Unlock()
}

// Unref ends what one Ref began; call it after posting the work's task.
func (l *Loop) Unref() {
	l.mu.Lock()
	if l.refs > 0 {
		l.refs--
	}
	l.mu.Unlock()
	l.signal()
}

func (l *Loop) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// AddTimer schedules fn to run once, d from now on the loop's clock (a
// negative d counts as 0). The timer is referenced: it keeps the loop alive.
func (l *Loop) AddTimer(d time.Duration, fn func() error) TimerID {
	if d < 0 {
		d = 0
	}
	t := l.newTimer(fn)
	t.due = l.Now().Add(d)
	return t.id
}

// AddImmediate queues fn to run in the immediates phase of the loop's next
// turn, after the due timers and the posted tasks (setImmediate).
func (l *Loop) AddImmediate(fn func() error) TimerID {
	t := l.newTimer(fn)
	t.immediate = true
	l.immediates = append(l.immediates, t)
	return t.id
}

func (l *Loop) newTimer(fn func() error) *timer {
	l.nextID++
	l.nextSeq++
	t := &timer{id: l.nextID, seq: l.nextSeq, fn: fn, ref: true}
	l.timers[t.id] = t
	return t
}

// CancelTimer cancels a pending timer or immediate; it reports whether
// there was one to cancel.
func (l *Loop) CancelTimer(id TimerID) bool {
	t, ok := l.timers[id]
	if !ok {
		return false
	}
	delete(l.timers, id)
	if t.immediate {
		for i, u := range l.immediates {
			if u == t {
				l.immediates = append(l.immediates[:i:i], l.immediates[i+1:]...)
				break
			}
		}
	}
	return true
}

// ResetTimer moves a pending timer to d from now, after every timer due at
// the same time (Node's timeout.refresh()). It reports whether the timer
// was pending.
func (l *Loop) ResetTimer(id TimerID, d time.Duration) bool {
	t, ok := l.timers[id]
	if !ok || t.immediate {
		return false
	}
	if d < 0 {
		d = 0
	}
	l.nextSeq++
	t.seq = l.nextSeq
	t.due = l.Now().Add(d)
	return true
}

// SetTimerRef sets whether a pending timer or immediate keeps the loop alive
// (Node's ref() and unref()). It reports whether the timer was pending.
func (l *Loop) SetTimerRef(id TimerID, ref bool) bool {
	t, ok := l.timers[id]
	if ok {
		t.ref = ref
	}
	return ok
}

// Timer describes one pending timer or immediate.
func (l *Loop) Timer(id TimerID) (TimerInfo, bool) {
	t, ok := l.timers[id]
	if !ok {
		return TimerInfo{}, false
	}
	return l.info(t), true
}

func (l *Loop) info(t *timer) TimerInfo {
	ti := TimerInfo{ID: t.id, Immediate: t.immediate, Seq: t.seq, Ref: t.ref}
	if !t.immediate {
		if r := t.due.Sub(l.Now()); r > 0 {
			ti.Remaining = r
		}
	}
	return ti
}

// Pending lists the pending timers in the order they will fire (immediates
// last, in their queue's order).
func (l *Loop) Pending() []TimerInfo {
	ts := l.sortedTimers()
	out := make([]TimerInfo, 0, len(ts)+len(l.immediates))
	for _, t := range ts {
		out = append(out, l.info(t))
	}
	for _, t := range l.immediates {
		out = append(out, l.info(t))
	}
	return out
}

func (l *Loop) sortedTimers() []*timer {
	var ts []*timer
	for _, t := range l.timers {
		if !t.immediate {
			ts = append(ts, t)
		}
	}
	sort.Slice(ts, func(i, j int) bool { return before(ts[i], ts[j]) })
	return ts
}

func before(a, b *timer) bool {
	if !a.due.Equal(b.due) {
		return a.due.Before(b.due)
	}
	return a.seq < b.seq
}

// RequestSave queues fn for the next safe point: after the current task and
// its microtasks, before the next task. If no task is running, the next
// safe point is the start of Run, Step or an explicit SafePoint.
func (l *Loop) RequestSave(fn func() error) {
	l.saves = append(l.saves, fn)
}

// SafePoint runs the callbacks queued by RequestSave, in order, stopping at
// the first error. Run and Step call it after every task; call it yourself
// after running code outside the loop (a script, a REPL input).
func (l *Loop) SafePoint() error {
	for len(l.saves) > 0 {
		fn := l.saves[0]
		l.saves = l.saves[1:]
		if err := l.v.Try("safe point", fn); err != nil {
			return err
		}
		// The save settled a promise: its reactions run now, before the
		// next task, as if the save had been a task of its own.
		if err := l.v.RunMicrotasks(); err != nil {
			return err
		}
	}
	return nil
}

// Exit records an exit code and stops the loop at the next safe point
// (stasis.exit). Later calls to Run return at once.
func (l *Loop) Exit(code int) {
	l.exitCode, l.exited, l.stopped = code, true, true
}

// ExitCode returns the code given to Exit, and whether Exit was called.
func (l *Loop) ExitCode() (int, bool) { return l.exitCode, l.exited }

// Stopped reports whether Exit stopped the loop.
func (l *Loop) Stopped() bool { return l.stopped }

// ErrLoopRunning is returned by Run or Step called while the loop runs.
var ErrLoopRunning = errors.New("event loop: already running")

// Run runs tasks, timers and immediates until the loop is idle, Exit stops
// it, a task fails, or ctx is done. It returns the first error a task
// returned (an uncaught JavaScript exception is a *goja.Exception, with its
// JavaScript stack), or ctx's error. Pending work is kept when Run returns.
func (l *Loop) Run(ctx context.Context) error {
	if l.running {
		return ErrLoopRunning
	}
	l.running = true
	defer func() { l.running = false }()
	if err := l.SafePoint(); err != nil {
		return err
	}
	for !l.stopped {
		if err := ctx.Err(); err != nil {
			return err
		}
		ran, err := l.turn()
		if err != nil || l.stopped {
			return err
		}
		if ran {
			continue
		}
		if !l.alive() {
			return nil
		}
		cpDue, took, err := l.checkpointDeadline()
		if err != nil {
			return err
		}
		if took {
			continue
		}
		next := l.nextDue()
		if !cpDue.IsZero() && (next.IsZero() || cpDue.Before(next)) {
			next = cpDue
		}
		if vc, ok := l.clock.(*VirtualClock); ok && !l.hostBusy() {
			if !next.IsZero() {
				vc.jump(next)
				continue
			}
		}
		l.clock.Wait(ctx, next, l.wake)
	}
	return nil
}

// Step runs one turn of the loop (the due timers, the posted tasks, the
// queued immediates) without waiting, and reports whether anything ran.
func (l *Loop) Step() (ran bool, err error) {
	if l.running {
		return false, ErrLoopRunning
	}
	l.running = true
	defer func() { l.running = false }()
	if err := l.SafePoint(); err != nil {
		return false, err
	}
	if l.stopped {
		return false, nil
	}
	return l.turn()
}

// Idle reports whether the loop has nothing left that keeps it alive.
func (l *Loop) Idle() bool { return !l.alive() }

func (l *Loop) alive() bool {
	l.mu.Lock()
	busy := len(l.posted) > 0 || l.refs > 0
	l.mu.Unlock()
	if busy || len(l.saves) > 0 {
		return true
	}
	for _, t := range l.timers {
		if t.ref {
			return true
		}
	}
	return false
}

// nextDue is the due time of the earliest timer, or zero if there is none
// (an unreferenced timer still bounds the wait: other work may keep the
// loop alive until it is due).
func (l *Loop) nextDue() time.Time {
	var next time.Time
	for _, t := range l.timers {
		if !t.immediate && (next.IsZero() || t.due.Before(next)) {
			next = t.due
		}
	}
	return next
}

// turn runs the three phases once.
func (l *Loop) turn() (ran bool, err error) {
	// Timers due now, created before this phase began.
	now, limit := l.clock.Now(), l.nextSeq
	for _, t := range l.sortedTimers() {
		if t.due.After(now) {
			break
		}
		if l.stopped {
			return ran, nil
		}
		if cur, ok := l.timers[t.id]; !ok || cur != t || t.seq > limit || t.due.After(now) {
			continue // cancelled or reset by an earlier callback
		}
		delete(l.timers, t.id)
		ran = true
		if err := l.task(t.fn); err != nil {
			return ran, err
		}
	}
	// Posted tasks.
	l.mu.Lock()
	posted := l.posted
	l.posted = nil
	l.mu.Unlock()
	for i, fn := range posted {
		if l.stopped {
			l.requeue(posted[i:])
			return ran, nil
		}
		ran = true
		if err := l.task(fn); err != nil {
			l.requeue(posted[i+1:])
			return ran, err
		}
	}
	// Immediates queued before this phase began.
	imms := l.immediates
	l.immediates = nil
	for i, t := range imms {
		if l.stopped {
			l.immediates = append(imms[i:len(imms):len(imms)], l.immediates...)
			return ran, nil
		}
		if _, ok := l.timers[t.id]; !ok {
			continue
		}
		delete(l.timers, t.id)
		ran = true
		if err := l.task(t.fn); err != nil {
			l.immediates = append(imms[i+1:len(imms):len(imms)], l.immediates...)
			return ran, err
		}
	}
	return ran, nil
}

func (l *Loop) requeue(fns []func() error) {
	if len(fns) == 0 {
		return
	}
	l.mu.Lock()
	l.posted = append(append([]func() error(nil), fns...), l.posted...)
	l.mu.Unlock()
}

// task runs one task, recovering goja panics, then the safe point after it
// (where a durable world may checkpoint).
func (l *Loop) task(fn func() error) error {
	if err := l.beforeTask(); err != nil {
		return err
	}
	if err := l.v.Try("task", fn); err != nil {
		return err
	}
	if err := l.v.CheckRejections(); err != nil {
		return err
	}
	if err := l.SafePoint(); err != nil {
		return err
	}
	return l.afterTask()
}
