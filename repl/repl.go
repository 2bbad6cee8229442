// Package repl is Stasis's interactive loop: it reads JavaScript a line at a
// time, runs each line in a world as a script named "<repl:N>", and prints
// the result with the VM's value printer.
//
// Run is the entry point. Input comes through a lineReader: on a terminal,
// github.com/peterh/liner edits lines behind a "> " prompt (input.go);
// from a pipe or file, lines are read plainly with no prompt. Lines that
// start with a dot are REPL commands (.help, .exit, .save-image FILE), kept
// in one table in commands.go.
//
// On a terminal, Ctrl-C at the prompt abandons the line and Ctrl-C while a
// line runs interrupts it. Not yet: input spanning several lines,
// completion, history files.
package repl

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// Options configure Run. The zero value is usable.
type Options struct {
	// Prompt is shown before each line when reading from a terminal.
	// Empty means "> ". No prompt is shown when input is not a terminal.
	Prompt string
	// Colors makes results print with ANSI colors. The caller decides
	// (the CLI sets it when out is a terminal and NO_COLOR is unset).
	Colors bool
}

// Run reads lines from in until end of input or .exit, runs each in v and
// prints its result to out. An uncaught exception is printed to errOut as
// "Uncaught …" and the loop goes on. Run returns an error only when reading
// the input fails.
//
// When in is the process's standard input and a terminal, lines are read
// with line editing and a prompt; otherwise plainly, with no prompt.
func Run(v *vm.VM, in io.Reader, out, errOut io.Writer, opts Options) error {
	if opts.Prompt == "" {
		opts.Prompt = "> "
	}
	r := newLineReader(in, out)
	defer r.Close()
	s := &session{vm: v, out: out, errOut: errOut, opts: opts, interactive: r.Interactive()}
	for {
		line, err := r.ReadLine(opts.Prompt)
		if errors.Is(err, errAborted) {
			fmt.Fprintln(errOut, "(To exit, press Ctrl+D or type .exit)")
			continue
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("repl: reading input: %w", err)
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		r.AddHistory(line)
		if isCommand(line) {
			if s.command(line) == errExit {
				return nil
			}
			continue
		}
		s.eval(line)
	}
}

// session is the state of one Run: the world and how many lines it ran.
type session struct {
	vm          *vm.VM
	out, errOut io.Writer
	opts        Options
	n           int  // lines evaluated so far; line n is the script "<repl:n>"
	interactive bool // Ctrl-C interrupts the running line
}

// eval runs one line and prints its result or its uncaught error.
func (s *session) eval(line string) {
	s.n++
	if s.interactive {
		defer s.interruptOnSignal()()
	}
	val, err := s.vm.RunScript(fmt.Sprintf("<repl:%d>", s.n), line)
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		fmt.Fprintln(s.errOut, "Interrupted")
		return
	}
	if err != nil {
		fmt.Fprintf(s.errOut, "Uncaught %s\n", s.describe(err))
		return
	}
	fmt.Fprintln(s.out, s.inspect(val))
}

// interruptOnSignal makes Ctrl-C interrupt the running JavaScript until
// the returned function is called.
func (s *session) interruptOnSignal() (stop func()) {
	rt := s.vm.Runtime()
	sig := make(chan os.Signal, 1)
	done, exited := make(chan struct{}), make(chan struct{})
	signal.Notify(sig, os.Interrupt)
	go func() {
		defer close(exited)
		select {
		case <-sig:
			rt.Interrupt("interrupted")
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
		<-exited // so that no late Interrupt hits the next line
		rt.ClearInterrupt()
	}
}

// inspect shows val as the value printer does; a failure inside the printer
// is shown in its place rather than ending the REPL.
func (s *session) inspect(val goja.Value) (text string) {
	if val == nil {
		val = goja.Undefined()
	}
	if err := s.vm.Try("print the value", func() error {
		text = vm.Inspect(s.vm.Runtime(), val, vm.InspectOptions{Colors: s.opts.Colors})
		return nil
	}); err != nil {
		return "[value could not be printed: " + err.Error() + "]"
	}
	return text
}

// describe renders what a line threw: an Error as its string ("TypeError:
// x is not a function"), any other thrown value as the printer shows it.
func (s *session) describe(err error) (text string) {
	var ex *goja.Exception
	if !errors.As(err, &ex) || ex.Value() == nil {
		return err.Error()
	}
	if o, ok := ex.Value().(*goja.Object); ok && o.ClassName() == "Error" {
		// An Error's toString is JavaScript and may itself throw.
		if terr := s.vm.Try("print the error", func() error { text = o.String(); return nil }); terr != nil {
			return "[error could not be printed: " + terr.Error() + "]"
		}
		return text
	}
	return s.inspect(ex.Value())
}
