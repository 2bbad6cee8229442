// Package ptytest runs a program on a pseudo-terminal for tests, as a
// person uses it: it types keys and waits until the screen shows what it
// should. Nothing waits for a length of time but for generous limits, so
// that a busy machine makes a test slower, never wrong.
//
// Both the REPL's own tests (which start the test binary again as a REPL)
// and the CLI's (which start the stasis binary) drive their terminals
// through Start.
package ptytest
