package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/peterh/liner"
)

// lineReader is where the REPL's input comes from.
type lineReader interface {
	// ReadLine returns the next line without its line ending. It returns
	// io.EOF at the end of input and errAborted when the user pressed Ctrl-C.
	ReadLine(prompt string) (string, error)
	// AddHistory records a line the user entered, for recall.
	AddHistory(line string)
	// Interactive reports whether a person is typing: then Ctrl-C while a
	// line runs interrupts it rather than ending the process.
	Interactive() bool
	Close() error
}

// errAborted reports that the user abandoned the line being edited.
var errAborted = errors.New("input aborted")

// newLineReader edits lines with liner when in is the process's standard
// input and a terminal, and reads them plainly otherwise.
func newLineReader(in io.Reader, out io.Writer) lineReader {
	if in == os.Stdin && isTerminal(os.Stdin) && out == os.Stdout {
		st := liner.NewLiner()
		st.SetCtrlCAborts(true)
		return &linerReader{st}
	}
	return &plainReader{bufio.NewReader(in)}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// plainReader reads lines from a pipe or file and shows no prompt.
type plainReader struct{ r *bufio.Reader }

func (p *plainReader) ReadLine(string) (string, error) {
	line, err := p.r.ReadString('\n')
	if err == io.EOF && line != "" {
		err = nil // a last line without a newline still counts
	}
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	return line, err
}

func (p *plainReader) AddHistory(string) {}
func (p *plainReader) Interactive() bool { return false }
func (p *plainReader) Close() error      { return nil }

// linerReader edits lines on a terminal.
type linerReader struct{ st *liner.State }

func (l *linerReader) ReadLine(prompt string) (string, error) {
	line, err := l.st.Prompt(prompt)
	switch {
	case errors.Is(err, liner.ErrPromptAborted):
		return "", errAborted
	case errors.Is(err, io.EOF):
		fmt.Println() // end the prompt's line, so the shell's prompt starts on its own
	}
	return line, err
}

func (l *linerReader) AddHistory(line string) { l.st.AppendHistory(line) }
func (l *linerReader) Interactive() bool      { return true }
func (l *linerReader) Close() error           { return l.st.Close() }
