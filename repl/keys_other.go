//go:build !unix

package repl

import "errors"

// keys would turn Ctrl-C into Enter before liner sees it (keys_unix.go);
// here liner's own Ctrl-C handling stays, and a Ctrl-C that clears typed
// text counts as one at an empty prompt.
type keys struct{}

func newKeys() (*keys, error)      { return nil, errors.New("not supported") }
func (k *keys) withStdin(f func()) { f() }
func (k *keys) interrupted() bool  { return false }
func (k *keys) Close() error       { return nil }
