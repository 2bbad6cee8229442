package vm

import (
	"context"
	"sync"
	"time"
)

// VirtualClock is a Clock for runs that must not depend on the machine's
// speed: it stands still while the world works and, when the loop has
// nothing left to do but wait for a timer (and no host work, such as a file
// read, is outstanding), jumps straight to that timer's due time. Timers
// then fire in the order of their due times however slow or busy the
// machine is, and a run never sleeps. Host work is still waited for in
// real time. The CLI gives it to every world when STASIS_CLOCK=virtual.
type VirtualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewVirtualClock returns a VirtualClock reading start.
func NewVirtualClock(start time.Time) *VirtualClock { return &VirtualClock{now: start} }

// Now returns the clock's time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Wait implements Clock: it waits only for host work (wake) or ctx; the
// loop moves the clock itself when timers are all it waits for.
func (c *VirtualClock) Wait(ctx context.Context, deadline time.Time, wake <-chan struct{}) {
	select {
	case <-ctx.Done():
	case <-wake:
	}
}

// jump moves the clock forward to t (never back).
func (c *VirtualClock) jump(t time.Time) {
	c.mu.Lock()
	if t.After(c.now) {
		c.now = t
	}
	c.mu.Unlock()
}

// hostBusy reports whether host work is outstanding or posted.
func (l *Loop) hostBusy() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.posted) > 0 || l.refs > 0
}
