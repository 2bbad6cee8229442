package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// worldOptions are the options of every world the CLI makes or loads: the
// standard native plugins (timers, fs, require and its built-in modules,
// process), with e.script as process.argv[1].
func worldOptions(e *env) vm.Options {
	plugins := natives.Default()
	for _, p := range plugins {
		if proc, ok := p.(*natives.Process); ok {
			proc.Script = e.script
		}
	}
	return vm.Options{
		Stdout: e.stdout, Stderr: e.stderr, Args: e.args, Permissions: e.perms,
		Setup: []func(*vm.VM) error{clockFromEnv, natives.Setup(plugins...)},
	}
}

// clockEnv names the environment variable that chooses the clock of the
// event loop: unset (or "real") for the wall clock, "virtual" for a clock
// that jumps to the next timer instead of waiting (vm.VirtualClock), so
// that a program's timers run in order at once, on any machine.
const clockEnv = "STASIS_CLOCK"

// clockFromEnv gives v's loop the clock $STASIS_CLOCK asks for.
func clockFromEnv(v *vm.VM) error {
	switch c := os.Getenv(clockEnv); c {
	case "", "real":
	case "virtual":
		v.Loop().SetClock(vm.NewVirtualClock(time.Now()))
	default:
		return fmt.Errorf("%s=%q: the clock is \"real\" or \"virtual\"", clockEnv, c)
	}
	return nil
}

// newWorld makes a fresh world whose stasis.saveImage works.
func newWorld(e *env) (*vm.VM, error) {
	v, err := image.NewWorld(worldOptions(e))
	if err != nil {
		return nil, err
	}
	image.AttachSaver(v)
	return v, nil
}

// worldExit is the error of a command whose world called stasis.exit with
// a non-zero code: run exits with that code and prints nothing.
type worldExit int

func (w worldExit) Error() string { return fmt.Sprintf("the world exited with status %d", int(w)) }

// finish ends a world as Node ends a process: unless err (what running the
// world's code so far returned) stops it, it runs v's event loop until it
// is idle or the world calls stasis.exit or process.exit; then the
// process's 'exit' listeners run. It returns the error to report, or the
// world's exit status as a worldExit (nil for 0).
func finish(v *vm.VM, err error) error {
	if err == nil {
		err = v.CheckRejections()
	}
	if _, exited := v.ExitCode(); err == nil && !exited {
		err = v.Loop().Run(context.Background())
	}
	status, report := natives.Finish(v, err)
	if report != nil {
		return report
	}
	if status != 0 {
		return worldExit(status)
	}
	return nil
}

// runScripts reads each file and runs it as a classic script in v, in order,
// stopping at the first error.
func runScripts(v *vm.VM, paths []string) error {
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return image.FileError(p, err)
		}
		if _, err := v.RunScript(p, string(src)); err != nil {
			if se := vm.AsSyntaxError(p, string(src), err); se != nil {
				return se
			}
			return err
		}
	}
	return nil
}

// resumeImage loads the image at path and runs its resume hooks, and then
// its main function with the words after `--` when withMain is set. An
// error from a hook or main comes with the world (for finish); a world
// that cannot be loaded comes as nil.
func resumeImage(path string, e *env, withMain bool) (*vm.VM, error) {
	v, _, err := image.LoadLocation(context.Background(), path, image.LoadOptions{VM: worldOptions(e), Limits: e.limits, CompileSource: e.compileSource})
	if err != nil {
		return nil, image.FileError(path, err)
	}
	image.AttachSaver(v)
	if withMain {
		err = image.Resume(v, e.args)
	} else {
		err = image.RunResumeHooks(v)
	}
	return v, err
}

// fileError names path once in an error about writing it ("nodir/a.img:
// directory nodir does not exist"); other errors of a save (a value that
// cannot be saved) are left as they are.
func fileError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == path {
		return image.FileError(path, err)
	}
	return err
}

// describe renders err for stderr: one line, except that an uncaught
// JavaScript exception is followed by its JavaScript stack.
func describe(err error) (text string) {
	err = limitHint(err)
	defer func() {
		// Printing a thrown object calls its toString, which may throw too.
		if recover() != nil {
			text = "uncaught exception (its toString threw while printing it)"
		}
	}()
	// A script that does not compile: its name and line, the line, a caret.
	var syntax *vm.SyntaxError
	if errors.As(err, &syntax) {
		return syntax.Pretty(true)
	}
	var ex *goja.Exception
	if !errors.As(err, &ex) {
		return err.Error()
	}
	msg, short := err.Error(), ex.Error()
	full := vm.NodeStack(ex.String())
	if strings.HasSuffix(msg, short) {
		// Keep the context the error was wrapped in ("main: ", "stasis.onResume hook 1: ").
		return msg[:len(msg)-len(short)] + full
	}
	return full
}
