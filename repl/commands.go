package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/stasisvm/stasis/image"
)

// command is a REPL keyword such as .exit.
type command struct {
	usage string // as shown by .help, e.g. ".save-image [FILE]"
	help  string
	run   func(s *session, arg string) error
}

// errExit is returned by .exit to end the loop.
var errExit = errors.New("exit")

var commands map[string]command

func init() {
	// Assigned in init because .help refers to the table.
	commands = map[string]command{
		"break": {".break", "Abandon the input being typed over several lines", (*session).breakInput},
		"clear": {".clear", "Alias for .break", (*session).breakInput},
		"editor": {".editor", "Type or paste several lines, then run them all (Ctrl+D runs, Ctrl+C cancels)",
			(*session).editor},
		"exit": {".exit", "Leave the REPL", func(*session, string) error { return errExit }},
		"help": {".help", "Show the REPL commands", (*session).help},
		"inspect": {".inspect", "Summarise the world: globals, objects, timers, the image it came from",
			(*session).inspectWorld},
		"load":      {".load FILE", "Run a JavaScript file in the world", (*session).load},
		"new-world": {".new-world", "Throw this world away and start again in a fresh one (asks first)", (*session).newWorld},
		"load-image": {".load-image FILE", "Replace the world with the one in image FILE (its resume hooks run)",
			(*session).loadImage},
		"save": {".save FILE", "Write the inputs of this session to FILE", (*session).save},
		"save-image": {".save-image [FILE]", "Run the stasis.onSave hooks and save the world to FILE (default: the image it came from or was last saved to)",
			(*session).saveImage},
	}
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// commandOf reports whether line is a dot-command rather than JavaScript,
// and which. ".5 + 1" is JavaScript; so is an unknown keyword on a
// continuation line (".map(f)" continuing a chain), as in Node.
func (s *session) commandOf(line string) (name string, ok bool) {
	line = strings.TrimSpace(line)
	if len(line) < 2 || line[0] != '.' || !(line[1] >= 'a' && line[1] <= 'z' || line[1] >= 'A' && line[1] <= 'Z') {
		return "", false
	}
	name, _, _ = strings.Cut(line[1:], " ")
	if _, known := commands[name]; !known && len(s.pending) > 0 {
		return "", false
	}
	return name, true
}

// command runs a dot-command. Failures are printed, not returned; only
// .exit returns errExit.
func (s *session) command(name, line string) error {
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(s.errOut, "Invalid REPL keyword .%s (type .help for the list)\n", name)
		return nil
	}
	_, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	err := c.run(s, strings.TrimSpace(arg))
	if err != nil && err != errExit {
		fmt.Fprintf(s.errOut, ".%s: %s\n", name, s.describe(err))
		return nil
	}
	return err
}

func (s *session) help(string) error {
	for _, n := range commandNames() {
		fmt.Fprintf(s.out, "%-20s %s\n", commands[n].usage, commands[n].help)
	}
	fmt.Fprintln(s.out, "\nPress Ctrl+C to abort the current input or running code, Ctrl+D to exit.")
	fmt.Fprintln(s.out, "_ holds the last result, _error the last uncaught error.")
	return nil
}

func (s *session) breakInput(string) error {
	s.pending = nil
	return nil
}

// newWorld throws the world away for a fresh one; a person at a terminal
// is asked first, and told when the world has changed since it was saved.
func (s *session) newWorld(string) error {
	if s.interactive {
		question := "Throw this world away and start again in a fresh one?"
		if changed, _ := s.changed(); changed {
			question = "The world has changed since it was last saved or loaded. " + question
		}
		if !s.confirm(question) {
			fmt.Fprintln(s.out, "Kept the world")
			return nil
		}
	}
	v, err := image.NewWorld(s.opts.World)
	if err != nil {
		return err
	}
	s.setWorld(v)
	s.image = ""
	fmt.Fprintln(s.out, "A fresh world")
	return nil
}

