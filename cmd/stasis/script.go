package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// commandNames are the words that name a command: `stasis run` runs the
// command even if a file named run exists.
var commandNames = map[string]bool{
	"repl": true, "run": true, "save-image": true, "load-image": true, "bundle": true,
	"inspect": true, "bare-repl": true, "help": true,
}

// scriptInvocation recognises `stasis FILE.js [ARGS]`, as `node FILE.js
// [ARGS]`: a first word that is not a command or a flag and names a
// JavaScript file (by its extension, or because it is a file). Every word
// after it is the script's.
func scriptInvocation(args []string) (script string, rest []string, ok bool) {
	if len(args) == 0 || commandNames[args[0]] || strings.HasPrefix(args[0], "-") {
		return "", nil, false
	}
	first := args[0]
	switch {
	case strings.HasSuffix(first, ".js"), strings.HasSuffix(first, ".cjs"):
	default:
		if fi, err := os.Stat(first); err != nil || !fi.Mode().IsRegular() {
			return "", nil, false
		}
	}
	return first, append([]string{}, args[1:]...), true
}

// runFile runs one script as `stasis run` does and returns the exit status;
// an error prints without a command's prefix, as Node prints it.
func runFile(script string, e *env) int {
	err := (&runCmd{Scripts: []string{script}}).Run(e)
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
