package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stasisvm/stasis/image/store/storetest"
)

// killJob is a job of 60 steps, each after a timer (so it takes at least
// 900 ms of timers, whatever the machine's speed). Every incarnation is
// named by its first argument: it notes its fresh starts in starts.log and
// each step it takes in effects.log, so the test can see who ran what.
const killJob = `const fs = require("fs");
fs.appendFileSync("starts.log", stasis.args[0] + "\n");
let step = 0, acc = 7;
async function main() {
  while (step < 60) {
    await new Promise((r) => setTimeout(r, 15));
    step++;
    acc = (acc * 31 + step * step) % 1000003;
    fs.appendFileSync("effects.log", stasis.args[0] + " " + step + "\n");
  }
  fs.appendFileSync("effects.log", stasis.args[0] + " done\n");
  console.log("result", acc, step);
}
main();
`

// TestKillDurableRun kills durable runs with SIGKILL at random moments, two
// processes started at once on the same world each time, and checks that
// the job ends with the result of an uninterrupted run, that a world once
// checkpointed never starts over, that every step ran at least once and in
// order, and that two processes never ran the world at once.
func TestKillDurableRun(t *testing.T) {
	bin := stasisBinary(t)
	stores := append(durableStores[:len(durableStores):len(durableStores)], struct {
		name string
		loc  func(t *testing.T) func(world string) string
	}{"postgres", func(t *testing.T) func(string) string {
		url := storetest.Postgres(t)
		return func(w string) string { return url + "#" + w }
	}})
	ref := t.TempDir()
	writeTree(t, ref, map[string]string{"job.js": killJob})
	want := runBinary(t, ref, "run", "job.js", "--", "ref")
	if !strings.HasPrefix(want, "result ") || !strings.HasSuffix(want, " 60\n") {
		t.Fatalf("uninterrupted run printed %q", want)
	}
	for _, k := range stores {
		t.Run(k.name, func(t *testing.T) {
			seed := uint64(time.Now().UnixNano())
			t.Logf("seed %d", seed)
			rng := rand.New(rand.NewPCG(seed, 15))
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{"job.js": killJob})
			loc := k.loc(t)("job")
			freshAllowed := 0 // rounds that began with no world in the location
			done := false
			// late names the finishing round's other process: it may
			// begin after the job completed and its world was removed,
			// and then rightly start the job afresh.
			late := ""
			// finStatus is the finishing process's exit status: -1 when
			// the round's kill came after it printed its result but
			// before it exited (its run may not have removed the world).
			finStatus := 0
			kills := 0
			for round := 0; round < 20 && !done; round++ {
				if !holds(t, loc) {
					freshAllowed++
				}
				var procs [2]*exec.Cmd
				var outs, errs [2]bytes.Buffer
				for i := range procs {
					procs[i] = exec.Command(bin, "run", "--checkpoint", loc, "--every", "10ms", "job.js", "--", fmt.Sprintf("r%d%c", round, 'a'+i))
					procs[i].Dir = dir
					procs[i].Stdout, procs[i].Stderr = &outs[i], &errs[i]
				}
				for _, p := range procs {
					if err := p.Start(); err != nil {
						t.Fatal(err)
					}
				}
				// At most 600 ms: the job needs 900 ms of timers, so at
				// least two rounds end in a kill, early (starting, loading,
				// taking the lease) or late (between and during steps).
				time.Sleep(time.Duration(rng.IntN(600)) * time.Millisecond)
				var status [2]int
				for i, p := range procs {
					p.Process.Kill()
					p.Wait()
					status[i] = p.ProcessState.ExitCode() // -1 when killed
					if status[i] == -1 {
						kills++
					}
				}
				for i := range procs {
					other := procs[1-i].Process.Pid
					switch {
					case strings.Contains(outs[i].String(), "result"):
						done = true
						finStatus = status[i]
						late = fmt.Sprintf("r%d%c", round, 'a'+(1-i))
						if status[i] != 0 && status[i] != -1 {
							t.Fatalf("round %d: process %d printed the result and exited %d: %q", round, i, status[i], errs[i].String())
						}
						if outs[i].String() != want {
							t.Fatalf("round %d: the job printed %q, an uninterrupted run %q", round, outs[i].String(), want)
						}
					case status[i] == 1:
						// The loser names the holder: the other process.
						held := regexp.MustCompile(`is held by pid (\d+) on host `).FindStringSubmatch(errs[i].String())
						if held == nil || held[1] != strconv.Itoa(other) {
							t.Fatalf("round %d: process %d exited 1 without naming its rival %d: %q", round, i, other, errs[i].String())
						}
					case status[i] != -1:
						t.Fatalf("round %d: process %d exited %d: %q", round, i, status[i], errs[i].String())
					}
				}
			}
			if !done {
				// The last run goes uninterrupted.
				if got := runBinary(t, dir, "run", "--checkpoint", loc, "job.js", "--", "last"); got != want {
					t.Fatalf("the job printed %q, an uninterrupted run %q", got, want)
				}
			}
			if last := lastStart(t, dir); holds(t, loc) && last != late {
				if finStatus == 0 {
					st, _ := os.ReadFile(filepath.Join(dir, "starts.log"))
					ef, _ := os.ReadFile(filepath.Join(dir, "effects.log"))
					t.Fatalf("the completed job's world is still in the location (last fresh start %q, the finishing round's other process %q)\nstarts.log:\n%s\neffects.log ends:\n%s", last, late, st, lastLines(string(ef), 8))
				}
				// The finishing process was killed after it printed its
				// result but before its run removed the world: the job
				// had not completed, and the world stays.
				t.Log("the finishing process was killed before it removed the world")
				resumeLeftover(t, bin, dir, loc, want)
			}
			if kills < 2 {
				t.Fatalf("only %d processes were killed", kills)
			}
			t.Logf("%d processes killed", kills)
			checkEffects(t, dir, freshAllowed, late)
		})
	}
}

