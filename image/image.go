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
//
// The functions, by task (package stasis wraps the common ones):
//   - Saving: Save writes to an io.Writer, SaveFile to a file atomically,
//     SaveLocation to a file or a database location. None runs JavaScript;
//     Checkpoint and CheckpointLocation first run the world's stasis.onSave
//     hooks (RunSaveHooks), as every save a world asks for does.
//     AttachSaver makes stasis.saveImage work in a world.
//   - Loading: Load reads from an io.Reader, LoadFile from a file or a
//     bundle, LoadLocation from a file or a database. Loading runs nothing;
//     Resume then runs the resume hooks (RunResumeHooks: plugins rebind,
//     stasis.onResume hooks run) and main (RunMain).
//   - Looking: Inspect and Summarize describe an image without loading it;
//     ReadContainer and CheckCompatible read and vet its metadata.
//   - Bundles: WriteBundle appends an image to an executable; OpenBundle and
//     BundledImage find it again.
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
	// CompileSource ignores the compiled code an image holds and compiles
	// every script from its source, as images without stored code are
	// loaded (and as a build of another goja or Go version loads any).
	// The world behaves the same either way; this is for those who trust
	// an image's sources but not its code, or who suspect the code.
	CompileSource bool
}
