// Package repl is Stasis's interactive loop, in the manner of Node's REPL:
// it reads JavaScript, runs each input in a world as a script named
// "<repl:N>", and prints the result with the VM's value printer (vm.Inspect).
//
// Run is the entry point. The parts, one file each:
//
//   - input.go: where lines come from. On a terminal, github.com/peterh/liner
//     edits them behind a "> " prompt, with history kept in a file and Ctrl-R
//     search; from a pipe or file, lines are read plainly with no prompt and
//     results print without colours.
//   - source.go: whether an input is complete. Input the parser finds
//     unfinished (an open bracket, a trailing operator, an unterminated
//     template) continues on a "... " prompt; input that starts with "{"
//     is read as an object literal when it parses as one, as in Node.
//   - keys_unix.go: Ctrl-C at the prompt, read before liner sees it, so
//     that a Ctrl-C that clears typed text is told from one at an empty prompt.
//   - events.go: waiting for input while the world's event loop runs, so
//     that timers keep firing at the prompt; Ctrl-C interrupting running
//     code; waiting for the promise of an input that awaits.
//   - await.go: top-level await, by rewriting the input as Node does.
//   - leave.go: whether the world changed since it was saved or loaded, and
//     the offer to save it when a person leaves.
//   - screen.go: output that arrives while the prompt is shown (a timer's
//     console.log) is printed above it and the prompt is drawn again.
//   - complete.go: Tab completion of global names and properties.
//   - commands.go: the dot-commands (.help, .exit, .save-image, …), one table.
//
// The REPL keeps two global properties of its world up to date, `_` (the
// last result) and `_error` (the last uncaught error): plain writable data
// properties, removed while an image is saved so that they never make a save
// fail or end up in an image.
package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/vm"
)

// Options configure Run. The zero value is usable.
type Options struct {
	// Prompt is shown before each input when reading from a terminal.
	// Empty means "> ". Continuation lines show "... ". No prompt is shown
	// when input is not a terminal.
	Prompt string
	// Colors makes results print with ANSI colours. The caller decides (the
	// CLI sets it when stdout is a terminal and NO_COLOR is unset); results
	// never have colours when input is not a terminal.
	Colors bool
	// World are the options of every world the REPL makes: the first one
	// when Run is given none, the fresh one of .clear, and the one each
	// .load-image loads into. Its Stdout and Stderr are replaced by the
	// REPL's own output, so that what a timer prints while the prompt is
	// shown does not garble the line being typed.
	World vm.Options
	// Limits bound what loading an image (Image, .load-image) accepts;
	// zero fields mean the defaults of image.Limits.
	Limits image.Limits
	// CompileSource loads images (Image and .load-image) without their
	// stored compiled code, compiling their scripts' sources instead
	// (image.LoadOptions.CompileSource).
	CompileSource bool
	// Image is the image the world comes from. When Run is given no world,
	// it resumes Image (its stasis.onResume hooks run, its main does not)
	// and says so on one line; empty means a fresh world. `.save-image`
	// without a file saves back to it.
	Image string
	// History is the file that keeps the lines typed at the terminal across
	// sessions; empty means none. HistoryFile gives the usual one.
	History string
}

// Run reads inputs from in until end of input, .exit, Ctrl-D or a second
// Ctrl-C, runs each in the world and prints its result to out. An uncaught
// exception is printed to errOut as "Uncaught …" and the loop goes on.
//
// v is the world to start in; if nil, Run makes one from opts.World (or
// resumes opts.Image). A world given to Run prints to its own streams, so
// what its timers print is not kept off the prompt's line. Run returns an error when the first world cannot be
// made or reading the input fails.
//
// When in is the process's standard input and both it and out (the
// process's standard output) are terminals, inputs are read with line
// editing, history and completion; otherwise plainly, with no prompt.
func Run(v *vm.VM, in io.Reader, out, errOut io.Writer, opts Options) error {
	if opts.Prompt == "" {
		opts.Prompt = "> "
	}
	scr := &screen{}
	s := &session{
		opts:   opts,
		scr:    scr,
		out:    &screenWriter{scr, out},
		errOut: &screenWriter{scr, errOut},
		image:  opts.Image,
		events: make(chan event),
	}
	s.opts.World.Stdout, s.opts.World.Stderr = s.out, s.errOut

	if v == nil {
		var err error
		if v, err = s.firstWorld(); err != nil {
			return err
		}
	}
	r := newLineReader(in, out, s)
	defer r.Close()
	s.in = r
	s.interactive = r.Interactive()
	if !s.interactive {
		s.opts.Colors = false
	}
	s.setWorld(v)
	if s.interactive {
		defer s.interruptOnSignal()()
	}
	return s.loop()
}

