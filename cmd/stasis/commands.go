package main

import (
	"context"
	"fmt"
	"time"

	"github.com/alecthomas/kong"
	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/repl"
	"github.com/stasisvm/stasis/vm"
)

// cli is the command line, as kong reads it. Each command is a struct with
// a Run(*env) error method; the words after `--` are split off before
// kong sees the command line (see splitArgs).
type cli struct {
	Version kong.VersionFlag `help:"Print the version and exit."`

	Bare      bareCmd      `cmd:"" default:"1" hidden:"" name:"bare-repl" help:"Start a REPL on a fresh world."`
	Repl      replCmd      `cmd:"" help:"Start a REPL on a fresh world, or resuming IMAGE (bare 'stasis' does the same)."`
	Run       runCmd       `cmd:"" help:"Run scripts in one world."`
	SaveImage saveImageCmd `cmd:"" name:"save-image" help:"Run scripts, then save the world to an image."`
	LoadImage loadImageCmd `cmd:"" name:"load-image" help:"Resume an image, then run scripts in it."`
	Bundle    bundleCmd    `cmd:"" help:"Write a single executable that resumes an image when started."`
	Inspect   inspectCmd   `cmd:"" help:"Show what an image (or bundle) holds."`
}

const scriptsHelp = `Scripts run as classic scripts in one shared global scope, in order, as
<script> tags do in a page: a top-level var, function, let, const or class of
one script is visible to the scripts after it.

Words after -- are given to the world as stasis.args (and, when an image is
resumed, to its main function), as in: stasis run app.js -- --port 8080`

type runCmd struct {
	Grants     grantFlags    `embed:""`
	Limits     limitFlags    `embed:""`
	Checkpoint string        `placeholder:"LOCATION" help:"Make the run durable: resume the world LOCATION holds, or run the scripts fresh; checkpoint it there as it runs; remove it when the run completes. LOCATION is an image file, sqlite:FILE#NAME or postgres://...#NAME."`
	Every      time.Duration `default:"1s" placeholder:"DURATION" help:"With --checkpoint: the least time between two checkpoints (they are taken only when something ran)."`
	Scripts    []string      `arg:"" name:"script" help:"Scripts to run, in order."`
}

func (c *runCmd) Help() string {
	return scriptsHelp + `

With --checkpoint LOCATION the run survives its process: the world is
checkpointed at safe points, and the same command after a crash resumes the
last checkpoint (its onResume hooks run; the scripts do not run again). Work
after the last checkpoint runs again (at least once); work before it never
does. One process at a time runs a world: a second one exits with status 1,
naming the holder's host and pid.`
}

func (c *runCmd) Run(e *env) error {
	if err := e.grant(c.Grants); err != nil {
		return err
	}
	if err := e.limit(c.Limits); err != nil {
		return err
	}
	if c.Checkpoint != "" {
		return c.runDurable(e)
	}
	v, err := newWorld(e)
	if err != nil {
		return err
	}
	return finish(v, runScripts(v, c.Scripts))
}

type saveImageCmd struct {
	Out     string     `short:"o" required:"" placeholder:"OUT" help:"Image file to write (replaced atomically), or a location: sqlite:FILE#NAME, postgres://...#NAME."`
	Base    string     `short:"i" placeholder:"BASE" help:"Start from this image, bundle or location instead of a fresh world: its resume hooks run, its main does not."`
	Grants  grantFlags `embed:""`
	Limits  limitFlags `embed:""`
	Scripts []string   `arg:"" name:"script" help:"Scripts to run before saving, in order."`
}

func (c *saveImageCmd) Help() string {
	return "Starts from a fresh world (or resumes BASE), runs the scripts' top-level code\n" +
		"and microtasks, runs the stasis.onSave hooks, then saves the world to OUT.\n" +
		"Pending timers are not run: they are saved and fire after a later load.\n\n" +
		"With -i BASE, BASE's stasis.onResume hooks run but its main function does not:\n" +
		"BASE is built on, not run, so an app image whose main exits can still be\n" +
		"extended. Its main stays the main of OUT (unless a script sets another) and\n" +
		"runs when OUT is loaded.\n\n" + scriptsHelp
}

