package image

import (
	"crypto/sha256"

	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/vm"
)

// Fingerprint hashes what an image of the world v would hold, but for the
// scripts' sources: every script the world ran stays in its registry, so a
// REPL input that only computed a value (1 + 1) adds one without changing
// the world, while a function it left behind shows in the objects. Two
// fingerprints are equal when the two states of the world would resume the
// same; the REPL compares them to tell whether a world changed since it was
// last saved or loaded. It fails where a save would.
func Fingerprint(v *vm.VM) (sum [32]byte, err error) {
	p, _, err := walkPayload(v, false)
	if err != nil {
		return sum, err
	}
	p.Scripts = nil
	b, err := format.Encode(p)
	if err != nil {
		return sum, err
	}
	return sha256.Sum256(b), nil
}