// session is the state of one Run.
type session struct {
	opts        Options
	v           *vm.VM
	image       string // the image the world came from, "" for a fresh world
	in          lineReader
	interactive bool
	scr         *screen
	out, errOut io.Writer
	events      chan event // inputs and completion requests (events.go)

	n        int      // inputs evaluated in this world; input n is the script "<repl:n>"
	inputs   []string // inputs that compiled, for .save
	pending  []string // lines of an input that is not complete yet
	aborts   int      // Ctrl-C presses in a row at an empty prompt
	runState          // running code can be interrupted (events.go)

	// The fingerprint of the world when it was last saved or loaded
	// (leave.go); savedKnown is false when there is none.
	saved      [32]byte
	savedKnown bool

	// The values the REPL last gave `_` and `_error`; underscore is false
	// once the user assigned `_` themselves, as in Node.
	last, lastError goja.Value
	underscore      bool
}

// firstWorld makes the world Run starts in: opts.Image resumed, or a fresh one.
func (s *session) firstWorld() (*vm.VM, error) {
	if s.opts.Image == "" {
		return image.NewWorld(s.opts.World)
	}
	v, err := s.resume(s.opts.Image)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(s.errOut, "Resumed %s\n", s.opts.Image)
	return v, nil
}

// resume loads the image at path and runs its resume hooks (not its main).
func (s *session) resume(path string) (*vm.VM, error) {
	v, _, err := image.LoadLocation(context.Background(), path, image.LoadOptions{VM: s.opts.World, Limits: s.opts.Limits, CompileSource: s.opts.CompileSource})
	if err != nil {
		return nil, image.FileError(path, err)
	}
	if err := image.RunResumeHooks(v); err != nil {
		return nil, err
	}
	return v, nil
}

// setWorld makes v the session's world, forgetting the inputs of the last one.
func (s *session) setWorld(v *vm.VM) {
	s.v = v
	s.n = 0
	s.inputs = nil
	s.pending = nil
	s.last, s.lastError, s.underscore = nil, nil, true
	// `_` is undefined until the first result, as in Node, unless the
	// world has a `_` of its own (lodash, say): the REPL leaves that alone.
	if v.Runtime().GlobalObject().Get("_") == nil {
		s.setGlobal("_", goja.Undefined(), &s.last)
	} else {
		s.underscore = false
	}
	s.markSaved()
	// stasis.saveImage saves as .save-image does, without `_` and `_error`.
	v.SetSaveImage(func(path string) error {
		err := s.withoutREPLGlobals(func() error {
			return image.CheckpointLocation(context.Background(), path, s.v, image.SaveOptions{})
		})
		if err == nil {
			s.markSaved()
		}
		return err
	})
}

// loop reads and runs inputs until the session ends.
func (s *session) loop() error {
	for {
		prompt := s.opts.Prompt
		if len(s.pending) > 0 {
			prompt = "... "
		}
		line, err := s.read(prompt)
		switch {
		case errors.Is(err, errAborted):
			if s.abort(line) && s.leave() {
				return nil
			}
			continue
		case errors.Is(err, errWorldExited):
			return nil
		case errors.Is(err, io.EOF):
			if s.leave() {
				return nil
			}
			if !s.interactive {
				return nil
			}
			continue
		case err != nil:
			return fmt.Errorf("repl: reading input: %w", err)
		}
		s.aborts = 0
		if strings.TrimSpace(line) != "" {
			s.in.AddHistory(line)
		}
		if c, ok := s.commandOf(line); ok {
			if s.command(c, line) == errExit && s.leave() {
				return nil
			}
		} else {
			s.input(line)
		}
		if s.v.Loop().Stopped() {
			return nil // stasis.exit()
		}
	}
}

