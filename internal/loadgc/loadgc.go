// Package loadgc sets Go's collector for the load of a large world
// (Pause): collected once before, off while the world is built.
//
// A load builds a world whose objects all stay live: a collection during
// it marks what the load has made so far and frees nothing of it. What a
// collection can free is what the process dropped before the load (in a
// process that loads images again and again, the previous world), and the
// load reuses that memory only once a collection has found it dead. Left
// to itself, the collector starts its first cycle of a load when the heap
// reaches its goal, by when the load has grown the heap into fresh memory
// that the system must supply page by page (on the paravirtualised
// machines the benchmarks run on, a page fault costs about 20 µs: a
// third to a half of a repeated load of 200,000 records), and then marks
// the half-built world once or twice more. So a load that would start a
// collection anyway collects first, when the live heap is smallest, and
// builds its world with the collector off: the world lands in the memory
// the previous one freed, and the collector marks it once, after.
//
// With the collector off, the heap grows until the load ends or a soft
// memory limit stops it; in a container, that limit must stay under what
// the container may use (internal/memlimit reads it), or a load and a busy
// server's garbage together could pass it and the process be killed. A
// load that would not fit there with the live heap gets no pause.
package loadgc

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"

	"github.com/stasisvm/stasis/internal/memlimit"
)

// MinBytes is the least a load must be expected to allocate for Pause to
// act: below it, the collection Pause makes costs more than it saves.
const MinBytes = 32 << 20

// slack is the headroom of the soft memory limit Pause sets above the
// heap and the load's bound.
const slack = 64 << 20

var (
	mu sync.Mutex
	// active counts the loads between Pause and their resume while the
	// collector is off by Pause's doing; the last one out restores.
	active int
	// pause numbers the pauses: a load's resume acts only on its own.
	pause uint64
	// percent and limit are the GC percent and memory limit to restore.
	percent int
	limit   int64
	// need is the memory the pause makes room for (the heap after its
	// collection, the slack and the loads' bounds), and ceiling the most
	// it may.
	need, ceiling uint64
	// userSet reports whether the program's environment decides the
	// collector's settings ($GOGC, $GOMEMLIMIT): Pause leaves them alone.
	userSet = func() bool { return envSet("GOGC") || envSet("GOMEMLIMIT") }
	// root is where Pause reads what memory the process may use
	// (memlimit.Read); tests set it to a directory of their own.
	root = "/"
)

// Pause prepares the collector for a load expected to allocate at least
// expect bytes and at most about bound, and returns what sets it back, to
// be called once the load is done (it may be called more than once).
//
// If expect is at least MinBytes and the load would reach the heap's goal
// (so that the collector would start a cycle during it anyway), Pause
// collects now, turns the collector off and sets a soft memory limit of
// the heap and bound (plus a little), so that a world far larger than
// bound turns it back on. The heap, bound and the little must fit under a
// ceiling: nine tenths of the memory the process may use (its control
// group's limit or the machine's memory, internal/memlimit; the tenth is
// for what Go's limit does not count, such as the page cache and other
// processes of a container), or the program's own memory limit if that is
// less. If they do not (going by the live heap the last collection
// found), Pause leaves the collector as it is: a load with the collector
// off until its heap nears the ceiling would leave a busy server no room
// for its own garbage. Pause does nothing either when the collector is
// off already (GOGC=off, or a program that turned it off for its load, as
// the stasis command does for a bundle), when $GOGC or $GOMEMLIMIT are
// set, or when expect is below MinBytes.
//
// Loads at the same time share one pause: those that start during it
// join it (raising the limit Pause set by their bound), and the last one
// to finish restores the collector's GC percent and memory limit as they
// were before the first (a change the program makes to them meanwhile is
// lost). A load whose bound would take the pause past its ceiling ends
// the pause for all at once, restoring the collector.
func Pause(expect, bound uint64) (resume func()) {
	if expect < MinBytes {
		return func() {}
	}
	mu.Lock()
	defer mu.Unlock()
	if active > 0 {
		if bound > ceiling || need > ceiling-bound {
			restore()
			return func() {}
		}
		need += bound
		if limit == math.MaxInt64 {
			// The pause's own limit was set for the loads before this
			// one: it makes room for this one's world too.
			debug.SetMemoryLimit(int64(need))
		}
		active++
		return leaveOnce(pause)
	}
	if userSet() {
		return func() {}
	}
	m := read()
	if m.percent < 0 || m.objects+expect < m.goal {
		return func() {}
	}
	ceil := ceilingOf(m.limit)
	if !fits(m.live, bound, ceil) {
		return func() {}
	}
	runtime.GC()
	after := read().objects
	if !fits(after, bound, ceil) {
		return func() {}
	}
	percent = debug.SetGCPercent(-1)
	limit = debug.SetMemoryLimit(-1)
	need, ceiling = after+slack+bound, ceil
	if limit == math.MaxInt64 {
		debug.SetMemoryLimit(int64(need))
	}
	active = 1
	pause++
	return leaveOnce(pause)
}

