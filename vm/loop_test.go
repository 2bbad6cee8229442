package vm

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dop251/goja"
)

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// loopVM makes a VM whose loop runs on an auto-advancing manual clock, with
// a test-only global `after(ms, fn)` and a `log` array.
func loopVM(t *testing.T) (*VM, *ManualClock) {
	t.Helper()
	v, err := New(Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Setup: []func(*VM) error{SetupLoop}})
	if err != nil {
		t.Fatal(err)
	}
	clk := NewManualClock(epoch, true)
	v.Loop().SetClock(clk)
	rt := v.Runtime()
	_ = rt.Set("after", func(c goja.FunctionCall) goja.Value {
		ms := c.Argument(0).ToInteger()
		fn := c.Argument(1)
		id := v.Loop().AddTimer(time.Duration(ms)*time.Millisecond, func() error {
			_, err := v.Call(fn, nil)
			return err
		})
		return rt.ToValue(int64(id))
	})
	_ = rt.Set("immediate", func(c goja.FunctionCall) goja.Value {
		fn := c.Argument(0)
		return rt.ToValue(int64(v.Loop().AddImmediate(func() error {
			_, err := v.Call(fn, nil)
			return err
		})))
	})
	_ = rt.Set("cancel", func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(v.Loop().CancelTimer(TimerID(c.Argument(0).ToInteger())))
	})
	if _, err := v.RunScript("log.js", "var log = []"); err != nil {
		t.Fatal(err)
	}
	return v, clk
}

func logOf(t *testing.T, v *VM) string {
	t.Helper()
	r, err := v.RunScript("<probe>", "log.join(' ')")
	if err != nil {
		t.Fatal(err)
	}
	return r.String()
}

func run(t *testing.T, v *VM, src string) {
	t.Helper()
	if _, err := v.RunScript("test.js", src); err != nil {
		t.Fatal(err)
	}
	if err := v.Loop().Run(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestTimersOrder(t *testing.T) {
	v, clk := loopVM(t)
	run(t, v, `
		after(30, () => log.push("c30"));
		after(10, () => log.push("a10"));
		after(10, () => log.push("b10"));
		after(0, () => { log.push("z0"); after(0, () => log.push("nested0")) });
		var x = after(20, () => log.push("never"));
		cancel(x);
		immediate(() => log.push("imm"));
		Promise.resolve().then(() => log.push("micro"));
		log.push("sync");
	`)
	if got, want := logOf(t, v), "sync micro z0 imm nested0 a10 b10 c30"; got != want {
		t.Errorf("order: got %q, want %q", got, want)
	}
	if got := clk.Now().Sub(epoch); got != 30*time.Millisecond {
		t.Errorf("clock advanced %v, want 30ms", got)
	}
}

// goja runs the job queue when a call from Go returns: each task's
// microtasks run before the next task.
func TestMicrotasksAfterEachTask(t *testing.T) {
	v, _ := loopVM(t)
	run(t, v, `
		after(5, () => { log.push("t1"); Promise.resolve().then(() => log.push("m1")).then(() => log.push("m1b")) });
		after(5, () => { log.push("t2"); queueMicrotaskLike(() => log.push("m2")) });
		function queueMicrotaskLike(f) { Promise.resolve().then(f) }
	`)
	if got, want := logOf(t, v), "t1 m1 m1b t2 m2"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestManualClockWithoutAuto(t *testing.T) {
	v, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	clk := NewManualClock(epoch, false)
	l := v.Loop()
	l.SetClock(clk)
	var fired []string
	l.AddTimer(50*time.Millisecond, func() error { fired = append(fired, "50"); return nil })
	l.AddTimer(10*time.Millisecond, func() error { fired = append(fired, "10"); return nil })
	if ran, err := l.Step(); ran || err != nil {
		t.Fatalf("step before time: ran=%v err=%v", ran, err)
	}
	clk.Advance(10 * time.Millisecond)
	if ran, _ := l.Step(); !ran || strings.Join(fired, ",") != "10" {
		t.Fatalf("after 10ms: %v", fired)
	}
	p := l.Pending()
	if len(p) != 1 || p[0].Remaining != 40*time.Millisecond {
		t.Fatalf("pending: %+v", p)
	}
	done := make(chan error)
	go func() { done <- l.Run(context.Background()) }()
	time.Sleep(5 * time.Millisecond)
	clk.Advance(time.Second)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if strings.Join(fired, ",") != "10,50" {
		t.Fatalf("fired %v", fired)
	}
}

func TestPostFromGoroutinesAndRef(t *testing.T) {
	v, _ := loopVM(t)
	l := v.Loop()
	l.SetClock(RealClock)
	var wg sync.WaitGroup
	n := 0
	for i := 0; i < 20; i++ {
		l.Ref()
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Millisecond)
			l.Post(func() error { n++; return nil })
			l.Unref()
		}()
	}
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if n != 20 {
		t.Fatalf("ran %d posted tasks, want 20", n)
	}
}

func TestRunContextCancel(t *testing.T) {
	v, _ := loopVM(t)
	l := v.Loop()
	l.Ref() // never released
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := l.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestTaskErrorStopsLoop(t *testing.T) {
	v, _ := loopVM(t)
	if _, err := v.RunScript("boom.js", `
		function explode() { throw new Error("kaboom") }
		after(1, () => explode());
		after(2, () => log.push("after"));
	`); err != nil {
		t.Fatal(err)
	}
	err := v.Loop().Run(context.Background())
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		t.Fatalf("got %v, want a *goja.Exception", err)
	}
	if s := ex.String(); !strings.Contains(s, "kaboom") || !strings.Contains(s, "explode") || !strings.Contains(s, "boom.js") {
		t.Errorf("exception lacks message or stack: %s", s)
	}
	if logOf(t, v) != "" {
		t.Errorf("a task ran after the error")
	}
	// The loop keeps what is pending and can go on.
	if err := v.Loop().Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if logOf(t, v) != "after" {
		t.Errorf("pending timer was lost")
	}
}

func TestPanicInTaskIsError(t *testing.T) {
	v, _ := loopVM(t)
	v.Loop().Post(func() error { panic("host bug") })
	err := v.Loop().Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "host bug") {
		t.Fatalf("got %v", err)
	}
}

