package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// A bundle is a short-lived process whose start is mostly the load of one
// image: with Go's default GC percent, the collector runs once or more
// during the load of even a small world (its heap starts at a 4 MB goal),
// while every object the load makes stays live. So while a bundle loads its
// image, the collector is off, and on again before the world's code runs
// (see noGCWhileLoading for how): measured on the lodash bundle, about 5% of its wall
// time and 9% of its CPU, at the cost of its heap growing into fresh memory
// during the load. A load's heap is its world (what it allocates besides,
// the payload and its decoding's scraps, is small beside it), so the peak
// resident memory barely changes with the collector off, whatever the
// image's size (TypeScript's 4.6 MB image: 107 against 110 MB, 13% less
// CPU; 200,000 and 400,000 records, 4.8 and 9.8 MB: the same peaks, 550 MB
// and 1.08 GB, 7% and 21% less CPU); there is no limit on the image's size.
// As a safety net a soft memory limit of loadNoGCLimitPerByte times the
// image's size (at least loadNoGCMinLimit) turns it back on for a world far
// larger than its image (the records' worlds are 115 times theirs, a
// million empty objects' 57 times). $GOGC or $GOMEMLIMIT, when set, are
// left to decide alone.
const (
	loadNoGCLimitPerByte = 128
	loadNoGCMinLimit     = 256 << 20
)

// noGCWhileLoading turns the collector off for the load of an image of
// size bytes, as explained above, and returns what turns it back on.
//
// Turned back on as it was, the collector would start a cycle at once: its
// goal is still a fresh process's (4 MB), never having marked anything, so
// the first allocation of the world's code would start it marking the whole
// world just loaded (TypeScript's 85 MB: a cycle as long as a third of the
// load, on the other core and in assists, for a bundle that then exits).
// So it comes back with the goal it would have had if the load's end had
// been a collection (the heap then, grown by the GC percent), and Go's own
// percent from the end of its first cycle on.
func noGCWhileLoading(size int64) (restore func()) {
	if envSet("GOGC") || envSet("GOMEMLIMIT") {
		return func() {}
	}
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(max(loadNoGCMinLimit, loadNoGCLimitPerByte*size))
	return func() {
		debug.SetMemoryLimit(limit)
		p := firstGCPercent(percent, heapObjectBytes())
		if p == percent {
			debug.SetGCPercent(percent)
			return
		}
		// The first cycle ends by finding this object unreachable. The
		// percent is set before the sentinel exists, so that a cycle
		// started meanwhile by another goroutine cannot run its cleanup
		// first and leave p in place for good.
		debug.SetGCPercent(p)
		s := &gcSentinel{}
		runtime.AddCleanup(s, func(percent int) { debug.SetGCPercent(percent) }, percent)
	}
}

// atNextCollection calls f (on the runtime's cleanup goroutine) once the
// next garbage collection has ended.
//
// A bundle takes back its heap's advice for huge pages there: a short
// bundle (a tool that loads, runs its main and exits, like the TypeScript
// one) never collects after its load and keeps allocating into huge pages
// to the end (taken back at once after the load, its main's CPU grew by a
// fifth), while a bundle that runs on (a server) collects soon, and from
// then on its heap is as Go's usually is: no faults that stop to compact
// memory, no huge pages rebuilt by the kernel from memory the runtime gave
// back.
func atNextCollection(f func()) {
	s := &gcSentinel{}
	runtime.AddCleanup(s, func(f func()) { f() }, f)
}

// gcSentinel holds a pointer so that it is never one of the tiny
// allocator's blocks, whose cleanups may never run.
type gcSentinel struct{ _ *int }

// minHeapGoal is the goal of a collector that has marked nothing yet, at a
// GC percent of 100 (the runtime's defaultHeapMinimum): the goal scales
// with the percent.
const minHeapGoal = 4 << 20

// firstGCPercent returns the GC percent whose first goal, in a process
// that has not collected yet, is heap grown by percent: what the goal would
// be had a collection just found heap live. It is percent itself for a
// heap too small to matter, or a collector that is off.
func firstGCPercent(percent int, heap uint64) int {
	if percent <= 0 {
		return percent
	}
	goal := heap + heap*uint64(percent)/100
	if goal <= minHeapGoal*uint64(percent)/100 {
		return percent
	}
	return int(min(goal*100/minHeapGoal, math.MaxInt32))
}

// heapObjectBytes returns the bytes of the heap's objects, live or not yet
// swept.
func heapObjectBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

func envSet(name string) bool {
	_, ok := os.LookupEnv(name)
	return ok
}

// A bundle grows its heap ahead, for the load, in memory advised for
// transparent huge pages (internal/heapgrow): the load then faults its
// world in 2 MiB at a time instead of 4 KiB (lodash's bundle: 2,520 ->
// 1,170 page faults and a fifth less CPU; TypeScript's: 20,000 -> 1,450
// and three fifths less). It costs one collection of a heap that holds
// only package initialisation's objects, which an image below
// heapAheadMin does not repay (an almost empty bundle gained nothing). The
// stretch is heapAheadPerByte times the image's size as the bundle holds
// it (its payload uncompressed), within [heapAheadMinBytes,
// heapAheadMaxBytes]: lodash's and TypeScript's worlds are about 8 times
// that, a world of plain records more. Only the pages the load touches
// become resident, so a stretch larger than the world costs address space
// and the runtime's metadata for it (a span pointer per 8 KiB page: at 32
// times, TypeScript's bundle took 170 more page faults than at 12).
const (
	heapAheadMin      = 64 << 10
	heapAheadPerByte  = 12
	heapAheadMinBytes = 32 << 20
	heapAheadMaxBytes = 1 << 30
)

// heapAhead returns how many bytes to grow the heap ahead of the load of
// an image of size bytes (0: not at all). $GOGC or $GOMEMLIMIT, when set,
// leave the heap to Go, as they leave the collector (noGCWhileLoading).
func heapAhead(size int64) int {
	if size < heapAheadMin || envSet("GOGC") || envSet("GOMEMLIMIT") {
		return 0
	}
	return int(min(max(heapAheadPerByte*size, heapAheadMinBytes), heapAheadMaxBytes))
}
