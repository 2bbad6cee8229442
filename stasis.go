// Package stasis embeds Stasis in a Go program: a JavaScript world (goja,
// with Node-like globals) that can be saved whole into an image and resumed
// later, in another process, where it left off.
//
// This package is the front door for the common case:
//
//	world, err := stasis.New(stasis.Options{})        // a fresh world
//	_, err = world.RunScript("app.js", src)           // its scripts
//	err = world.RunLoop(ctx)                          // timers and tasks until idle
//	err = world.SaveImage(ctx, "app.img")             // onSave hooks, then an atomic save
//
//	resumed, err := stasis.Load(ctx, "app.img", stasis.Options{})
//	err = resumed.Resume()                            // onResume hooks, then main
//	err = resumed.RunLoop(ctx)                        // its timers fire again
//
// A World is a thin handle over the packages that do the work, and VM gives
// access to them: package vm is the virtual machine (its runtime, script
// registry and event loop, clocks, grants), package image saves and loads
// worlds (to any io.Writer or io.Reader, and inspects images), package
// natives holds the native plugins that keep host state (timers, files,
// modules, your own Go objects) across an image, and package durable runs
// worlds that checkpoint themselves into a store and survive a crash
// (OpenDurable here).
//
// A world belongs to one goroutine at a time, as a goja runtime does: the
// one that runs its scripts and its event loop. Other goroutines hand work
// to it with world.VM().Loop().Post.
//
// An image is a program: Load only rebuilds its heap, but Resume runs its
// hooks and main, and RunLoop its timers, with the grants given in
// Options.Permissions by whoever loads it, never with grants of its own.
package stasis

import (
	"context"
	"io"
	"os"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// Permissions are the grants a world runs under: which files it may read
// and write, as in Node's permission model. See vm.Permissions.
type Permissions = vm.Permissions

// Plugin is a native plugin: it installs globals into a world and keeps the
// Go state behind the objects it owns across an image. See natives.Plugin.
type Plugin = natives.Plugin

// Clock is the time source of a world's event loop. See vm.Clock, and
// vm.NewManualClock and vm.NewVirtualClock for clocks that do not wait.
type Clock = vm.Clock

// Options configure a world. The zero value gives a world with the standard
// globals that writes to os.Stdout and os.Stderr and may do whatever the
// process may do. A world loaded from an image must be given the same
// Plugins as the world that was saved.
type Options struct {
	// Stdout receives console.log and console.info output. Nil means os.Stdout.
	Stdout io.Writer
	// Stderr receives console.warn and console.error output. Nil means os.Stderr.
	Stderr io.Writer
	// Args are the world's arguments: stasis.args, the end of
	// process.argv, and what Resume passes to the main function.
	Args []string
	// Permissions restrict what the world may read and write. Nil allows
	// everything, as Node does without --permission.
	Permissions *Permissions
	// Plugins are native plugins installed after the standard ones (timers,
	// fs, require, process, Buffer: natives.Default). The same values are
	// installed in every world made or loaded with these options, so a
	// plugin keeps its per-world state in the VM (vm.VM.SetAttachment).
	Plugins []Plugin
	// Clock is the event loop's clock. Nil means the wall clock; tests give
	// a vm.ManualClock or a vm.VirtualClock so that timers fire at once.
	Clock Clock
	// MaxCallStackSize limits the depth of nested JavaScript calls. Zero
	// means vm.DefaultMaxCallStackSize; negative means no limit.
	MaxCallStackSize int
}

// vmOptions are the options of the VM behind a world made or loaded with o.
func (o Options) vmOptions() vm.Options {
	setup := []func(*vm.VM) error{}
	if o.Clock != nil {
		clock := o.Clock
		setup = append(setup, func(v *vm.VM) error {
			v.Loop().SetClock(clock)
			return nil
		})
	}
	setup = append(setup, natives.Setup(append(natives.Default(), o.Plugins...)...))
	return vm.Options{
		Stdout:           o.Stdout,
		Stderr:           o.Stderr,
		Args:             o.Args,
		Permissions:      o.Permissions,
		MaxCallStackSize: o.MaxCallStackSize,
		Setup:            setup,
	}
}

// World is a JavaScript world that can be saved and resumed. It is not safe
// for concurrent use.
type World struct {
	vm *vm.VM
}

// New makes a fresh world with the standard globals and opts.Plugins, in
// which stasis.saveImage works.
func New(opts Options) (*World, error) {
	v, err := image.NewWorld(opts.vmOptions())
	if err != nil {
		return nil, err
	}
	image.AttachSaver(v)
	return &World{vm: v}, nil
}

// Load loads the world held by the image at location: a file path, a
// bundle, "sqlite:FILE#NAME" or "postgres://...#NAME". Nothing runs yet:
// call Resume (or ResumeHooks) before anything else. A corrupt, foreign or
// incompatible image, or one that needs a plugin opts lacks, is refused with
// an error and no world.
func Load(ctx context.Context, location string, opts Options) (*World, error) {
	v, _, err := image.LoadLocation(ctx, location, image.LoadOptions{VM: opts.vmOptions()})
	if err != nil {
		return nil, image.FileError(location, err)
	}
	image.AttachSaver(v)
	return &World{vm: v}, nil
}

// VM returns the virtual machine behind the world: its goja runtime, its
// script registry and its event loop. Use it with packages vm, image and
// natives for what this package does not cover.
func (w *World) VM() *vm.VM { return w.vm }

// Runtime returns the world's goja runtime, to exchange values with it.
func (w *World) Runtime() *goja.Runtime { return w.vm.Runtime() }

// RunScript runs src as a classic script named name: its top-level
// declarations are global, visible to later scripts and kept in an image.
// The promise jobs it queued run before it returns; its timers run in
// RunLoop. It returns the script's completion value. A script that does
// not compile gives a *vm.SyntaxError; an uncaught exception a
// *goja.Exception, wrapped.
func (w *World) RunScript(name, src string) (goja.Value, error) {
	res, err := w.vm.RunScript(name, src)
	if err != nil {
		if se := vm.AsSyntaxError(name, src, err); se != nil {
			return nil, se
		}
		return nil, err
	}
	return res, nil
}

// RunFile reads the file at path and runs it as a classic script named path
// (see RunScript); require() in it resolves relative to its directory.
func (w *World) RunFile(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return image.FileError(path, err)
	}
	_, err = w.RunScript(path, string(src))
	return err
}