// abort handles Ctrl-C at the prompt, as Node does: on a line with text,
// or in an unfinished input, it clears them and never leaves; at an empty
// prompt the first press explains how to leave and a second one in a row
// leaves. Anything typed in between disarms it.
func (s *session) abort(text string) (exit bool) {
	if len(s.pending) > 0 || text != "" {
		s.pending = nil
		s.aborts = 0
		return false
	}
	s.aborts++
	if s.aborts >= 2 {
		return true
	}
	fmt.Fprintln(s.errOut, "(To exit, press Ctrl+C again or Ctrl+D or type .exit)")
	return false
}

// input adds a line to the input being typed and runs the input once it is
// complete.
func (s *session) input(line string) {
	if len(s.pending) == 0 && strings.TrimSpace(line) == "" {
		return
	}
	s.pending = append(s.pending, line)
	src := strings.Join(s.pending, "\n")
	code, incomplete := prepare(src)
	if incomplete {
		return
	}
	s.pending = nil
	s.n++
	s.eval(fmt.Sprintf("<repl:%d>", s.n), src, code)
}

// eval runs code (the input src, perhaps wrapped in parentheses) as the
// script name, prints its result or its uncaught error, then runs the
// world's safe point and the timers that are due. An input that awaits at
// its top level runs in an async function (await.go) and its result is
// printed once the promise settles; timers fire meanwhile.
func (s *session) eval(name, src, code string) {
	var val goja.Value
	run := func(code string) error {
		return s.running(func() (err error) {
			val, err = s.v.RunScript(name, code)
			return err
		})
	}
	// As in Node, an input that awaits at its top level is taken as such
	// even where a script could read await as a name (`await [1]`).
	var err error
	awaited := false
	if hasAwait(src) {
		if rewritten, ok := rewriteAwait(src); ok {
			if err = run(rewritten); !isSyntaxError(err) {
				awaited = true
			}
		}
	}
	if !awaited {
		err = run(code)
	}
	if !isSyntaxError(err) {
		s.inputs = append(s.inputs, src)
	}
	switch {
	case err != nil:
		s.uncaughtInput(name, src, err)
	case awaited:
		s.awaitResult(val)
	default:
		s.setLast(val)
		s.printResult(val)
	}
	s.afterInput()
}

// printResult prints the value of an input; where printing it throws, as
// Node's does (a Symbol.toStringTag getter that throws,
// Object.create(TextEncoder.prototype)), it prints that error as uncaught,
// as Node's REPL does.
func (s *session) printResult(val goja.Value) {
	var text string
	print, _ := goja.AssertFunction(s.v.NewFunction("print", 0, func(goja.FunctionCall) goja.Value {
		text = s.v.Inspect(val, vm.InspectOptions{Colors: s.opts.Colors, Throw: true})
		return goja.Undefined()
	}))
	if err := s.v.Try("print the value", func() error {
		_, err := print(goja.Undefined())
		return err
	}); err != nil {
		s.report(err, true)
		return
	}
	fmt.Fprintln(s.out, text)
}

func isSyntaxError(err error) bool {
	var syntax *goja.CompilerSyntaxError
	return errors.As(err, &syntax)
}

// afterInput runs what an input queued: saves requested with
// stasis.saveImage, then one turn of the event loop, so that a timer due
// now fires before the next input is read whether input comes from a
// person or a pipe.
func (s *session) afterInput() {
	l := s.v.Loop()
	if err := s.v.CheckRejections(); err != nil {
		s.uncaught(err)
	}
	if err := s.running(l.SafePoint); err != nil {
		s.uncaught(err)
	}
	if l.Stopped() {
		return
	}
	if err := s.running(func() error { _, err := l.Step(); return err }); err != nil {
		s.uncaught(err)
	}
}

// uncaughtInput prints what running the input src as the script name
// threw: a syntax error with its line and a caret under the place (the
// line is left out for an input typed at the prompt, as Node does), any
// other error as uncaught, its stack cut where the REPL's own frames begin.
func (s *session) uncaughtInput(name, src string, err error) {
	if se := vm.AsSyntaxError(name, src, err); se != nil {
		text := se.Pretty(!strings.HasPrefix(name, "<repl:"))
		i := strings.LastIndex(text, "SyntaxError: ")
		fmt.Fprintf(s.errOut, "%sUncaught %s\n", text[:i], text[i:])
		return
	}
	s.report(err, true)
}

// uncaught prints an error that reached the REPL from a timer, a hook or
// a command, and keeps a thrown value in `_error`.
func (s *session) uncaught(err error) { s.report(err, false) }

