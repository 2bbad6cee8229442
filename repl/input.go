package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/peterh/liner"
)

// lineReader is where the REPL's input comes from. ReadLine is called on a
// goroutine of its own (see events.go); the other methods on the REPL's.
type lineReader interface {
	// ReadLine returns the next line without its line ending. It returns
	// io.EOF at the end of input, and errAborted, with the text that was
	// on the line, when the user pressed Ctrl-C.
	ReadLine(prompt string) (string, error)
	// AddHistory records a line the user entered, for recall.
	AddHistory(line string)
	// Interactive reports whether a person is typing at a terminal.
	Interactive() bool
	// Close gives the terminal back and saves the history.
	Close() error
}

// errAborted reports that the user pressed Ctrl-C at the prompt.
var errAborted = errors.New("input aborted")

// HistoryFile returns the file that keeps the REPL's history: the value of
// STASIS_REPL_HISTORY when it is set (empty: no history), otherwise
// .stasis_history in the home directory.
func HistoryFile() string {
	if p, ok := os.LookupEnv("STASIS_REPL_HISTORY"); ok {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".stasis_history")
}

// newLineReader edits lines with liner when in is the process's standard
// input, out its standard output, and both are terminals; it reads them
// plainly otherwise.
func newLineReader(in io.Reader, out io.Writer, s *session) lineReader {
	if in == os.Stdin && isTerminal(os.Stdin) && out == os.Stdout && isTerminal(os.Stdout) {
		var st *liner.State
		k, err := newKeys()
		if err == nil {
			k.withStdin(func() { st = liner.NewLiner() })
		} else {
			st = liner.NewLiner()
		}
		st.SetCtrlCAborts(true)
		st.SetTabCompletionStyle(liner.TabPrints)
		st.SetWordCompleter(s.completer)
		l := &linerReader{st: st, keys: k, scr: s.scr, history: s.opts.History}
		if l.history != "" {
			if f, err := os.Open(l.history); err == nil {
				_, _ = st.ReadHistory(f)
				f.Close()
			}
		}
		s.scr.redraw = redrawPrompt
		return l
	}
	return &plainReader{r: bufio.NewReader(in)}
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
type linerReader struct {
	st      *liner.State
	keys    *keys // nil when liner reads the terminal itself
	scr     *screen
	history string // file to save the history to, or ""
}

func (l *linerReader) ReadLine(prompt string) (string, error) {
	l.scr.setPrompting(true)
	line, err := l.st.Prompt(prompt)
	l.scr.setPrompting(false)
	switch {
	case errors.Is(err, liner.ErrPromptAborted):
		return "", errAborted
	case err == nil && l.keys != nil && l.keys.interrupted():
		return line, errAborted
	case errors.Is(err, io.EOF):
		fmt.Println() // end the prompt's line, so that what follows starts on its own
	}
	return line, err
}

func (l *linerReader) AddHistory(line string) { l.st.AppendHistory(line) }
func (l *linerReader) Interactive() bool      { return true }

func (l *linerReader) Close() error {
	if l.history != "" {
		if f, err := os.OpenFile(l.history, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err == nil {
			_, _ = l.st.WriteHistory(f)
			f.Close()
		}
	}
	err := l.st.Close()
	if l.keys != nil {
		l.keys.Close()
	}
	return err
}
