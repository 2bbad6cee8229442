package natives

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// Process is the plugin of Node's globals `global` and `process`.
//
// `process` is a built-in object made at install, an EventEmitter (its
// prototype's prototype is require("events").prototype), with argv, env,
// exit, exitCode, nextTick, platform, arch, version, versions, pid, cwd,
// hrtime, hrtime.bigint, uptime, memoryUsage, stdout.write and
// stderr.write, and permission when the world's grants restrict it. What it reads from the host (argv, env, pid, the working
// directory) is read again by every process that loads an image, since
// the image holds only what the world changed in its built-ins: a value
// the world assigned (process.exitCode, process.env.X, 'exit' listeners)
// is saved, the rest is the loading process's own.
//
// process.nextTick(fn, ...args) queues fn to run, as in Node, once the
// current task's own code has returned and before the promise jobs it
// queued: the plugin puts a job at the front of goja's job queue (through
// vm/heap). Ticks queued from a promise job run once the promise jobs
// queued before them have run. The queue is the plugin's state, saved as
// [[fn, ...args], ...]; a tick still queued at a save (one queued after a
// tick that threw) runs at the first task of the resumed world.
//
// process.exit(code) runs the 'exit' listeners, then stops the world at
// once: it interrupts the running JavaScript, and Finish turns the
// interruption into the exit status.
type Process struct {
	// Script is the path of the main script, process.argv[1]; empty for a
	// world that has none (a REPL).
	Script string
}

// Name implements Plugin.
func (*Process) Name() string { return "process" }

// Version implements Plugin.
func (*Process) Version() int { return 1 }

type processKey struct{}

type tick struct {
	fn   goja.Value
	args []goja.Value
}

type processState struct {
	obj       *goja.Object
	ticks     []tick
	scheduled bool // a drain of the tick queue waits in goja's job queue
	inJobs    bool // the current task's promise jobs have begun
	held      bool // a tick threw in this task: the rest wait for the next task
	exiting   bool
}

// exitInterrupt is the value process.exit interrupts the runtime with.
type exitInterrupt struct{ code int }

var processStart = time.Now()

func processOf(v *vm.VM) *processState {
	st, _ := v.Attachment(processKey{}).(*processState)
	if st == nil {
		panic(fmt.Errorf("natives: the process plugin is not installed"))
	}
	return st
}