func (s *session) report(err error, input bool) {
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		fmt.Fprintln(s.errOut, "Interrupted (the world is as the interrupted code left it)")
		return
	}
	var rej *vm.UnhandledRejection
	if errors.As(err, &rej) {
		// As Node's REPL shows it: uncaught, the stack cut where the
		// REPL's own frames begin.
		s.setGlobal("_error", rej.Reason, &s.lastError)
		fmt.Fprintf(s.errOut, "Uncaught %s\n", s.inspectWith(rej.Reason, vm.InspectOptions{TrimScriptFrames: true}))
		return
	}
	var ex *goja.Exception
	if errors.As(err, &ex) && ex.Value() != nil {
		s.thrown(ex.Value(), input)
		return
	}
	fmt.Fprintf(s.errOut, "Uncaught %s\n", err)
}

// thrown prints a thrown value as uncaught, as Node does: an Error with
// its stack (cut at the input's top level when the input threw it), any
// other value as the printer shows it; and keeps it in `_error`.
func (s *session) thrown(val goja.Value, input bool) {
	s.setGlobal("_error", val, &s.lastError)
	fmt.Fprintf(s.errOut, "Uncaught %s\n", s.inspectWith(val, vm.InspectOptions{TrimScriptFrames: input}))
}

// setLast keeps val in `_`, unless the user assigned `_` themselves.
func (s *session) setLast(val goja.Value) {
	if val == nil {
		val = goja.Undefined()
	}
	if !s.underscore {
		return
	}
	if s.last != nil {
		cur := s.v.Runtime().GlobalObject().Get("_")
		if cur == nil || !cur.SameAs(s.last) {
			s.underscore = false
			fmt.Fprintln(s.errOut, "Expression assignment to _ now disabled.")
			return
		}
	}
	s.setGlobal("_", val, &s.last)
}

// setGlobal defines the REPL's global name as a plain, non-enumerable data
// property holding val, and remembers val in *last.
func (s *session) setGlobal(name string, val goja.Value, last *goja.Value) {
	g := s.v.Runtime().GlobalObject()
	if err := s.v.Try("set "+name, func() error {
		return g.DefineDataProperty(name, val, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}); err == nil {
		*last = val
	}
}

// withoutREPLGlobals runs f (a save) with `_` and `_error` removed from the
// global object when they still hold what the REPL put there, and puts them
// back afterwards.
func (s *session) withoutREPLGlobals(f func() error) error {
	g := s.v.Runtime().GlobalObject()
	type kept struct {
		name string
		val  goja.Value
	}
	var removed []kept
	for _, k := range []kept{{"_", s.last}, {"_error", s.lastError}} {
		if k.val == nil {
			continue
		}
		if cur := g.Get(k.name); cur != nil && cur.SameAs(k.val) {
			if s.v.Try("remove "+k.name, func() error { return g.Delete(k.name) }) == nil {
				removed = append(removed, k)
			}
		}
	}
	defer func() {
		for _, k := range removed {
			_ = s.v.Try("restore "+k.name, func() error {
				return g.DefineDataProperty(k.name, k.val, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
			})
		}
	}()
	return f()
}

// inspect shows val as the value printer does; a failure inside the printer
// is shown in its place rather than ending the REPL.
func (s *session) inspect(val goja.Value) string {
	return s.inspectWith(val, vm.InspectOptions{})
}

func (s *session) inspectWith(val goja.Value, opts vm.InspectOptions) (text string) {
	if val == nil {
		val = goja.Undefined()
	}
	opts.Colors = s.opts.Colors
	if err := s.v.Try("print the value", func() error {
		text = s.v.Inspect(val, opts)
		return nil
	}); err != nil {
		return "[value could not be printed: " + err.Error() + "]"
	}
	return text
}

// describe renders an error of a command: a thrown Error as its first
// line ("TypeError: x is not a function"), any other thrown value as the
// printer shows it.
func (s *session) describe(err error) string {
	var ex *goja.Exception
	if !errors.As(err, &ex) || ex.Value() == nil {
		return err.Error()
	}
	text := s.inspect(ex.Value())
	if o, ok := ex.Value().(*goja.Object); ok && o.ClassName() == "Error" {
		text, _, _ = strings.Cut(text, "\n    at ")
	}
	return text
}
