package heapgrow

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// childEnv makes the test binary a child that calls Ahead with the number
// of bytes it holds (and settles at once when followed by ",settle"), then
// allocates and reports (TestChild).
const childEnv = "HEAPGROW_TEST_AHEAD"

// TestAhead runs each case in a fresh process (a test's own heap has grown
// already): Ahead, then 8 MiB of new objects, and counts how many of them
// lie in memory the kernel may back with huge pages (THPeligible in
// /proc/self/smaps: where transparent_hugepage/enabled is "madvise", only
// advised memory is), how much of the heap is still in use, and the GC
// percent after.
func TestAhead(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("the child's work is done by TestMain-less helper allocate")
	}
	setting, err := os.ReadFile(thpFile)
	if err != nil || !bytes.Contains(setting, []byte("[madvise]")) || hugePage() == 0 {
		t.Skipf("transparent huge pages are not given on advice here (%s: %q, %v; %s)", thpFile, setting, err, pmdFile)
	}
	tests := []struct {
		name       string
		ahead      int
		settle     bool // the advice taken back before allocating
		wantAdvise bool // most new objects in advised memory
	}{
		{"without", 0, false, false},
		{"too little to advise", hugePage(), false, false},
		{"16 MiB ahead", 16 << 20, false, true},
		{"64 MiB ahead", 64 << 20, false, true},
		{"64 MiB ahead, settled", 64 << 20, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run", "^TestChild$", "-test.count=1")
			arg := strconv.Itoa(tt.ahead)
			if tt.settle {
				arg += ",settle"
			}
			cmd.Env = append(os.Environ(), childEnv+"="+arg, "GOGC=", "GODEBUG=")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			var advised, objects, percent, fields int
			var heapInUse uint64
			if _, err := fmt.Sscanf(lastLine(out), "advised %d of %d, heap in use %d, percent %d, THPeligible fields %d", &advised, &objects, &heapInUse, &percent, &fields); err != nil {
				t.Fatalf("child's report: %v\n%s", err, out)
			}
			if fields == 0 {
				t.Skip("this kernel's /proc/self/smaps has no THPeligible (before Linux 5.x)")
			}
			if tt.wantAdvise && advised < objects/2 {
				t.Errorf("%d of %d new objects in advised memory, want at least half", advised, objects)
			}
			if !tt.wantAdvise && advised != 0 {
				t.Errorf("%d of %d new objects in advised memory, want none", advised, objects)
			}
			if percent != 137 {
				t.Errorf("GC percent %d after Ahead, want 137 as before", percent)
			}
			// The stretch itself is freed: what is in use is the 8 MiB
			// allocated after it and the test binary's own.
			if tt.ahead > 0 && heapInUse > 8<<20+uint64(tt.ahead)/2 {
				t.Errorf("heap in use %d MiB after Ahead(%d MiB) and 8 MiB of objects", heapInUse>>20, tt.ahead>>20)
			}
		})
	}
}

// TestChild is the child process of TestAhead; it does nothing in a
// normal run.
func TestChild(t *testing.T) {
	s := os.Getenv(childEnv)
	if s == "" {
		t.Skip("run by TestAhead in a child process")
	}
	s, settleAtOnce := strings.CutSuffix(s, ",settle")
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	debug.SetGCPercent(137)
	settle := Ahead(n)
	if settleAtOnce {
		settle()
		settle() // a second call does nothing more
	}
	percent := debug.SetGCPercent(-1) // nothing is freed while counting
	const size, count = 64 << 10, 128 // 8 MiB of large objects, each its own span
	objs := make([][]byte, count)
	for i := range objs {
		objs[i] = make([]byte, size)
	}
	regions, fields := advisedRegions(t)
	advised := 0
	for _, o := range objs {
		p := uintptr(unsafe.Pointer(&o[0]))
		for _, r := range regions {
			if r[0] <= p && p+size <= r[1] {
				advised++
				break
			}
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(objs)
	fmt.Printf("advised %d of %d, heap in use %d, percent %d, THPeligible fields %d\n", advised, count, ms.HeapInuse, percent, fields)
}

// advisedRegions lists the mappings of this process that the kernel may
// back with transparent huge pages, and how many mappings smaps says that
// of at all.
func advisedRegions(t *testing.T) (regions [][2]uintptr, fields int) {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][2]uintptr
	var cur [2]uintptr
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if lo, hi, ok := strings.Cut(strings.Fields(line)[0], "-"); ok && !strings.HasSuffix(line, ":") && !strings.Contains(strings.Fields(line)[0], ":") {
			a, err1 := strconv.ParseUint(lo, 16, 64)
			b, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				cur = [2]uintptr{uintptr(a), uintptr(b)}
				continue
			}
		}
		if v, ok := strings.CutPrefix(line, "THPeligible:"); ok {
			fields++
			if strings.TrimSpace(v) == "1" {
				out = append(out, cur)
			}
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return out, fields
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "advised ") {
			return lines[i]
		}
	}
	return ""
}
