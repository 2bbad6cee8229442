// Package vm is the Stasis virtual machine: a goja runtime with a script
// registry, the console, the value printer and the global `stasis` object.
// Embedders usually start from package stasis, whose World.VM returns the VM.
//
// What lives here:
//   - VM, made with New from Options (output streams, arguments, Setup
//     functions where native plugins install themselves, grants, the call
//     depth limit).
//   - Registry and Script: every script the VM compiled, with its source.
//   - Loop: the event loop (timers, immediates, tasks posted from other
//     goroutines, safe points where saves happen, checkpoints), on a Clock:
//     RealClock, or ManualClock and VirtualClock for runs that must not wait.
//   - Permissions: the grants a world runs under, as in Node's permission
//     model.
//   - Inspect and FormatArgs: the value printer console.log and the REPL use.
//   - SyntaxError, StackOverflowError, UnhandledRejection: errors with what a
//     person needs to see.
//
// A VM is made with New. Every script it runs is compiled with goja.Compile
// and kept, with its source, in the VM's Registry (Scripts), so that the
// image package can later name the program that any function runs.
// Every call from Go into JavaScript (RunScript, Call, hooks) recovers Go
// panics raised inside goja and returns them as errors: a user's world must
// never take the process down.
//
// The vm package knows nothing of images or plugins' formats; the image
// package walks a VM through its exported accessors (Runtime, Scripts, Hooks).
// A REPL or a debugger asks what goja keeps hidden through globals.go:
// GlobalNames and Lexicals (top-level let, const and class included) and
// KindOf (what an object is, as the printer shows it); it never imports
// vm/heap.
package vm

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm/heap"
)

// Version is the Stasis version, reported by `stasis.version` and stored in images.
const Version = "0.1.0"

// Options configure a new VM. The zero value is usable.
type Options struct {
	// Stdout receives console.log and console.info output. Nil means os.Stdout.
	Stdout io.Writer
	// Stderr receives console.warn and console.error output. Nil means os.Stderr.
	Stderr io.Writer
	// Args is exposed to JavaScript as stasis.args and passed to the main function.
	Args []string
	// Setup functions run in order at the end of New, after the built-in globals
	// (console, stasis) are installed and before any user script. Native plugins
	// install their globals here. An error from one makes New fail.
	Setup []func(*VM) error
	// Permissions are the grants the world runs under (files it may read
	// and write). Nil allows everything, as Node does without --permission.
	// They are never taken from an image.
	Permissions *Permissions
	// MaxCallStackSize limits the depth of nested JavaScript calls; a
	// deeper call fails with "RangeError: Maximum call stack size
	// exceeded". Zero means DefaultMaxCallStackSize; negative means none.
	MaxCallStackSize int
}

// VM is one JavaScript world. It is not safe for concurrent use: like the
// goja runtime it wraps, it belongs to one goroutine at a time.
type VM struct {
	rt      *goja.Runtime
	opts    Options
	scripts *Registry
	hooks   Hooks
	stasis  *goja.Object
	attach  map[any]any
	views   *views // natives' views for Inspect, by prototype
	// props reads properties through the runtime's own built-ins, taken
	// before any code of the world runs (see OwnProperty).
	props propReader
	// rejected holds the promises rejected without a handler since the
	// last CheckRejections.
	rejected []*goja.Promise
	// depth counts the calls from Go into JavaScript in progress (RunProgram, Call).
	depth   int
	onEntry []func()
}

// Hooks are the functions a world registered through the `stasis` object.
// They are roots of an image.
type Hooks struct {
	OnSave   []goja.Value // functions given to stasis.onSave, in order
	OnResume []goja.Value // functions given to stasis.onResume, in order
	Main     goja.Value   // function given to stasis.setMain, or nil
}