// RunLoop runs the world's event loop, its timers, immediates and the
// results of host work (a file read), until nothing is left to do, the world
// calls stasis.exit or process.exit, a task fails, or ctx is done. A promise
// rejected with no handler counts as a failure, as in Node. The saves that
// stasis.saveImage asked for happen at the loop's safe points. Pending timers
// stay pending when it returns, and are saved with the world.
//
// Pass its error to Finish to learn the exit status Node would give.
func (w *World) RunLoop(ctx context.Context) error {
	if err := w.vm.CheckRejections(); err != nil {
		return err
	}
	if _, exited := w.vm.ExitCode(); exited {
		return nil
	}
	return w.vm.Loop().Run(ctx)
}

// Finish ends the world as Node ends a process: err is what RunScript or
// RunLoop returned. The process's 'exit' listeners run (unless
// process.exit already ran them) and Finish returns the exit status (the
// code given to process.exit or stasis.exit, process.exitCode, or 1 after
// an error) and the error to report, nil when the world exited on its own.
func (w *World) Finish(err error) (status int, report error) {
	return natives.Finish(w.vm, err)
}

// SaveImage saves the world to location (a file path, "sqlite:FILE#NAME" or
// "postgres://...#NAME"), as stasis.saveImage does from JavaScript: first the
// saves scripts asked for with stasis.saveImage, then the stasis.onSave
// hooks, then the save. A file is written atomically (a temporary file
// beside it, synced, renamed over it). Pending timers, open files and
// modules are saved with the world.
//
// Call it between scripts or tasks, never from inside JavaScript. To save
// without running hooks, or to any io.Writer, use image.SaveLocation or
// image.Save with VM.
func (w *World) SaveImage(ctx context.Context, location string) error {
	if err := w.vm.Loop().SafePoint(); err != nil {
		return err
	}
	return image.CheckpointLocation(ctx, location, w.vm, image.SaveOptions{})
}

// Resume starts a loaded world: native plugins rebind what they saved
// (files are opened again, under the world's grants), the stasis.onResume
// hooks run, and then the main function given to stasis.setMain, with
// Options.Args. Then run the event loop (RunLoop) for the world's timers.
func (w *World) Resume() error {
	return image.Resume(w.vm, w.vm.Options().Args)
}

// ResumeHooks starts a loaded world as Resume does, but without calling its
// main function, as the REPL does and as a build step on top of an image
// does.
func (w *World) ResumeHooks() error {
	return image.RunResumeHooks(w.vm)
}
