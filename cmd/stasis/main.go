// Command stasis runs JavaScript in a world that can be saved to an image
// file and resumed later.
//
//	stasis                               REPL on a fresh world (same as `stasis repl`)
//	stasis [FLAGS] FILE.js [ARGS]        run FILE.js with ARGS, as `node FILE.js ARGS` does;
//	                                     FLAGS are run's (--checkpoint LOCATION, --every, grants)
//	stasis repl [IMAGE]                  REPL, resuming IMAGE if given
//	stasis run SCRIPT... [-- ARGS]       run scripts in one world
//	stasis save-image -o OUT [-i BASE] SCRIPT... [-- ARGS]
//	                                     run scripts, then save the world to OUT
//	stasis load-image IMAGE [SCRIPT...] [-- ARGS]
//	                                     resume IMAGE (hooks, then main), then run the scripts
//	stasis bundle -o APP IMAGE           write an executable that resumes IMAGE when started
//	stasis inspect IMAGE [--json]        show what an image (or a bundle) holds
//
// Exit status: 0 on success, 1 on a JavaScript error or a refused image (one
// line on stderr, prefixed by the command; an uncaught JavaScript exception
// adds its stack), 2 on bad usage.
//
// The command logic lives in run, which takes its arguments and streams as
// parameters so that tests can call it in-process.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/alecthomas/kong"
	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/vm"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // a JavaScript error, a refused image, a missing file
	exitUsage = 2 // the command line could not be parsed
)

func main() {
	// A bundle (this executable with an image appended) runs its world with
	// every argument and parses no flags of its own.
	if status, ok := runBundle(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); ok {
		os.Exit(status)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// env is what every command's Run method is given: the process's streams
// and the arguments after `--`, which become stasis.args and the main
// function's arguments.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	args           []string // the words after `--`, never nil
	perms          *vm.Permissions
	limits         image.Limits // of the images the command loads
	script         string       // the main script, process.argv[1] ("" for none)
	compileSource  bool         // load images without their stored code (--compile-source)
}

// exitRequest is panicked by kong's exit hook (after --help or --version)
// and recovered in run, so that kong never ends the process itself.
type exitRequest int

// run parses args (without the program name), runs the chosen command and
// returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (status int) {
	if flags, script, rest, ok := scriptInvocation(args); ok {
		return runFile(flags, script, &env{stdin: stdin, stdout: stdout, stderr: stderr, args: rest, script: script})
	}
	cmdArgs, jsArgs := splitArgs(args)
	// `stasis help [COMMAND]` is `stasis [COMMAND] --help`, as in go and git.
	if len(cmdArgs) > 0 && cmdArgs[0] == "help" {
		cmdArgs = append(append([]string{}, cmdArgs[1:]...), "--help")
	}
	var cli cli
	parser, err := kong.New(&cli,
		kong.Name("stasis"),
		kong.Description("Stasis runs JavaScript in a world that can be saved to an image file and resumed later.\n\n"+
			"Run without a command, stasis starts a REPL on a fresh world; 'stasis [FLAGS] FILE.js [ARGS]'\n"+
			"runs FILE.js as 'node FILE.js ARGS' does, FLAGS being those of 'stasis run'."),
		kong.Vars{"version": "stasis " + vm.Version},
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { panic(exitRequest(code)) }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
	)
	if err != nil {
		// The CLI's own description is wrong: a bug, not a user's mistake.
		fmt.Fprintf(stderr, "stasis: %v\n", err)
		return exitError
	}
	defer func() {
		if r := recover(); r != nil {
			code, ok := r.(exitRequest)
			if !ok {
				panic(r)
			}
			status = int(code)
		}
	}()
	ctx, err := parser.Parse(cmdArgs)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v (see '%s --help')\n", usagePrefix(err), err, usagePrefix(err))
		return exitUsage
	}
	name := ctx.Selected().Name
	if name == "bare-repl" {
		name = "repl"
	}
	if err := ctx.Run(&env{stdin: stdin, stdout: stdout, stderr: stderr, args: jsArgs}); err != nil {
		var exit worldExit
		if errors.As(err, &exit) {
			return int(exit)
		}
		// A script that does not compile is shown as Node shows it: its
		// name and line, the line, a caret under the place, the message.
		var syntax *vm.SyntaxError
		if errors.As(err, &syntax) {
			fmt.Fprintln(stderr, syntax.Pretty(true))
			return exitError
		}
		fmt.Fprintf(stderr, "%s: %s\n", name, describe(err))
		return exitError
	}
	return exitOK
}

// splitArgs splits the command line at the first `--`: the words before it
// are for stasis, the words after it for the JavaScript world.
func splitArgs(args []string) (cmd, js []string) {
	for i, a := range args {
		if a == "--" {
			return args[:i], append([]string{}, args[i+1:]...)
		}
	}
	return args, []string{}
}

// usagePrefix names the command whose arguments were wrong, as in
// "stasis run", or just "stasis".
func usagePrefix(err error) string {
	var pe *kong.ParseError
	if errors.As(err, &pe) && pe.Context != nil {
		if sel := pe.Context.Selected(); sel != nil {
			return "stasis " + sel.Name
		}
	}
	return "stasis"
}