// Install implements Plugin: it defines `global` and `process`.
func (p *Process) Install(v *vm.VM) error {
	rt := v.Runtime()
	if err := heap.CheckJobs(); err != nil {
		return err
	}
	g := rt.GlobalObject()
	if err := g.DefineDataProperty("global", g, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE); err != nil {
		return err
	}
	events := BuiltinModule(v, "events")
	if events == nil {
		return fmt.Errorf("the process plugin needs the events module (install Modules first)")
	}
	st := &processState{}
	v.SetAttachment(processKey{}, st)

	// process's prototype is that of a `process` constructor, as in Node.
	protoOfProcess := rt.NewObject()
	if err := protoOfProcess.SetPrototype(events.Get("prototype").ToObject(rt)); err != nil {
		return err
	}
	ctor := v.NewFunction("process", 0, func(goja.FunctionCall) goja.Value {
		panic(rt.NewTypeError("Illegal constructor"))
	})
	_ = ctor.DefineDataProperty("prototype", protoOfProcess, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	defineHidden(protoOfProcess, "constructor", ctor)

	o := rt.NewObject()
	_ = o.SetPrototype(protoOfProcess)
	st.obj = o
	set := func(name string, val any) { _ = o.Set(name, val) }

	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	argv := []any{exe}
	if p.Script != "" {
		script := p.Script
		if abs, err := filepath.Abs(script); err == nil {
			script = abs
		}
		argv = append(argv, script)
	}
	for _, a := range v.Options().Args {
		argv = append(argv, a)
	}
	set("title", "stasis")
	set("version", "v"+NodeVersion)
	versions := rt.NewObject()
	_ = versions.Set("node", NodeVersion)
	_ = versions.Set("stasis", vm.Version)
	_ = versions.Set("goja", heap.GojaVersion())
	set("versions", versions)
	set("arch", nodeArch())
	set("platform", nodePlatform())
	set("argv", rt.NewArray(argv...))
	set("execArgv", rt.NewArray())
	set("argv0", "stasis")
	set("execPath", exe)
	set("pid", os.Getpid())
	set("ppid", os.Getppid())
	env := rt.NewObject()
	vars := os.Environ()
	sort.Strings(vars)
	for _, kv := range vars {
		if k, val, ok := strings.Cut(kv, "="); ok && k != "" {
			_ = env.Set(k, val)
		}
	}
	set("env", env)
	set("exitCode", goja.Undefined())

	v.DefineFunction(o, "cwd", 0, func(goja.FunctionCall) goja.Value {
		wd, err := os.Getwd()
		if err != nil {
			throwf(v, "process.cwd: %v", err)
		}
		return rt.ToValue(wd)
	})
	v.DefineFunction(o, "uptime", 0, func(goja.FunctionCall) goja.Value {
		return rt.ToValue(time.Since(processStart).Seconds())
	})
	hrtime := v.NewFunction("hrtime", 1, func(c goja.FunctionCall) goja.Value {
		ns := time.Since(processStart).Nanoseconds()
		sec, nsec := ns/1e9, ns%1e9
		if prev, ok := c.Argument(0).(*goja.Object); ok {
			sec -= prev.Get("0").ToInteger()
			nsec -= prev.Get("1").ToInteger()
			if nsec < 0 {
				sec--
				nsec += 1e9
			}
		} else if !goja.IsUndefined(c.Argument(0)) {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"time\" argument must be an instance of Array. Received %s", describeArg(c.Argument(0)))
		}
		return rt.NewArray(sec, nsec)
	})
	v.DefineFunction(hrtime, "bigint", 0, func(goja.FunctionCall) goja.Value {
		return rt.ToValue(big.NewInt(time.Since(processStart).Nanoseconds()))
	})
	_ = o.DefineDataProperty("hrtime", hrtime, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	memoryUsage := v.NewFunction("memoryUsage", 0, func(goja.FunctionCall) goja.Value {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		m := rt.NewObject()
		_ = m.Set("rss", ms.Sys)
		_ = m.Set("heapTotal", ms.HeapSys)
		_ = m.Set("heapUsed", ms.HeapAlloc)
		_ = m.Set("external", 0)
		_ = m.Set("arrayBuffers", 0)
		return m
	})
	v.DefineFunction(memoryUsage, "rss", 0, func(goja.FunctionCall) goja.Value {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return rt.ToValue(ms.Sys)
	})
	_ = o.DefineDataProperty("memoryUsage", memoryUsage, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	set("stdout", p.stream(v, "stdout", 1))
	set("stderr", p.stream(v, "stderr", 2))

	v.DefineFunction(o, "nextTick", 1, func(c goja.FunctionCall) goja.Value {
		fn := c.Argument(0)
		if _, ok := goja.AssertFunction(fn); !ok {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"callback\" argument must be of type function. Received %s", describeArg(fn))
		}
		var args []goja.Value
		if len(c.Arguments) > 1 {
			args = append(args, c.Arguments[1:]...)
		}
		st.ticks = append(st.ticks, tick{fn, args})
		p.schedule(v, st)
		return goja.Undefined()
	})
	v.DefineFunction(o, "exit", 1, func(c goja.FunctionCall) goja.Value {
		if a := c.Argument(0); !goja.IsUndefined(a) && !goja.IsNull(a) {
			_ = o.Set("exitCode", validExitCode(v, a))
		}
		code := p.emitExit(v, st)
		v.Loop().Exit(code)
		rt.Interrupt(exitInterrupt{code})
		return goja.Undefined()
	})
	if err := installPermission(v, o); err != nil {
		return err
	}
	if err := RegisterModule(v, "os", makeOS(v)); err != nil {
		return err
	}
	if err := RegisterModule(v, "assert", makeAssert(v)); err != nil {
		return err
	}
	if err := installConsoleExtras(v); err != nil {
		return err
	}
	// Every task begins with a job that marks where its own code ended and
	// its promise jobs begin, and runs any tick left over from before.
	v.OnEntry(func() {
		st.inJobs, st.held = false, false
		heap.AppendJob(rt, func() {
			st.inJobs = true
			if len(st.ticks) > 0 && !st.scheduled && !st.held {
				p.runTicks(v, st)
			}
		})
	})
	return g.DefineDataProperty("process", o, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// NodeVersion is the version of Node whose API Stasis follows, reported by
// process.version and process.versions.node so that libraries that test
// it take their Node paths.
const NodeVersion = "20.0.0"

func nodePlatform() string {
	if runtime.GOOS == "windows" {
		return "win32"
	}
	return runtime.GOOS
}

func nodeArch() string {
	switch runtime.GOARCH {
	case "amd64":
		return "x64"
	case "386":
		return "ia32"
	}
	return runtime.GOARCH
}

// stream makes process.stdout or process.stderr: an object with write.
func (p *Process) stream(v *vm.VM, name string, fd int) *goja.Object {
	rt := v.Runtime()
	s := rt.NewObject()
	_ = s.Set("fd", fd)
	v.DefineFunction(s, "write", 1, func(c goja.FunctionCall) goja.Value {
		w := v.Stdout()
		if fd == 2 {
			w = v.Stderr()
		}
		data := c.Argument(0)
		var err error
		if b, ok := bytesOf(v, data); ok {
			_, err = w.Write(b)
		} else if s, ok := data.Export().(string); ok {
			_, err = fmt.Fprint(w, s)
		} else {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"chunk\" argument must be of type string or an instance of Buffer or Uint8Array. Received %s", describeArg(data))
		}
		if err != nil {
			throwf(v, "process.%s.write: %v", name, err)
		}
		for _, a := range c.Arguments[1:] {
			if _, ok := goja.AssertFunction(a); ok {
				st := processOf(v)
				st.ticks = append(st.ticks, tick{fn: a})
				p.schedule(v, st)
				break
			}
		}
		return rt.ToValue(true)
	})
	return s
}

// schedule makes sure a drain of the tick queue waits in goja's job queue:
// at the front while the current task's own code runs (ticks come before
// its promise jobs), at the end once its promise jobs have begun.
func (p *Process) schedule(v *vm.VM, st *processState) {
	if st.scheduled {
		return
	}
	st.scheduled = true
	rt := v.Runtime()
	if !st.inJobs {
		heap.PrependJob(rt, func() {
			st.inJobs = true
			st.scheduled = false
			p.runTicks(v, st)
		})
		return
	}
	// From a promise job: after the jobs queued so far, and after those
	// queued by the rest of the current batch (one more turn).
	var later func(first bool) func()
	later = func(first bool) func() {
		return func() {
			if first || heap.PendingJobs(rt) > 0 {
				heap.AppendJob(rt, later(false))
				return
			}
			st.scheduled = false
			p.runTicks(v, st)
		}
	}
	heap.AppendJob(rt, later(true))
}

// runTicks runs the queued ticks, and those they queue, in order. A tick
// that throws stops the drain (the rest stay queued for the next task) and
// fails the event loop, as an uncaught exception does in Node.
func (p *Process) runTicks(v *vm.VM, st *processState) {
	if st.held {
		return
	}
	for len(st.ticks) > 0 {
		t := st.ticks[0]
		st.ticks = st.ticks[1:]
		if _, err := v.Call(t.fn, goja.Undefined(), t.args...); err != nil {
			var ie *goja.InterruptedError
			if errors.As(err, &ie) {
				panic(ie)
			}
			st.held = true
			v.Loop().Post(func() error { return err })
			return
		}
	}
}

// emitExit emits 'exit' on process with the exit code (once), and returns
// the code the world ends with: process.exitCode as the listeners left it.
func (p *Process) emitExit(v *vm.VM, st *processState) int {
	if !st.exiting {
		st.exiting = true
		code := exitCodeOf(st.obj)
		if emit, ok := goja.AssertFunction(st.obj.Get("emit")); ok {
			if _, err := emit(st.obj, v.Runtime().ToValue("exit"), v.Runtime().ToValue(code)); err != nil {
				rethrow(v, err)
			}
		}
	}
	return exitCodeOf(st.obj)
}

// validExitCode checks a code given to process.exit as Node does: an
// integer, or a string of one.
func validExitCode(v *vm.VM, a goja.Value) goja.Value {
	switch x := a.Export().(type) {
	case int64:
		return a
	case float64:
		if x == math.Trunc(x) && !math.IsInf(x, 0) {
			return a
		}
		e := newRangeError(v, fmt.Sprintf("The value of \"code\" is out of range. It must be an integer. Received %s", a.String()))
		_ = e.Set("code", "ERR_OUT_OF_RANGE")
		panic(e)
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil && f == math.Trunc(f) && strings.TrimSpace(x) != "" {
			return v.Runtime().ToValue(int64(f))
		}
	}
	throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"code\" argument must be of type number. Received %s", describeArg(a))
	return nil
}

func exitCodeOf(o *goja.Object) int {
	c := o.Get("exitCode")
	if c == nil || goja.IsUndefined(c) || goja.IsNull(c) {
		return 0
	}
	f := c.ToFloat()
	if math.IsNaN(f) {
		return 0
	}
	return int(int64(f) & 0xff)
}

// Finish ends a world as Node ends a process. err is what stopped the
// world (nil when its event loop went idle or it called stasis.exit); the
// result is the exit status, and the error to report (nil for none).
// Unless process.exit already did, the 'exit' listeners run, with the
// status so far (1 after an error); they may change process.exitCode.
// A world without the process plugin exits with stasis.exit's code, or 0.
func Finish(v *vm.VM, err error) (status int, report error) {
	if code, ok := ExitRequested(err); ok {
		return code, nil
	}
	st, _ := v.Attachment(processKey{}).(*processState)
	code, exited := v.ExitCode()
	if st == nil {
		if err != nil {
			return 1, err
		}
		return code, nil
	}
	if err != nil {
		_ = st.obj.Set("exitCode", 1)
	} else if exited {
		_ = st.obj.Set("exitCode", code)
	}
	var lerr error
	if !st.exiting {
		lerr = v.Try("process 'exit' listener", func() error {
			(&Process{}).emitExit(v, st)
			return nil
		})
		if code, ok := ExitRequested(lerr); ok {
			return code, err
		}
	}
	status = exitCodeOf(st.obj)
	if err != nil {
		return max(status, 1), err
	}
	if lerr != nil {
		return max(status, 1), lerr
	}
	return status, nil
}

// Record implements Plugin; the plugin marks no objects.
func (p *Process) Record(v *vm.VM, o *goja.Object) (goja.Value, error) {
	return nil, fmt.Errorf("process: marks no objects")
}

// Rebind implements Plugin; the plugin marks no objects.
func (p *Process) Rebind(v *vm.VM, o *goja.Object, record goja.Value) error {
	return fmt.Errorf("process: marks no objects")
}

// SaveState implements Plugin: the queued ticks, as [[fn, ...args], ...].
func (p *Process) SaveState(v *vm.VM) (goja.Value, error) {
	st := processOf(v)
	if len(st.ticks) == 0 {
		return nil, nil
	}
	rt := v.Runtime()
	list := make([]any, len(st.ticks))
	for i, t := range st.ticks {
		entry := []any{t.fn}
		for _, a := range t.args {
			entry = append(entry, a)
		}
		list[i] = rt.NewArray(entry...)
	}
	return rt.NewArray(list...), nil
}

// RestoreState implements Plugin: the saved ticks are queued again, and run
// at the resumed world's first task (a task is posted for them).
func (p *Process) RestoreState(v *vm.VM, state goja.Value) error {
	st := processOf(v)
	list, ok := state.(*goja.Object)
	if !ok {
		return nil
	}
	n := list.Get("length").ToInteger()
	for i := int64(0); i < n; i++ {
		entry, ok := list.Get(fmt.Sprint(i)).(*goja.Object)
		if !ok {
			return fmt.Errorf("tick %d: record is not an array", i)
		}
		fn := entry.Get("0")
		if _, ok := goja.AssertFunction(fn); !ok {
			return fmt.Errorf("tick %d: its callback is not a function", i)
		}
		t := tick{fn: fn}
		m := entry.Get("length").ToInteger()
		for j := int64(1); j < m; j++ {
			t.args = append(t.args, entry.Get(fmt.Sprint(j)))
		}
		st.ticks = append(st.ticks, t)
	}
	if len(st.ticks) > 0 {
		v.Loop().Post(v.RunMicrotasks)
	}
	return nil
}

// ExitRequested reports whether err is the interruption of a call to
// process.exit, and with which code.
func ExitRequested(err error) (code int, ok bool) {
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		if x, isExit := ie.Value().(exitInterrupt); isExit {
			return x.code, true
		}
	}
	return 0, false
}
