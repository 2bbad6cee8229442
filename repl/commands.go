package repl

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/stasisvm/stasis/image"
)

// command is a REPL keyword such as .exit.
type command struct {
	usage string // as shown by .help, e.g. ".save-image FILE"
	help  string
	run   func(s *session, arg string) error
}

// errExit is returned by .exit to end the loop.
var errExit = errors.New("exit")

var commands map[string]command

func init() {
	// Assigned in init because .help refers to the table.
	commands = map[string]command{
		"exit": {".exit", "Leave the REPL", func(*session, string) error { return errExit }},
		"help": {".help", "Show the REPL commands", (*session).help},
		"save-image": {".save-image FILE", "Run the stasis.onSave hooks and save the world to FILE",
			(*session).saveImage},
	}
}

// isCommand reports whether line is a dot-command rather than JavaScript
// (".5 + 1" is JavaScript).
func isCommand(line string) bool {
	line = strings.TrimSpace(line)
	return len(line) > 1 && line[0] == '.' &&
		(line[1] >= 'a' && line[1] <= 'z' || line[1] >= 'A' && line[1] <= 'Z')
}

// command runs a dot-command line. Failures are printed, not returned;
// only .exit returns errExit.
func (s *session) command(line string) error {
	name, arg, _ := strings.Cut(strings.TrimSpace(line)[1:], " ")
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(s.errOut, "Invalid REPL keyword .%s (type .help for the list)\n", name)
		return nil
	}
	err := c.run(s, strings.TrimSpace(arg))
	if err != nil && err != errExit {
		fmt.Fprintf(s.errOut, ".%s: %v\n", name, err)
		return nil
	}
	return err
}

func (s *session) help(string) error {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(s.out, "%-18s %s\n", commands[n].usage, commands[n].help)
	}
	fmt.Fprintln(s.out, "\nPress Ctrl+D to exit.")
	return nil
}

func (s *session) saveImage(path string) error {
	if path == "" {
		return errors.New("usage: .save-image FILE")
	}
	if err := image.RunSaveHooks(s.vm); err != nil {
		return err
	}
	if err := image.SaveFile(path, s.vm, image.SaveOptions{}); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "Saved %s\n", path)
	return nil
}
