//go:build unix

package repl

import (
	"errors"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// keys sits between the terminal and liner, so that Ctrl-C can behave as
// in Node. liner, told to abort on Ctrl-C, returns no text, so the REPL
// could not tell a Ctrl-C that clears a typed line (which must never
// leave the REPL) from one at an empty prompt (the first explains, the
// second leaves). keys reads the terminal itself and hands liner every
// byte but Ctrl-C, which it turns into Enter: liner then returns the line
// as it was, and the REPL, told that this Enter was a Ctrl-C, throws the
// line away. Node leaves the cleared text on the screen too.
//
// Ctrl-C reaches keys only while liner shows the prompt (it turns off the
// terminal's signals then); while code runs, it is a SIGINT (events.go).
type keys struct {
	r, w *os.File // the pipe that liner reads instead of standard input

	mu   sync.Mutex
	ends []bool // for each line ending passed on and not yet claimed: was it a Ctrl-C?

	stop chan struct{}
	done chan struct{}
}

// newKeys starts reading standard input; newLiner makes liner read the
// keys' pipe instead.
func newKeys() (*keys, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	k := &keys{r: r, w: w, stop: make(chan struct{}), done: make(chan struct{})}
	go k.run(int(os.Stdin.Fd()))
	return k, nil
}

// withStdin runs f (liner.NewLiner, which reads os.Stdin once to make its
// reader) with os.Stdin set to the keys' pipe.
func (k *keys) withStdin(f func()) {
	saved := os.Stdin
	os.Stdin = k.r
	defer func() { os.Stdin = saved }()
	f()
}

func (k *keys) run(fd int) {
	defer close(k.done)
	defer k.w.Close() // the end of the terminal's input is the end of liner's
	buf := make([]byte, 512)
	for {
		select {
		case <-k.stop:
			return
		default:
		}
		// Poll with a timeout rather than block in read, so that Close
		// ends this goroutine without taking a key typed afterwards.
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, 100)
		if errors.Is(err, unix.EINTR) || err == nil && n == 0 {
			continue
		}
		if err != nil {
			return
		}
		m, err := unix.Read(fd, buf)
		if errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN) {
			continue
		}
		if err != nil || m <= 0 {
			return
		}
		out := make([]byte, 0, m)
		for _, c := range buf[:m] {
			switch c {
			case 3: // Ctrl-C
				k.push(true)
				out = append(out, '\r')
			case '\r', '\n':
				k.push(false)
				out = append(out, c)
			default:
				out = append(out, c)
			}
		}
		if _, err := k.w.Write(out); err != nil {
			return
		}
	}
}

func (k *keys) push(ctrlC bool) {
	k.mu.Lock()
	k.ends = append(k.ends, ctrlC)
	k.mu.Unlock()
}

// interrupted claims the line ending that ended the line liner just
// returned, and reports whether it was a Ctrl-C.
func (k *keys) interrupted() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	if len(k.ends) == 0 {
		return false
	}
	c := k.ends[0]
	k.ends = k.ends[1:]
	return c
}

// Close stops reading the terminal.
func (k *keys) Close() error {
	close(k.stop)
	<-k.done
	return k.r.Close()
}
