// Package image saves a Stasis world to an image and loads it back.
//
// An image is a header, metadata and a compressed payload of CBOR sections
// (see docs/FORMAT.md and the package image/format for the byte layout). Save walks the
// world from its roots (the global object's changes, the global lexical
// bindings, the VM's hooks, native plugins' records) and writes every object
// once; Load builds a fresh VM and rebuilds the same graph in it, or fails
// without yielding a half-built world.
//
// Worlds that may be saved must be made with NewWorld (or loaded with Load):
// it records the pristine state of the built-ins before any user code runs,
// so that a save can tell which built-in objects the world changed.
package image

import (
	"time"

	"github.com/stasisvm/stasis/image/format"

	"github.com/stasisvm/stasis/vm"
)

// SaveOptions control Save.
type SaveOptions struct {
	// Created is the creation time recorded in the metadata. Zero means now,
	// or SOURCE_DATE_EPOCH when that is set in the environment.
	Created time.Time
}

// LoadOptions control Load.
type LoadOptions struct {
	// VM are the options of the VM that Load builds (output streams, args).
	VM vm.Options
	// Limits bound what the image may hold (payload size, objects, string
	// and buffer bytes); an image over a limit is refused before memory is
	// allocated for it. Zero fields mean the defaults (see format.Limits).
	Limits format.Limits
}
