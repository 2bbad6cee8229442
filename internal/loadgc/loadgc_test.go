package loadgc

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
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
// environment decides them, for one test, and a root with no files, so
// that the memory the process may use is unknown (unlimited); restored
// after.
func setUp(t *testing.T, gcPercent int, memLimit int64, env bool) {
	t.Helper()
	p, l, u, r := debug.SetGCPercent(gcPercent), debug.SetMemoryLimit(memLimit), userSet, root
	userSet = func() bool { return env }
	root = t.TempDir()
	t.Cleanup(func() { debug.SetGCPercent(p); debug.SetMemoryLimit(l); userSet = u; root = r })
}

// hostFiles writes files (paths relative to root) under the test's root,
// standing for /proc and /sys/fs/cgroup.
func hostFiles(t *testing.T, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// machine returns the files of a host with gib GiB of memory whose
// process is in the cgroup v2 group /app, with memory.max groupMax.
func machine(gib uint64, groupMax string) map[string]string {
	return map[string]string{
		"proc/meminfo":                 fmt.Sprintf("MemTotal: %d kB\nMemFree: 1024 kB\n", gib<<20),
		"proc/self/cgroup":             "0::/app\n",
		"proc/self/mountinfo":          "35 24 0:30 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n",
		"sys/fs/cgroup/app/memory.max": groupMax + "\n",
	}
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

// TestPauseCeiling: the pause's memory limit stays under nine tenths of
// what the process may use (its cgroup's limit, the machine's memory) and
// under the program's own limit; a load whose bound does not fit there
// with the heap gets no pause at all.
func TestPauseCeiling(t *testing.T) {
	const gib = 1 << 30
	cases := []struct {
		name         string
		gib          uint64 // the machine's memory
		groupMax     string // the cgroup's memory.max
		programLimit int64
		bound        uint64
		paused       bool
		most         uint64 // the pause's limit is at most this (0: the program's)
	}{
		{"a load that fits the machine", 8, "max", math.MaxInt64, 2 * gib, true, 8 * gib / 10 * 9},
		{"a load that fits the container", 64, "4294967296", math.MaxInt64, 2 * gib, true, 4 * gib / 10 * 9},
		{"a load larger than the container", 64, "268435456", math.MaxInt64, 512 << 20, false, 0},
		{"a load that fits the container but not its tenth's headroom", 64, "1073741824", math.MaxInt64, 1 * gib * 9 / 10, false, 0},
		{"a load larger than the machine", 1, "max", math.MaxInt64, 2 * gib, false, 0},
		{"a load under the program's limit", 64, "max", 3 * gib, 2 * gib, true, 0},
		{"a load larger than the program's limit", 64, "max", 1 * gib, 2 * gib, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			setUp(t, 100, c.programLimit, false)
			hostFiles(t, machine(c.gib, c.groupMax))
			forced := sample(t, "/gc/cycles/forced:gc-cycles")
			resume := Pause(MinBytes, c.bound)
			p, l := settings(t)
			collected := sample(t, "/gc/cycles/forced:gc-cycles") > forced
			switch {
			case !c.paused && (p != 100 || l != c.programLimit || collected):
				t.Errorf("during the load: GC percent %d, memory limit %d, collected %v; want them untouched (100, %d)", p, l, collected, c.programLimit)
			case c.paused && (p != -1 || !collected):
				t.Errorf("during the load: GC percent %d, collected first %v; want -1, true", p, collected)
			case c.paused && c.most == 0 && l != c.programLimit:
				t.Errorf("during the load: memory limit %d, want the program's %d", l, c.programLimit)
			case c.paused && c.most != 0 && (uint64(l) < c.bound || uint64(l) > c.most):
				t.Errorf("during the load: memory limit %d, want between the bound %d and %d", l, c.bound, c.most)
			}
			resume()
			if p, l := settings(t); p != 100 || l != c.programLimit {
				t.Errorf("after the load: GC percent %d, memory limit %d; want 100, %d", p, l, c.programLimit)
			}
		})
	}
}

// TestPauseJoinPastCeiling: a load that would take a shared pause past its
// ceiling ends the pause for all; the resumes of the loads before it then
// change nothing, and the next load may pause again.
func TestPauseJoinPastCeiling(t *testing.T) {
	const gib = 1 << 30
	setUp(t, 150, math.MaxInt64, false)
	hostFiles(t, machine(64, "4294967296"))
	a := Pause(MinBytes, 1*gib)
	if p, _ := settings(t); p != -1 {
		t.Fatalf("a load of 1 GiB in a 4 GiB container: GC percent %d, want -1", p)
	}
	b := Pause(MinBytes, 1*gib)
	_, twoLoads := settings(t)
	if twoLoads < 2*gib {
		t.Errorf("two loads of 1 GiB share a pause with a memory limit of %d", twoLoads)
	}
	c := Pause(MinBytes, 2*gib)
	if p, l := settings(t); p != 150 || l != math.MaxInt64 {
		t.Errorf("a third load of 2 GiB joined a 4 GiB container's pause: GC percent %d, memory limit %d; want 150, none", p, l)
	}
	debug.SetGCPercent(120) // the program's own change, after the pause ended
	a()
	c()
	b()
	if p, l := settings(t); p != 120 || l != math.MaxInt64 {
		t.Errorf("the loads of an ended pause finished: GC percent %d, memory limit %d; want 120, none", p, l)
	}
	d := Pause(MinBytes, 1*gib)
	if p, _ := settings(t); p != -1 {
		t.Errorf("a load after an ended pause: GC percent %d, want -1", p)
	}
	d()
	if p, l := settings(t); p != 120 || l != math.MaxInt64 {
		t.Errorf("after the last load: GC percent %d, memory limit %d; want 120, none", p, l)
	}
}
