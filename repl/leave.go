package repl

import (
	"errors"
	"fmt"
	"strings"

	"github.com/stasisvm/stasis/image"
)

// Whether the world changed since it was last saved or loaded, and what
// the REPL does about it when a person leaves, or throws the world away,
// at a terminal: it says so and offers to save, as image-based systems do.
//
// A world's fingerprint (image.Fingerprint) hashes what an image of it
// would hold, without the REPL's `_` and `_error`: a world that only ran
// `1 + 1` has not changed, and one whose timers are pending has (their
// remaining time moves on).

// fingerprint hashes what an image of the world would hold.
func (s *session) fingerprint() (sum [32]byte, err error) {
	err = s.withoutREPLGlobals(func() (err error) {
		sum, err = image.Fingerprint(s.v)
		return err
	})
	return sum, err
}

// markSaved records the world as it is now as saved (or loaded). Only a
// person at a terminal is ever asked, so only then is the world encoded.
func (s *session) markSaved() {
	s.saved, s.savedKnown = [32]byte{}, false
	if !s.interactive {
		return
	}
	if sum, err := s.fingerprint(); err == nil {
		s.saved, s.savedKnown = sum, true
	}
}

// changed reports whether the world changed since it was last saved or
// loaded; a world that cannot be encoded counts as changed, with the reason.
func (s *session) changed() (bool, error) {
	sum, err := s.fingerprint()
	if err != nil {
		return true, err
	}
	return !s.savedKnown || sum != s.saved, nil
}

// leave is called when the person leaves (Ctrl-D, .exit, Ctrl-C twice). If
// the world changed since it was last saved or loaded, it says so and asks
// whether to save: y saves to the image the world came from, a file name
// saves there, Enter (or n, or Ctrl-D) leaves without saving, Ctrl-C stays.
// It reports whether to leave; a failed save stays, so that nothing is lost.
// Without a terminal it never asks.
func (s *session) leave() bool {
	if !s.interactive || s.v.Loop().Stopped() {
		return true
	}
	changed, why := s.changed()
	if !changed {
		return true
	}
	if why != nil {
		fmt.Fprintf(s.errOut, "The world has changed, and cannot be saved as it is: %s\n", s.describe(why))
		return true
	}
	var prompt string
	if s.image != "" {
		fmt.Fprintf(s.errOut, "The world has changed since it was last saved to or loaded from %s.\n", s.image)
		prompt = "Save it there before leaving? [y = save, a file name = save there, Enter = leave without saving, Ctrl+C = stay] "
	} else {
		fmt.Fprintln(s.errOut, "This world has changed and was never saved.")
		prompt = "Save it before leaving? [a file name = save there, Enter = leave without saving, Ctrl+C = stay] "
	}
	answer, err := s.read(prompt)
	switch {
	case errors.Is(err, errAborted):
		return false
	case err != nil:
		return true
	}
	answer = strings.TrimSpace(answer)
	path := answer
	switch strings.ToLower(answer) {
	case "", "n", "no":
		return true
	case "y", "yes":
		if s.image == "" {
			fmt.Fprintln(s.errOut, "Not left: this world comes from no image; type a file name to save it to.")
			return false
		}
		path = s.image
	}
	if err := s.saveImage(path); err != nil {
		fmt.Fprintf(s.errOut, "Not left: the save failed: %s\n", s.describe(err))
		return false
	}
	return true
}

// confirm asks a yes-or-no question at the terminal; no is the default.
func (s *session) confirm(question string) bool {
	answer, err := s.read(question + " [y/N] ")
	if err != nil {
		return false
	}
	a := strings.ToLower(strings.TrimSpace(answer))
	return a == "y" || a == "yes"
}
