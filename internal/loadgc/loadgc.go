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
package loadgc

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
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
	// percent and limit are the GC percent and memory limit to restore.
	percent int
	limit   int64
	// userSet reports whether the program's environment decides the
	// collector's settings ($GOGC, $GOMEMLIMIT): Pause leaves them alone.
	userSet = func() bool { return envSet("GOGC") || envSet("GOMEMLIMIT") }
)

// Pause prepares the collector for a load expected to allocate at least
// expect bytes and at most about bound, and returns what sets it back, to
// be called once the load is done (it may be called more than once).
//
// If expect is at least MinBytes and the load would reach the heap's goal
// (so that the collector would start a cycle during it anyway), Pause
// collects now, turns the collector off and sets a soft memory limit of
// the heap and bound (plus a little), so that a world far larger than
// bound turns it back on. Pause does nothing when the collector is off
// already (GOGC=off, or a program that turned it off for its load, as
// the stasis command does for a bundle), when $GOGC or $GOMEMLIMIT are
// set, or when expect is below MinBytes. Loads at the same time share
// one pause: those that start during it join it (raising the limit
// Pause set by their bound), and the last one to finish restores the
// collector's GC percent and memory limit as they were before the first
// (a change the program makes to them meanwhile is lost).
func Pause(expect, bound uint64) (resume func()) {
	if expect < MinBytes {
		return func() {}
	}
	mu.Lock()
	defer mu.Unlock()
	if active > 0 {
		active++
		if limit == math.MaxInt64 {
			// The pause's own limit was set for the loads before this
			// one: it makes room for this one's world too.
			debug.SetMemoryLimit(addBound(uint64(debug.SetMemoryLimit(-1)), bound))
		}
		return leaveOnce()
	}
	if userSet() {
		return func() {}
	}
	m := read()
	if m.percent < 0 || m.objects+expect < m.goal {
		return func() {}
	}
	runtime.GC()
	percent = debug.SetGCPercent(-1)
	limit = debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		debug.SetMemoryLimit(addBound(read().objects+slack, bound))
	}
	active = 1
	return leaveOnce()
}

// addBound returns the memory limit base + bound, or none (MaxInt64) if
// that is more than a limit can be.
func addBound(base, bound uint64) int64 {
	if base > math.MaxInt64/2 || bound > math.MaxInt64/2 {
		return math.MaxInt64
	}
	return int64(base + bound)
}

// leaveOnce returns a function that ends one load's share of the pause,
// the first time it is called.
func leaveOnce() func() {
	var once sync.Once
	return func() { once.Do(leave) }
}

func leave() {
	mu.Lock()
	defer mu.Unlock()
	if active--; active == 0 {
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(percent)
	}
}

// heapState is what Pause reads of the collector.
type heapState struct {
	objects uint64 // bytes of the heap's objects, live or not yet swept
	goal    uint64 // the heap's goal: a cycle starts before it is reached
	percent int64  // the GC percent, negative when the collector is off
}

func read() heapState {
	s := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/heap/goal:bytes"},
		{Name: "/gc/gogc:percent"},
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
	return h
}

func envSet(name string) bool {
	_, ok := os.LookupEnv(name)
	return ok
}
