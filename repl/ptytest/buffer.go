package ptytest

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// Limit is how long a wait (Buffer.Wait, Terminal.Expect, Terminal.Exited)
// lasts before it fails the test.
const Limit = 30 * time.Second

// Buffer collects what a program writes while a test reads it: a
// bytes.Buffer safe for a writer and readers at once. A Terminal keeps its
// screen in one; a test that runs a REPL over pipes can use one too.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p, as bytes.Buffer.Write does.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns all that was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Wait waits until the buffer holds want at or after the offset from, and
// returns the offset just past it. It fails the test after Limit, showing
// what the buffer holds after from.
func (b *Buffer) Wait(t testing.TB, from int, want string) int {
	t.Helper()
	deadline := time.Now().Add(Limit)
	for {
		all := b.String()
		if i := strings.Index(all[from:], want); i >= 0 {
			return from + i + len(want)
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %q; after the last match there is %q", want, all[from:])
		}
		time.Sleep(5 * time.Millisecond)
	}
}
