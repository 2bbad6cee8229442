package image

import "errors"

// Sentinel errors, for errors.Is on what Load and ReadContainer return.
var (
	ErrNotImage     = errors.New("not a Stasis image")
	ErrTruncated    = errors.New("image is truncated")
	ErrCorrupt      = errors.New("image is corrupt")
	ErrNewerVersion = errors.New("image was written by a newer Stasis")
)

// FormatError is an image that cannot be read: its Error says what is
// wrong, and it wraps one of the sentinel errors.
type FormatError struct {
	Kind   error  // ErrNotImage, ErrTruncated, ErrCorrupt or ErrNewerVersion
	Detail string // what exactly, for people
}

// Error says what is wrong with the image, for people.
func (e *FormatError) Error() string {
	if e.Detail == "" {
		return e.Kind.Error()
	}
	return e.Kind.Error() + ": " + e.Detail
}

// Unwrap returns the sentinel error.
func (e *FormatError) Unwrap() error { return e.Kind }

func formatErr(kind error, detail string) error { return &FormatError{Kind: kind, Detail: detail} }