func TestUnrefTimerDoesNotKeepAlive(t *testing.T) {
	v, _ := loopVM(t)
	l := v.Loop()
	id := l.AddTimer(time.Hour, func() error { t.Error("unref timer fired"); return nil })
	l.SetTimerRef(id, false)
	ran := false
	l.AddTimer(time.Millisecond, func() error { ran = true; return nil })
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !ran || len(l.Pending()) != 1 {
		t.Fatalf("ran=%v pending=%+v", ran, l.Pending())
	}
}

func TestResetTimer(t *testing.T) {
	v, _ := loopVM(t)
	l := v.Loop()
	var order []string
	a := l.AddTimer(10*time.Millisecond, func() error { order = append(order, "a"); return nil })
	l.AddTimer(10*time.Millisecond, func() error { order = append(order, "b"); return nil })
	l.ResetTimer(a, 10*time.Millisecond)
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if strings.Join(order, "") != "ba" {
		t.Fatalf("order %v", order)
	}
}

func TestSafePointAndSaveImage(t *testing.T) {
	v, _ := loopVM(t)
	var saved []string
	v.SetSaveImage(func(path string) error {
		saved = append(saved, path+" after "+logOf(t, v))
		if p, _ := v.SavingPromise(); p == nil {
			t.Error("no saving promise during the save")
		}
		if path == "bad.img" {
			return errors.New("disk full")
		}
		return nil
	})
	run(t, v, `
		after(1, () => {
			log.push("t1");
			stasis.saveImage("a.img").then(r => log.push("saved:" + r.resumed + ":" + r.path));
			Promise.resolve().then(() => log.push("m1"));
		});
		after(1, () => log.push("t2"));
		after(2, () => stasis.saveImage("bad.img").catch(e => log.push("err:" + e.message)));
	`)
	if got, want := strings.Join(saved, "|"), "a.img after t1 m1|bad.img after t1 m1 saved:false:a.img t2"; got != want {
		t.Errorf("saves: got %q, want %q", got, want)
	}
	if got, want := logOf(t, v), "t1 m1 saved:false:a.img t2 err:stasis.saveImage: disk full"; got != want {
		t.Errorf("log: got %q, want %q", got, want)
	}
	if p, _ := v.SavingPromise(); p != nil {
		t.Error("saving promise outlives the save")
	}
}

func TestSaveImageWithoutWriter(t *testing.T) {
	v, _ := loopVM(t)
	run(t, v, `stasis.saveImage("x.img").catch(e => log.push(e.message))`)
	if got := logOf(t, v); !strings.Contains(got, "cannot save images") {
		t.Fatalf("got %q", got)
	}
}

func TestExit(t *testing.T) {
	v, _ := loopVM(t)
	run(t, v, `
		after(1, () => { log.push("t1"); stasis.exit(3); Promise.resolve().then(() => log.push("m1")) });
		after(1, () => log.push("t2"));
	`)
	if got := logOf(t, v); got != "t1 m1" {
		t.Errorf("log %q", got)
	}
	if code, ok := v.ExitCode(); !ok || code != 3 {
		t.Errorf("exit code %d %v", code, ok)
	}
	if err := v.Loop().Run(context.Background()); err != nil || logOf(t, v) != "t1 m1" {
		t.Errorf("loop ran after exit")
	}
}

func TestRunReentry(t *testing.T) {
	v, _ := loopVM(t)
	l := v.Loop()
	var inner error
	l.Post(func() error { inner = l.Run(context.Background()); return nil })
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(inner, ErrLoopRunning) {
		t.Fatalf("nested Run: %v", inner)
	}
}

// With a VirtualClock timers fire in the order of their due times at once,
// while host work (here a goroutine that posts late) is still waited for:
// the file read finishes before a timer due long after it started.
func TestVirtualClock(t *testing.T) {
	v, err := New(Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := NewVirtualClock(start)
	v.Loop().SetClock(clock)
	var order []string
	l := v.Loop()
	l.AddTimer(5*time.Second, func() error { order = append(order, "5s"); return nil })
	l.AddTimer(time.Hour, func() error { order = append(order, "1h"); return nil })
	l.AddTimer(time.Second, func() error {
		order = append(order, "1s")
		l.Ref()
		go func() {
			time.Sleep(20 * time.Millisecond) // slow host work: the clock must not run ahead of it
			l.Post(func() error { order = append(order, "host work"); return nil })
			l.Unref()
		}()
		return nil
	})
	if err := l.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, " "); got != "1s host work 5s 1h" {
		t.Errorf("order %q", got)
	}
	if got := clock.Now().Sub(start); got != time.Hour {
		t.Errorf("the clock moved %v, want exactly 1h", got)
	}
}