// checkEffects reads what the incarnations of the job noted up to the job's
// end. A run's steps follow each other; each run takes over where an
// earlier one got to or before (work after the last checkpoint runs again),
// never after (nothing is skipped); once another run has taken a step, an
// earlier run never takes one again (never two at once); and fresh starts
// happen only in rounds that began without a world (a fresh start by late,
// the finishing round's other process, after the job completed is not
// counted).
func checkEffects(t *testing.T, dir string, freshAllowed int, late string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "effects.log"))
	if err != nil {
		t.Fatal(err)
	}
	finished := map[string]bool{}
	var cur string
	last := 0
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for n, line := range lines {
		run, what, _ := strings.Cut(line, " ")
		if what == "done" {
			if run != cur || last != 60 {
				t.Fatalf("effects line %d: %q ends the job at step %d of run %s", n+1, line, last, cur)
			}
			lines = lines[:n+1]
			break
		}
		step, err := strconv.Atoi(what)
		if err != nil {
			t.Fatalf("effects line %d: %q", n+1, line)
		}
		if run != cur {
			if finished[run] {
				t.Fatalf("effects line %d: run %s took a step after run %s had taken over: two processes ran the world at once\n%s", n+1, run, cur, b)
			}
			finished[cur] = true
			if step > last+1 {
				t.Fatalf("effects line %d: run %s began at step %d, after step %d: a step was skipped", n+1, run, step, last)
			}
			cur = run
		} else if step != last+1 {
			t.Fatalf("effects line %d: run %s went from step %d to %d", n+1, run, last, step)
		}
		last = step
	}
	if !strings.HasSuffix(lines[len(lines)-1], " done") {
		t.Fatalf("the job never finished:\n%s", b)
	}
	s, err := os.ReadFile(filepath.Join(dir, "starts.log"))
	if err != nil {
		t.Fatal(err)
	}
	// Only starts up to the finishing run count (a process that lost the
	// race may start afresh after the job completed and its world was gone).
	starts := 0
	fields := strings.Fields(string(s))
	if n := len(fields); n > 0 && late != "" && fields[n-1] == late {
		fields = fields[:n-1]
	}
	for _, r := range fields {
		starts++
		if r == cur {
			break
		}
	}
	if starts > freshAllowed {
		t.Fatalf("the job started afresh %d times, but only %d rounds began without a world (starts %q)", starts, freshAllowed, s)
	}
	t.Logf("%d runs took steps, %d fresh starts", len(finished)+1, starts)
}

// lastStart returns the name of the last incarnation of the job that
// started afresh in dir ("" if none did).
func lastStart(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "starts.log"))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// resumeLeftover runs the job once more, uninterrupted, on the world a
// finishing process left in loc when it was killed after printing its
// result: the removal of the world is the run's last act, so until it is
// done the job has not completed. The run must resume that world (not
// start afresh), print the result again if its last checkpoint came before
// the last step (work after it runs again) or nothing if it came after
// (nothing is left to run), and remove the world.
func resumeLeftover(t *testing.T, bin, dir, loc, want string) {
	t.Helper()
	p := exec.Command(bin, "run", "--checkpoint", loc, "job.js", "--", "leftover")
	p.Dir = dir
	var out, errOut bytes.Buffer
	p.Stdout, p.Stderr = &out, &errOut
	if err := p.Run(); err != nil {
		t.Fatalf("resuming the world left in the location: %v: %q", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "run: resuming the world in ") {
		t.Fatalf("the world left in the location was not resumed: stdout %q, stderr %q", out.String(), errOut.String())
	}
	if got := out.String(); got != want && got != "" {
		t.Fatalf("resuming the world left in the location printed %q, an uninterrupted run %q", got, want)
	}
	if holds(t, loc) {
		t.Fatal("the resumed job completed but its world is still in the location")
	}
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}
