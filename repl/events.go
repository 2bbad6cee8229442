package repl

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"sync"

	"github.com/dop251/goja"
)

// Waiting for input while the world lives.
//
// The world belongs to the REPL's goroutine. A line is read on another
// goroutine (liner blocks in Prompt), and handed back as an event; while it
// waits for the event, the REPL's goroutine runs the world's event loop, so
// timers fire at the prompt. Tab completion needs the world too: liner's
// completer sends a request as an event and waits for the answer.
//
// While code runs (an input, a timer), Ctrl-C interrupts it: as SIGINT when
// the terminal is in its normal mode (while an input runs), or, while the
// prompt is shown (liner reads Ctrl-C as a key), through the aborted read.

// event is what the REPL's goroutine waits for.
type event struct {
	line     string
	err      error
	complete *completion // a completion request, when not nil
}

// completion is a request from liner's completer.
type completion struct {
	line  string
	pos   int
	reply chan completed
}

type completed struct {
	head  string
	items []string
	tail  string
}

// errWorldExited ends the session: the world called stasis.exit.
var errWorldExited = errors.New("the world exited")

// read reads one line, running the world's event loop and answering
// completion requests until it arrives.
func (s *session) read(prompt string) (string, error) {
	go func() {
		line, err := s.in.ReadLine(prompt)
		if errors.Is(err, errAborted) {
			// Ctrl-C at the prompt also stops a timer that runs away.
			s.interrupt()
		}
		s.events <- event{line: line, err: err}
	}()
	for {
		ev := s.wait()
		if c := ev.complete; c != nil {
			head, items, tail := s.complete(c.line, c.pos)
			c.reply <- completed{head, items, tail}
			continue
		}
		return ev.line, ev.err
	}
}

// wait runs the world's event loop until an event arrives. An error from a
// timer is printed as uncaught, and the loop goes on. The REPL holds a
// reference on the loop meanwhile, so even unreferenced timers fire.
func (s *session) wait() event {
	l := s.v.Loop()
	l.Ref()
	defer l.Unref()
	for {
		if l.Stopped() {
			return event{err: errWorldExited}
		}
		ctx, cancel := context.WithCancel(context.Background())
		var got *event
		stop, done := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(done)
			select {
			case ev := <-s.events:
				got = &ev
				cancel()
			case <-stop:
			}
		}()
		err := s.running(func() error { return l.Run(ctx) })
		close(stop)
		<-done
		cancel()
		if err != nil && !errors.Is(err, context.Canceled) {
			s.uncaught(err)
		}
		if got != nil {
			return *got
		}
	}
}

// completer is given to liner: it runs on liner's goroutine and asks the
// REPL's goroutine, which owns the world, for the completions.
func (s *session) completer(line string, pos int) (string, []string, string) {
	c := &completion{line: line, pos: pos, reply: make(chan completed, 1)}
	s.events <- event{complete: c}
	r := <-c.reply
	return r.head, r.items, r.tail
}

// runState says whether the world's code is running, so that Ctrl-C can
// interrupt it (and only it).
type runState struct {
	mu     sync.Mutex
	active *goja.Runtime // the runtime whose code runs, or nil
}

// running runs f, JavaScript of the session's world, so that Ctrl-C can
// interrupt it; the interruption does not outlive f.
func (s *session) running(f func() error) error {
	rt := s.v.Runtime()
	s.mu.Lock()
	s.active = rt
	s.mu.Unlock()
	err := f()
	s.mu.Lock()
	s.active = nil
	rt.ClearInterrupt()
	s.mu.Unlock()
	return err
}

// interrupt stops the code that runs, if any.
func (s *session) interrupt() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active != nil {
		s.active.Interrupt("interrupted")
	}
}

// interruptOnSignal makes SIGINT interrupt running code until the
// returned function is called.
func (s *session) interruptOnSignal() (stop func()) {
	sig := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sig, os.Interrupt)
	go func() {
		for {
			select {
			case <-sig:
				s.interrupt()
			case <-done:
				return
			}
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}
