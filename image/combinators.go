package image

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"fmt"
	"strings"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// Promise.all, allSettled, any and Promise.prototype.finally in flight.
// goja's versions add reactions whose handlers are Go closures holding the
// combinator's state; a world made by NewWorld replaces them, before its
// built-ins are recorded, with the JavaScript versions in combinators.js,
// whose reactions are closures like any other. (Promise.race needs no
// replacement: its handlers are the result promise's resolving functions.)

//go:embed combinators.js
var combinatorsSource string

// builtinScriptPrefix starts the names of the scripts a world compiles for
// itself before user code runs. Such a script is in every world of this
// build, so a loader reuses the world's own copy when the image's source is
// the same instead of adding a second one.
const builtinScriptPrefix = "<stasis:"

const combinatorsName = builtinScriptPrefix + "promise-combinators>"

// hookCombinators installs the JavaScript promise combinators.
func hookCombinators(v *vm.VM) error {
	c, err := programCache.compile(combinatorsName, combinatorsSource, false, 0)
	if err != nil {
		return fmt.Errorf("promise combinators: %w", err)
	}
	v.Scripts().Insert(combinatorsName, combinatorsSource, false, c.prg)
	rt := v.Runtime()
	installer, err := v.RunProgram(c.prg)
	if err != nil {
		return fmt.Errorf("promise combinators: %w", err)
	}
	object := rt.Get("Object").ToObject(rt)
	symbol := rt.Get("Symbol").ToObject(rt)
	_, err = v.Call(installer, goja.Undefined(), rt.Get("Promise"), rt.Get("TypeError"), rt.Get("AggregateError"),
		symbol.Get("species"), object.Get("defineProperty"))
	if err != nil {
		return fmt.Errorf("promise combinators: %w", err)
	}
	return nil
}

// builtinScript returns v's built-in script with the given name, digest
// and strictness, or nil.
func builtinScript(v *vm.VM, name string, digest []byte, strict bool) *vm.Script {
	if !strings.HasPrefix(name, builtinScriptPrefix) {
		return nil
	}
	for _, s := range v.Scripts().All() {
		if s.Name == name && s.Strict == strict && bytes.Equal(sourceDigest(s.Source), digest) {
			return s
		}
	}
	return nil
}

// sourceDigest identifies a built-in script's source in an image.
func sourceDigest(src string) []byte {
	d := sha256.Sum256([]byte(src))
	return d[:]
}
