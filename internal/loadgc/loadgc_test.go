package loadgc

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

func sample(t *testing.T, name string) uint64 {
	t.Helper()
	s := []metrics.Sample{{Name: name}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Fatalf("metric %s is not available", name)
	}
	return s[0].Value.Uint64()
}

// settings returns the collector's GC percent and memory limit, unchanged.
func settings(t *testing.T) (int64, int64) {
	return int64(sample(t, "/gc/gogc:percent")), debug.SetMemoryLimit(-1)
}

// setUp sets the collector's GC percent, memory limit and whether the
// environment decides them, for one test; restored after.
func setUp(t *testing.T, gcPercent int, memLimit int64, env bool) {
	t.Helper()
	p, l, u := debug.SetGCPercent(gcPercent), debug.SetMemoryLimit(memLimit), userSet
	userSet = func() bool { return env }
	t.Cleanup(func() { debug.SetGCPercent(p); debug.SetMemoryLimit(l); userSet = u })
}

func TestPause(t *testing.T) {
	const big = 1 << 30
	cases := []struct {
		name     string
		percent  int
		limit    int64
		env      bool
		expect   uint64
		paused   bool
		newLimit bool // a limit is set for the pause (none was)
	}{
		{"a large load", 137, math.MaxInt64, false, MinBytes, true, true},
		{"a large load under the program's memory limit", 100, 3 << 30, false, big, true, false},
		{"a small load", 100, math.MaxInt64, false, MinBytes - 1, false, false},
		{"a load that would not reach the heap's goal", 1000000, math.MaxInt64, false, MinBytes, false, false},
		{"the collector off already", -1, math.MaxInt64, false, big, false, false},
		{"$GOGC or $GOMEMLIMIT set", 100, math.MaxInt64, true, big, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			setUp(t, c.percent, c.limit, c.env)
			forced := sample(t, "/gc/cycles/forced:gc-cycles")
			resume := Pause(c.expect, 2*c.expect)
			p, l := settings(t)
			collected := sample(t, "/gc/cycles/forced:gc-cycles") > forced
			if c.paused {
				if p != -1 || !collected {
					t.Errorf("during the load: GC percent %d, collected first %v; want -1, true", p, collected)
				}
				if c.newLimit != (l != c.limit) || c.newLimit && uint64(l) < 2*c.expect {
					t.Errorf("during the load: memory limit %d (was %d)", l, c.limit)
				}
			} else if p != int64(c.percent) || l != c.limit || collected {
				t.Errorf("during the load: GC percent %d, memory limit %d, collected %v; want them untouched (%d, %d)", p, l, collected, c.percent, c.limit)
			}
			resume()
			resume() // a second call does nothing
			if p, l := settings(t); p != int64(c.percent) || l != c.limit {
				t.Errorf("after the load: GC percent %d, memory limit %d; want %d, %d", p, l, c.percent, c.limit)
			}
		})
	}
}

// TestPauseShared: loads at the same time share one pause, which the last
// one to finish ends, whatever the order.
func TestPauseShared(t *testing.T) {
	for _, firstOut := range []bool{true, false} {
		setUp(t, 150, math.MaxInt64, false)
		a := Pause(MinBytes, MinBytes)
		forced := sample(t, "/gc/cycles/forced:gc-cycles")
		b := Pause(MinBytes, MinBytes)
		if sample(t, "/gc/cycles/forced:gc-cycles") != forced {
			t.Errorf("a load that joined a pause collected again")
		}
		if firstOut {
			a, b = b, a
		}
		a()
		a()
		if p, _ := settings(t); p != -1 {
			t.Errorf("one load of two finished: GC percent %d, want -1", p)
		}
		b()
		if p, l := settings(t); p != 150 || l != math.MaxInt64 {
			t.Errorf("both loads finished: GC percent %d, memory limit %d; want 150, none", p, l)
		}
	}
}

// TestPauseSharedLimit: a load that joins a pause gets room for its own
// world under the pause's memory limit, however small the first load's;
// a memory limit the program set is left as it is.
func TestPauseSharedLimit(t *testing.T) {
	const huge = 1 << 40
	for _, programLimit := range []int64{math.MaxInt64, 3 << 30} {
		setUp(t, 150, programLimit, false)
		a := Pause(MinBytes, MinBytes)
		_, first := settings(t)
		b := Pause(MinBytes, huge)
		_, joined := settings(t)
		if programLimit == math.MaxInt64 && joined < first+huge {
			t.Errorf("a load of %d bytes joined a pause with a memory limit of %d: the limit is %d, want at least %d", uint64(huge), first, joined, first+huge)
		}
		if programLimit != math.MaxInt64 && joined != programLimit {
			t.Errorf("the program's memory limit %d became %d when a load joined a pause", programLimit, joined)
		}
		a()
		b()
		if p, l := settings(t); p != 150 || l != programLimit {
			t.Errorf("both loads finished: GC percent %d, memory limit %d; want 150, %d", p, l, programLimit)
		}
	}
}