// New makes a VM with console and stasis globals installed, then runs opts.Setup.
func New(opts Options) (*VM, error) {
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	v := &VM{
		rt:      goja.New(),
		opts:    opts,
		scripts: newRegistry(),
		attach:  map[any]any{},
	}
	v.rt.SetMaxCallStackSize(stackLimit(opts.MaxCallStackSize))
	v.props = newPropReader(v.rt)
	v.trackRejections()
	if err := v.guardPrototypeCycles(); err != nil {
		return nil, err
	}
	if err := v.installConsole(); err != nil {
		return nil, err
	}
	if err := v.installStasis(); err != nil {
		return nil, err
	}
	for _, setup := range opts.Setup {
		if err := setup(v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// Runtime returns the goja runtime. Use it only from the VM's goroutine.
func (v *VM) Runtime() *goja.Runtime { return v.rt }

// Scripts returns the registry of every script this VM compiled.
func (v *VM) Scripts() *Registry { return v.scripts }

// Options returns the options the VM was made with (defaults filled in).
func (v *VM) Options() Options { return v.opts }

// Stdout is where console.log writes.
func (v *VM) Stdout() io.Writer { return v.opts.Stdout }

// Stderr is where console.error writes.
func (v *VM) Stderr() io.Writer { return v.opts.Stderr }

// Hooks returns the hooks registered so far.
func (v *VM) Hooks() Hooks { return v.hooks }

// SetHooks replaces the registered hooks; the image package uses it on load.
func (v *VM) SetHooks(h Hooks) { v.hooks = h }

// Attachment returns the value stored under key by SetAttachment, or nil.
// Other packages (image, natives) keep their per-VM state here.
func (v *VM) Attachment(key any) any { return v.attach[key] }

// SetAttachment stores per-VM state for another package under key.
func (v *VM) SetAttachment(key, value any) { v.attach[key] = value }

// RunScript compiles src as a classic script named name, records it in the
// registry, and runs it. A JavaScript exception is returned as a *goja.Exception
// wrapped with the script's name.
func (v *VM) RunScript(name, src string) (goja.Value, error) {
	s, err := v.scripts.Add(name, src)
	if err != nil {
		return nil, err
	}
	return v.RunProgram(s.Program)
}

// RunProgram runs an already registered program, recovering goja panics.
func (v *VM) RunProgram(p *goja.Program) (result goja.Value, err error) {
	defer v.enter()()
	defer recoverInto(&err, "run")
	result, err = v.rt.RunProgram(p)
	return result, plainError(err)
}

// OnEntry registers fn to run before every outermost call from Go into
// JavaScript (RunScript, RunProgram, Call made while no JavaScript runs):
// the start of a task, whose promise jobs goja runs when the call returns.
// The process plugin marks there where a task's jobs begin (nextTick).
func (v *VM) OnEntry(fn func()) { v.onEntry = append(v.onEntry, fn) }

// enter counts a call from Go into JavaScript and returns its end.
func (v *VM) enter() func() {
	if v.depth == 0 {
		for _, f := range v.onEntry {
			f()
		}
	}
	v.depth++
	return func() { v.depth-- }
}

// Call calls fn with this and args, recovering goja panics. fn must be callable.
//
// An outermost call (no JavaScript running) behaves as a script does: the
// promise jobs it queued run when it returns, in order, and a function a
// job calls from Go does not run the jobs queued after it first (see
// heap.PushFrame).
func (v *VM) Call(fn goja.Value, this goja.Value, args ...goja.Value) (result goja.Value, err error) {
	outermost := v.depth == 0
	defer v.enter()()
	call, ok := goja.AssertFunction(fn)
	if !ok {
		return nil, fmt.Errorf("call: %s is not a function", fn)
	}
	if this == nil {
		this = goja.Undefined()
	}
	if !outermost {
		defer recoverInto(&err, "call")
		result, err = call(this, args...)
		return result, plainError(err)
	}
	if err := heap.PushFrame(v.rt); err != nil {
		return nil, err
	}
	func() {
		defer heap.PopFrame(v.rt)
		defer recoverInto(&err, "call")
		result, err = call(this, args...)
	}()
	var ie *goja.InterruptedError
	var so *goja.StackOverflowError
	if errors.As(err, &ie) || errors.As(err, &so) {
		// What goja does when an uncatchable error unwinds the outermost call.
		heap.DropJobs(v.rt)
		v.rt.ClearInterrupt()
		return nil, plainError(err)
	}
	if _, jerr := v.runJobs(); jerr != nil && err == nil {
		return nil, jerr
	}
	return result, plainError(err)
}

// runJobs runs the job queue, as goja does when a script returns.
func (v *VM) runJobs() (result goja.Value, err error) {
	defer recoverInto(&err, "run")
	result, err = v.rt.RunProgram(emptyProgram())
	return result, plainError(err)
}

var emptyProgram = sync.OnceValue(func() *goja.Program { return goja.MustCompile("<microtasks>", "", false) })

// RunMicrotasks runs the promise reactions and queueMicrotask callbacks that
// were queued from Go, outside any JavaScript call (goja runs them when the
// outermost call returns), then checks for unhandled rejections.
func (v *VM) RunMicrotasks() error {
	if _, err := v.RunProgram(emptyProgram()); err != nil {
		return err
	}
	return v.CheckRejections()
}

// Try runs f, turning a Go panic inside goja into an error.
func (v *VM) Try(what string, f func() error) (err error) {
	defer recoverInto(&err, what)
	return plainError(f())
}

func recoverInto(err *error, what string) {
	if r := recover(); r != nil {
		if ex, ok := r.(*goja.Exception); ok {
			*err = ex
			return
		}
		if ie, ok := r.(*goja.InterruptedError); ok {
			*err = ie
			return
		}
		*err = fmt.Errorf("%s: internal error in the JavaScript engine: %v", what, r)
	}
}
