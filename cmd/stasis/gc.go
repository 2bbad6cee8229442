package main

import (
	"os"
	"runtime/debug"
)

// A bundle is a short-lived process whose start is mostly the load of one
// image: with Go's default GC percent, the collector runs once or more
// during the load of even a small world (its heap starts at a 4 MB goal),
// while every object the load makes stays live. So while a bundle loads its
// image, the collector is off, and on again, with Go's settings, before the
// world's code runs: measured on the lodash bundle, about 5% of its wall
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
func noGCWhileLoading(size int64) (restore func()) {
	if envSet("GOGC") || envSet("GOMEMLIMIT") {
		return func() {}
	}
	percent := debug.SetGCPercent(-1)
	limit := debug.SetMemoryLimit(max(loadNoGCMinLimit, loadNoGCLimitPerByte*size))
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

func envSet(name string) bool {
	_, ok := os.LookupEnv(name)
	return ok
}
