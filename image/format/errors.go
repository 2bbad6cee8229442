package format

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is on what Read and Decode return.
var (
	ErrNotImage     = errors.New("not a Stasis image")
	ErrTruncated    = errors.New("image is truncated")
	ErrCorrupt      = errors.New("image is corrupt")
	ErrNewerVersion = errors.New("image was written by a newer Stasis")
	ErrLimit        = errors.New("image is over a load limit")
)

// Error is an image that cannot be read: its Error says what is wrong, and
// it wraps one of the sentinel errors.
type Error struct {
	Kind   error  // ErrNotImage, ErrTruncated, ErrCorrupt, ErrNewerVersion or ErrLimit
	Detail string // what exactly, for people
	// Limit names the field of Limits that an ErrLimit error is over
	// ("Payload", "Objects", "StringBytes", "BufferBytes"); empty for an
	// image over a bound no option raises.
	Limit string
}

// Error says what is wrong with the image, for people.
func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Kind.Error()
	}
	return e.Kind.Error() + ": " + e.Detail
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Kind }

func formatErr(kind error, detail string) error { return &Error{Kind: kind, Detail: detail} }

// Corruptf is an ErrCorrupt error with a formatted detail.
func Corruptf(format string, args ...any) error {
	return &Error{Kind: ErrCorrupt, Detail: fmt.Sprintf(format, args...)}
}

func limitErr(limit, format string, args ...any) error {
	return &Error{Kind: ErrLimit, Detail: fmt.Sprintf(format, args...), Limit: limit}
}