func (c *saveImageCmd) Run(e *env) error {
	if err := e.grant(c.Grants); err != nil {
		return err
	}
	if err := e.limit(c.Limits); err != nil {
		return err
	}
	var v *vm.VM
	var err error
	if c.Base != "" {
		// BASE is built on, not run: its main is what a load of the new
		// image runs (an app whose main exits must stay extendable).
		v, err = resumeImage(c.Base, e, false)
	} else {
		v, err = newWorld(e)
	}
	if err == nil {
		err = runScripts(v, c.Scripts)
	}
	if code, ok := natives.ExitRequested(err); ok {
		return fmt.Errorf("the world called process.exit(%d) before it could be saved", code)
	}
	if err != nil {
		return err
	}
	if err := v.CheckRejections(); err != nil {
		return err
	}
	// Saves the scripts asked for with stasis.saveImage happen first.
	if err := v.Loop().SafePoint(); err != nil {
		return err
	}
	if code, exited := v.ExitCode(); exited {
		return fmt.Errorf("the world called stasis.exit(%d) before it could be saved", code)
	}
	if err := image.CheckpointLocation(context.Background(), c.Out, v, image.SaveOptions{}); err != nil {
		return fileError(c.Out, err)
	}
	return nil
}

type loadImageCmd struct {
	Grants  grantFlags `embed:""`
	Limits  limitFlags `embed:""`
	Image   string     `arg:"" help:"Image file, bundle or location (sqlite:FILE#NAME, postgres://...#NAME) to resume."`
	Scripts []string   `arg:"" optional:"" name:"script" help:"Scripts to run after resuming, in order."`
}

func (c *loadImageCmd) Help() string {
	return "Loads IMAGE, runs its stasis.onResume hooks in order, calls the function given\n" +
		"to stasis.setMain (if any) with the words after --, then runs the scripts in the resumed world.\n\n" + scriptsHelp
}

func (c *loadImageCmd) Run(e *env) error {
	if err := e.grant(c.Grants); err != nil {
		return err
	}
	if err := e.limit(c.Limits); err != nil {
		return err
	}
	v, err := resumeImage(c.Image, e, true)
	if v == nil {
		return err
	}
	if err == nil {
		err = runScripts(v, c.Scripts)
	}
	return finish(v, err)
}

// bareCmd is what a bare `stasis` runs: kong's default command may take no
// arguments, so it is a hidden twin of `repl` without IMAGE.
type bareCmd struct{}

func (c *bareCmd) Run(e *env) error { return (&replCmd{}).Run(e) }

type replCmd struct {
	Grants grantFlags `embed:""`
	Limits limitFlags `embed:""`
	Image  string     `arg:"" optional:"" help:"Image file or location to resume (its resume hooks run, not its main function)."`
}

func (c *replCmd) Help() string {
	return "Reads JavaScript, runs it and prints the result, as Node's REPL does. On a terminal\n" +
		"lines can be edited, history is kept in ~/.stasis_history (STASIS_REPL_HISTORY names\n" +
		"another file; empty keeps none), Tab completes and timers fire at the prompt; from a\n" +
		"pipe, lines are read with no prompt and results print without colours.\n" +
		"Type .help in the REPL for its commands (.save-image [FILE] saves the world).\n\n" +
		"Words after -- are given to the world as stasis.args."
}

func (c *replCmd) Run(e *env) error {
	if err := e.grant(c.Grants); err != nil {
		return err
	}
	if err := e.limit(c.Limits); err != nil {
		return err
	}
	return repl.Run(nil, e.stdin, e.stdout, e.stderr, repl.Options{
		Colors:  colorful(e.stdout),
		World:   worldOptions(e),
		Limits:  e.limits,
		Image:   c.Image,
		History: repl.HistoryFile(),

		CompileSource: e.compileSource,
	})
}
