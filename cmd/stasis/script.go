package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/alecthomas/kong"
)

// commandNames are the words that name a command: `stasis run` runs the
// command even if a file named run exists.
var commandNames = map[string]bool{
	"repl": true, "run": true, "save-image": true, "load-image": true, "bundle": true,
	"inspect": true, "bare-repl": true, "help": true,
}

// scriptInvocation recognises `stasis [FLAGS] FILE.js [ARGS]`, as `node
// [OPTIONS] FILE.js [ARGS]`: FLAGS are those of `stasis run` (--checkpoint,
// --every, the grants), and FILE is the first word after them that is not
// a command or a flag and names a JavaScript file (by its extension, or
// because it is a file). Every word after FILE is the script's.
func scriptInvocation(args []string) (flags []string, script string, rest []string, ok bool) {
	takesValue := runFlags()
	i := 0
	for i < len(args) && strings.HasPrefix(args[i], "--") {
		name, _, inline := strings.Cut(args[i][2:], "=")
		value, known := takesValue[name]
		if !known {
			return nil, "", nil, false // --help, --version, or a mistake: the CLI's to say
		}
		i++
		if value && !inline {
			i++
		}
	}
	if i >= len(args) || commandNames[args[i]] || strings.HasPrefix(args[i], "-") {
		return nil, "", nil, false
	}
	first := args[i]
	switch {
	case strings.HasSuffix(first, ".js"), strings.HasSuffix(first, ".cjs"):
	default:
		if fi, err := os.Stat(first); err != nil || !fi.Mode().IsRegular() {
			return nil, "", nil, false
		}
	}
	return args[:i], first, append([]string{}, args[i+1:]...), true
}

// runFlags maps the long flags of `stasis run` to whether each takes a
// value, from the CLI's own description of runCmd.
var runFlags = sync.OnceValue(func() map[string]bool {
	flags := map[string]bool{}
	parser, err := kong.New(&runCmd{}, kong.Exit(func(int) {}))
	if err != nil {
		return flags // a bug in runCmd's tags; TestCLI fails on it
	}
	for _, group := range parser.Model.Node.AllFlags(false) {
		for _, f := range group {
			if f.Name != "help" {
				flags[f.Name] = !f.IsBool()
			}
		}
	}
	return flags
})

// runFile runs the script as `stasis run FLAGS SCRIPT` does and returns the
// exit status; an error prints without a command's prefix, as Node prints it.
func runFile(flags []string, script string, e *env) int {
	var c runCmd
	parser, err := kong.New(&c, kong.Name("stasis"), kong.Writers(io.Discard, e.stderr))
	if err == nil {
		_, err = parser.Parse(append(append([]string{}, flags...), script))
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "stasis: %v (see 'stasis run --help')\n", err)
		return exitUsage
	}
	err = c.Run(e)
	var exit worldExit
	if err == nil {
		return exitOK
	}
	if errors.As(err, &exit) {
		return int(exit)
	}
	fmt.Fprintln(e.stderr, describe(err))
	return exitError
}
