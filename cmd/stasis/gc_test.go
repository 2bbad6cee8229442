package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcSettings reads the GC percent and the memory limit without changing them.
func gcSettings() (percent int, limit int64) {
	percent = debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

func TestNoGCWhileLoading(t *testing.T) {
	tests := []struct {
		name      string
		size      int64
		env       map[string]string // set; the others of GOGC and GOMEMLIMIT are unset
		off       bool
		wantLimit int64
		world     int // bytes the load leaves live
	}{
		{"small image", 300 << 10, nil, true, loadNoGCMinLimit, 0},
		{"limit grows with the image", 3 << 20, nil, true, 3 << 20 * loadNoGCLimitPerByte, 0},
		{"large image", 64 << 20, nil, true, 64 << 20 * loadNoGCLimitPerByte, 0},
		{"a large world loaded", 3 << 20, nil, true, 3 << 20 * loadNoGCLimitPerByte, 64 << 20},
		{"GOGC set", 300 << 10, map[string]string{"GOGC": "100"}, false, 0, 64 << 20},
		{"GOMEMLIMIT set", 300 << 10, map[string]string{"GOMEMLIMIT": "1GiB"}, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
				t.Setenv(name, "") // restored after the test
				if v, ok := tt.env[name]; ok {
					os.Setenv(name, v)
				} else {
					os.Unsetenv(name)
				}
			}
			runtime.GC()
			percent, limit := gcSettings()
			restore := noGCWhileLoading(tt.size)
			gotPercent, gotLimit := gcSettings()
			world := make([]byte, tt.world)
			for i := range world {
				world[i] = 1
			}
			heap := heapObjectBytes()
			restore()
			p, l := gcSettings()
			if l != limit {
				t.Errorf("after restore: limit %d, want %d", l, limit)
			}
			// Until the first collection after the load, the percent
			// that puts its goal at the heap then, grown by percent.
			if want := firstGCPercent(percent, heap); tt.off && tt.world > 0 && (p < percent*10 || p > want) {
				t.Errorf("after restore: percent %d, want more than %d and at most %d", p, percent*10, want)
			} else if !tt.off && p != percent {
				t.Errorf("after restore: percent %d, want %d", p, percent)
			}
			// The cleanup that sets the percent back runs on its own
			// goroutine once a cycle has ended: on a busy machine it may
			// wait its turn, so wait for it (a bound, not a measure).
			for deadline := time.Now().Add(time.Minute); p != percent && time.Now().Before(deadline); {
				runtime.GC()
				time.Sleep(time.Millisecond)
				p, _ = gcSettings()
			}
			if p != percent {
				t.Errorf("after collections: percent %d, want %d", p, percent)
			}
			runtime.KeepAlive(world)
			if tt.off {
				if gotPercent != -1 || gotLimit != tt.wantLimit {
					t.Errorf("while loading: percent %d, limit %d; want -1, %d", gotPercent, gotLimit, tt.wantLimit)
				}
			} else if gotPercent != percent || gotLimit != limit {
				t.Errorf("while loading: percent %d, limit %d; want them unchanged (%d, %d)", gotPercent, gotLimit, percent, limit)
			}
		})
	}
}

func TestFirstGCPercent(t *testing.T) {
	tests := []struct {
		name    string
		percent int
		heap    uint64
		want    int
	}{
		{"no heap", 100, 0, 100},
		{"a heap under the first goal", 100, 1 << 20, 100},
		{"a heap whose doubling is the first goal", 100, 2 << 20, 100},
		{"TypeScript's world", 100, 100 << 20, 5000},
		{"a lower percent", 50, 100 << 20, 3750},
		{"a higher percent", 400, 100 << 20, 12500},
		{"the collector off", -1, 100 << 20, -1},
		{"a heap beyond any percent", 100, 1 << 50, math.MaxInt32},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := firstGCPercent(tt.percent, tt.heap); got != tt.want {
				t.Errorf("firstGCPercent(%d, %d) = %d, want %d", tt.percent, tt.heap, got, tt.want)
			}
		})
	}
}

func TestHeapAhead(t *testing.T) {
	tests := []struct {
		name string
		size int64
		env  string // set to "1"; the others of GOGC and GOMEMLIMIT are unset
		want int
	}{
		{"almost empty image", 8 << 10, "", 0},
		{"just below the threshold", heapAheadMin - 1, "", 0},
		{"at the threshold: the least stretch", heapAheadMin, "", heapAheadMinBytes},
		{"lodash's image", 219 << 10, "", heapAheadMinBytes},
		{"grows with the image", 4 << 20, "", 4 << 20 * heapAheadPerByte},
		{"at most", 128 << 20, "", heapAheadMaxBytes},
		{"GOGC set", 4 << 20, "GOGC", 0},
		{"GOMEMLIMIT set", 4 << 20, "GOMEMLIMIT", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
				t.Setenv(name, "") // restored after the test
				if name == tt.env {
					os.Setenv(name, "100")
				} else {
					os.Unsetenv(name)
				}
			}
			if got := heapAhead(tt.size); got != tt.want {
				t.Errorf("heapAhead(%d) = %d, want %d", tt.size, got, tt.want)
			}
		})
	}
}

// TestAtNextCollection checks that the function runs once a collection
// has ended.
func TestAtNextCollection(t *testing.T) {
	done := make(chan struct{})
	atNextCollection(func() { close(done) })
	runtime.GC()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("not run within a minute of a collection")
	}
}