// ceilingOf returns the most memory a pause may make room for, under the
// program's memory limit (MaxInt64 for none): nine tenths of what the
// process may use, or the program's limit if that is less.
func ceilingOf(programLimit int64) uint64 {
	ceil := uint64(math.MaxInt64)
	if n, err := memlimit.Read(root); err == nil && n != memlimit.None {
		ceil = n / 10 * 9
	}
	return min(ceil, uint64(max(programLimit, 0)))
}

// fits reports whether a heap of heap bytes, a load's bound and the slack
// fit under ceil.
func fits(heap, bound, ceil uint64) bool {
	return heap <= ceil && bound <= ceil-heap && slack <= ceil-heap-bound
}

// leaveOnce returns a function that ends one load's share of the pause
// numbered p, the first time it is called.
func leaveOnce(p uint64) func() {
	var once sync.Once
	return func() { once.Do(func() { leave(p) }) }
}

func leave(p uint64) {
	mu.Lock()
	defer mu.Unlock()
	if p != pause || active == 0 {
		return // ended already, by a load that did not fit
	}
	if active--; active == 0 {
		restore()
	}
}

// restore ends the pause: the collector's settings are set back. The
// caller holds mu.
func restore() {
	active = 0
	debug.SetMemoryLimit(limit)
	debug.SetGCPercent(percent)
}

// heapState is what Pause reads of the collector.
type heapState struct {
	objects uint64 // bytes of the heap's objects, live or not yet swept
	live    uint64 // bytes of the heap's objects the last cycle found live
	goal    uint64 // the heap's goal: a cycle starts before it is reached
	percent int64  // the GC percent, negative when the collector is off
	limit   int64  // the program's soft memory limit (MaxInt64 for none)
}

func read() heapState {
	s := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/heap/goal:bytes"},
		{Name: "/gc/gogc:percent"},
		{Name: "/gc/heap/live:bytes"},
		{Name: "/gc/gomemlimit:bytes"},
	}
	metrics.Read(s)
	var h heapState
	if s[0].Value.Kind() == metrics.KindUint64 {
		h.objects = s[0].Value.Uint64()
	}
	if s[1].Value.Kind() == metrics.KindUint64 {
		h.goal = s[1].Value.Uint64()
	}
	if s[2].Value.Kind() == metrics.KindUint64 {
		h.percent = int64(s[2].Value.Uint64())
	} else {
		h.percent = -1 // unknown: leave the collector alone
	}
	if s[3].Value.Kind() == metrics.KindUint64 {
		h.live = s[3].Value.Uint64()
	}
	h.limit = math.MaxInt64
	if s[4].Value.Kind() == metrics.KindUint64 {
		h.limit = int64(min(s[4].Value.Uint64(), math.MaxInt64))
	}
	return h
}

func envSet(name string) bool {
	_, ok := os.LookupEnv(name)
	return ok
}
