package format

import (
	"errors"
	"fmt"
	"strings"
)

// Versions of the format, and what a reader does with each.
//
// The major version changes when an older reader would misread an image:
// a field, code or position that means something else, a section removed.
// A reader refuses an image of a newer major version from its header
// alone: "image was written by a newer Stasis: format 3.0; this build
// reads format 2.0 and older".
//
// The minor version changes for additions: a section appended to the
// payload, a new object kind, a new value of a field that readers check.
// A reader
//   - reads every older version it knows (sectionsIn): a section that an
//     older image does not have is read as empty;
//   - reads an image of a newer minor version as far as it can: sections
//     past the ones it knows are skipped when they are empty, and anything
//     else it does not know (a section that is not empty, an object kind,
//     a code) is refused as ErrNewerVersion, saying both versions, rather
//     than as a corrupt image.
//
// To add a section: append its field to Payload, raise numSections (scan.go)
// and Minor, append the new count to sectionsByMinor, name it in
// sectionNames, check it in check.go, write it empty (nil) when a world
// does not use it, describe it in docs/FORMAT.md, and refresh the fuzz
// seeds (STASIS_WRITE_FUZZ_SEEDS=1 go test -run TestWriteFuzzSeeds ./image).

// Version is a format version, as an image's header holds it.
type Version struct {
	// Major changes when an older reader would misread the image.
	Major uint16
	// Minor changes for additions an older reader skips or refuses cleanly.
	Minor uint16
}

// String is "major.minor".
func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// Current is the version this build writes.
var Current = Version{Major, Minor}

// sectionsByMinor is the number of payload sections of each minor version
// of the current major version.
var sectionsByMinor = [Minor + 1]int{19, 20}

// sectionsIn returns the fewest and the most sections a payload of version
// v may have, and whether this build reads v at all. Format 1 (images of
// Stasis builds before format 2.0) had 18 sections until tagged templates
// added the 19th without a version change; otherwise its payload is
// format 2.0's.
func sectionsIn(v Version) (lo, hi int, ok bool) {
	switch {
	case v.Major == 1:
		return 18, 19, true
	case v.Major != Major:
		return 0, 0, false
	case v.Minor <= Minor:
		n := sectionsByMinor[v.Minor]
		return n, n, true
	default:
		// A newer minor version: more sections than this build knows,
		// which must be empty to be skipped.
		return numSections, int(^uint(0) >> 1), true
	}
}

// newer reports whether v is a later version than this build's.
func (v Version) newer() bool {
	return v.Major > Major || v.Major == Major && v.Minor > Minor
}

// newerErr is the error for an image of version v, newer than this
// build's, that this build cannot read (detail: what it met, or "").
func newerErr(v Version, detail string) error {
	msg := fmt.Sprintf("format %s; this build reads format %s and older", v, Current)
	if detail != "" {
		msg += " (" + detail + ")"
	}
	return formatErr(ErrNewerVersion, msg)
}

// AsNewer returns err for an image of version v: when v is newer than this
// build's version and err says the image is corrupt, the likelier cause is
// something the newer format added, and the error says so (ErrNewerVersion,
// naming both versions); otherwise err itself.
func AsNewer(v Version, err error) error {
	if err == nil || !v.newer() || !errors.Is(err, ErrCorrupt) {
		return err
	}
	detail := strings.TrimPrefix(err.Error(), ErrCorrupt.Error()+": ")
	var fe *Error
	if errors.As(err, &fe) && fe.Kind == ErrCorrupt {
		detail = fe.Detail
	}
	return newerErr(v, detail)
}
