//go:build unix

package repl

import "syscall"

// redrawPrompt makes liner draw its prompt and line again. liner redraws
// them when the terminal's size changes, which it learns from SIGWINCH; it
// offers no other way.
func redrawPrompt() {
	_ = syscall.Kill(syscall.Getpid(), syscall.SIGWINCH)
}