// editor reads lines until Ctrl+D (or the end of input) and runs them as one input.
func (s *session) editor(string) error {
	s.pending = nil
	if s.interactive {
		fmt.Fprintln(s.out, "// Entering editor mode (Ctrl+D to finish, Ctrl+C to cancel)")
	}
	var lines []string
	for {
		line, err := s.read("")
		if errors.Is(err, errAborted) {
			return nil
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		lines = append(lines, line)
	}
	src := strings.Join(lines, "\n")
	if strings.TrimSpace(src) == "" {
		return nil
	}
	s.n++
	s.eval(fmt.Sprintf("<repl:%d>", s.n), src, src)
	return nil
}

func (s *session) load(path string) error {
	if path == "" {
		return errors.New("usage: .load FILE")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return image.FileError(path, err)
	}
	s.eval(path, string(src), string(src))
	return nil
}

func (s *session) save(path string) error {
	if path == "" {
		return errors.New("usage: .save FILE")
	}
	text := strings.Join(s.inputs, "\n")
	if text != "" {
		text += "\n"
	}
	if err := os.WriteFile(path, []byte(text), 0o666); err != nil {
		return image.FileError(path, err)
	}
	fmt.Fprintf(s.out, "Session saved to %s\n", path)
	return nil
}

func (s *session) saveImage(path string) error {
	if path == "" {
		path = s.image
	}
	if path == "" {
		return errors.New("usage: .save-image FILE (this world does not come from an image)")
	}
	if err := s.running(func() error { return image.RunSaveHooks(s.v) }); err != nil {
		return err
	}
	if err := s.withoutREPLGlobals(func() error {
		return image.SaveLocation(context.Background(), path, s.v, image.SaveOptions{})
	}); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path == path {
			return image.FileError(path, err) // "nodir/a.img: directory nodir does not exist"
		}
		return err
	}
	// Saved elsewhere, the world now belongs to that image, as "save as"
	// does: a later .save-image without FILE saves there.
	s.image = path
	s.markSaved()
	fmt.Fprintf(s.out, "Saved %s\n", path)
	return nil
}

func (s *session) loadImage(path string) error {
	if path == "" {
		return errors.New("usage: .load-image FILE")
	}
	var v = s.v
	err := s.running(func() (err error) {
		v, err = s.resume(path)
		return err
	})
	if err != nil {
		return err
	}
	s.setWorld(v)
	s.image = path
	fmt.Fprintf(s.out, "Resumed %s\n", path)
	return nil
}

// inspectWorld prints a short summary of the world. The counts come from
// encoding the world as a save would (without writing it), so they are
// those an image of it would hold.
func (s *session) inspectWorld(string) error {
	w := s.out
	if s.image != "" {
		fmt.Fprintf(w, "world:   resumed from %s\n", s.image)
	} else {
		fmt.Fprintln(w, "world:   fresh (not from an image)")
	}
	var sum *image.Summary
	err := s.withoutREPLGlobals(func() (err error) {
		sum, err = image.SummarizeWorld(s.v)
		return err
	})
	if err != nil {
		var names []string
		for _, b := range s.v.Lexicals() {
			names = append(names, b.Name)
		}
		fmt.Fprintf(w, "globals: %s\n", list(names))
		fmt.Fprintf(w, "objects: not counted: the world cannot be saved as it is: %v\n", err)
	} else {
		globals := append(append([]string{}, sum.Globals...), sum.GlobalVars...)
		fmt.Fprintf(w, "globals: %s\n", list(globals))
		// Built-in objects are saved by name; count only the world's own.
		var kinds []string
		count := 0
		for _, k := range sum.Objects {
			if k.Kind != "intrinsic" {
				kinds = append(kinds, fmt.Sprintf("%d %s", k.Count, k.Kind))
				count += k.Count
			}
		}
		fmt.Fprintf(w, "objects: %d", count)
		if len(kinds) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(kinds, ", "))
		}
		fmt.Fprintf(w, "\nscripts: %d, %d bytes of source\n", len(sum.Scripts), sum.Sizes.Sources)
	}
	pending := s.v.Loop().Pending()
	switch {
	case len(pending) == 0:
		fmt.Fprintln(w, "timers:  none pending")
	default:
		fmt.Fprintf(w, "timers:  %d pending, the next in %s\n", len(pending), pending[0].Remaining.Round(time.Millisecond))
	}
	h := s.v.Hooks()
	main := "none"
	if h.Main != nil {
		main = "set"
	}
	fmt.Fprintf(w, "hooks:   %d onSave, %d onResume, main %s\n", len(h.OnSave), len(h.OnResume), main)
	return nil
}

// list shows names as "N: a, b, c", cut after a few dozen.
func list(names []string) string {
	const most = 30
	sort.Strings(names)
	text := fmt.Sprintf("%d", len(names))
	if len(names) == 0 {
		return text
	}
	shown := names
	if len(shown) > most {
		shown = shown[:most]
	}
	text += ": " + strings.Join(shown, ", ")
	if len(names) > most {
		text += fmt.Sprintf(", ... %d more", len(names)-most)
	}
	return text
}
