package repl

import (
	"context"
	"errors"
	"fmt"
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
// interrupt it (and only it), and whether the REPL waits for an awaited
// promise, so that Ctrl-C can stop the wait.
type runState struct {
	mu      sync.Mutex
	active  *goja.Runtime // the runtime whose code runs, or nil
	abandon func()        // stops the wait for an awaited promise, or nil
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
	if s.abandon != nil {
		s.abandon()
	}
}

// awaitResult waits for the promise that an awaiting input returned (the
// promise of the async function it runs in), and prints what it settles
// to, as the input's result or as uncaught. The world's event loop runs
// meanwhile, so timers fire. Ctrl-C stops the wait and leaves the promise
// as it is. With no person at a terminal to press Ctrl-C, the wait also
// ends when nothing is left that could settle the promise.
func (s *session) awaitResult(val goja.Value) {
	obj, _ := val.(*goja.Object)
	var pr *goja.Promise
	if obj != nil {
		pr, _ = obj.Export().(*goja.Promise)
	}
	if pr == nil {
		s.setLast(val)
		s.printResult(val)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// A reaction wakes the wait when the promise settles; it also makes a
	// rejection handled, for it is reported here.
	wake := s.v.Runtime().ToValue(func(goja.FunctionCall) goja.Value {
		cancel()
		return goja.Undefined()
	})
	if err := s.v.Try("await", func() error {
		then, ok := goja.AssertFunction(obj.Get("then"))
		if !ok {
			return errors.New("the promise has no then method")
		}
		_, err := then(obj, wake, wake)
		return err
	}); err != nil {
		s.uncaught(err)
		return
	}
	l := s.v.Loop()
	if s.interactive {
		l.Ref()
		defer l.Unref()
	}
	s.mu.Lock()
	s.abandon = cancel
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.abandon = nil
		s.mu.Unlock()
	}()
	for pr.State() == goja.PromiseStatePending && ctx.Err() == nil && !l.Stopped() {
		err := s.running(func() error { return l.Run(ctx) })
		if err != nil && !errors.Is(err, context.Canceled) {
			s.uncaught(err)
			continue
		}
		if err == nil && pr.State() == goja.PromiseStatePending && !l.Stopped() {
			fmt.Fprintln(s.errOut, "Uncaught: the awaited promise can never settle: nothing is left that could settle it")
			return
		}
	}
	switch pr.State() {
	case goja.PromiseStatePending:
		if !l.Stopped() {
			fmt.Fprintln(s.errOut, "Interrupted: no longer waiting (the awaited promise is left as it is)")
		}
	case goja.PromiseStateFulfilled:
		s.setLast(pr.Result())
		s.printResult(pr.Result())
	default:
		s.thrown(pr.Result(), true)
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
