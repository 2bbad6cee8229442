package repl

import (
	"io"
	"sync"
)

// screen is the terminal the REPL shares with the world's output. While
// liner shows the prompt, something the world prints (a timer's
// console.log) would land in the middle of the line being typed; instead,
// the prompt's line is cleared, the output written, and liner asked to draw
// the prompt and the typed text again below it, as Node does.
type screen struct {
	mu        sync.Mutex
	prompting bool   // liner shows the prompt
	redraw    func() // asks liner to draw the prompt again; nil when there is no terminal
}

// setPrompting records whether the prompt is shown.
func (s *screen) setPrompting(on bool) {
	s.mu.Lock()
	s.prompting = on
	s.mu.Unlock()
}

// screenWriter is one output stream (stdout or stderr) of the screen.
type screenWriter struct {
	s *screen
	w io.Writer
}

const clearLine = "\r\x1b[K" // to the start of the line, and erase it

func (w *screenWriter) Write(p []byte) (int, error) {
	w.s.mu.Lock()
	defer w.s.mu.Unlock()
	if !w.s.prompting || w.s.redraw == nil || len(p) == 0 {
		return w.w.Write(p)
	}
	if _, err := io.WriteString(w.w, clearLine); err != nil {
		return 0, err
	}
	n, err := w.w.Write(p)
	if err == nil && p[len(p)-1] != '\n' {
		_, err = io.WriteString(w.w, "\n")
	}
	w.s.redraw()
	return n, err
}
