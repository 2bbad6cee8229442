//go:build !unix

package repl

// redrawPrompt would make liner draw its prompt again; without SIGWINCH the
// prompt is drawn again only at the next key.
func redrawPrompt() {}
