package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/stasisvm/stasis/image"
)

// limitFlags raise or lower what loading an image accepts, for every
// command that loads one (and for bundles, through $STASIS_OPTIONS). The
// defaults (image.Limits) admit a world of a few GB; an image over one is
// refused with one line that names the flag to raise.
type limitFlags struct {
	MaxImageSize  string `name:"max-image-size" placeholder:"SIZE" help:"Load no image whose data unpacks to more than SIZE bytes (default 512M; K, M, G and T multiply by 1024)."`
	MaxObjects    string `name:"max-objects" placeholder:"N" help:"Load no image of more than N objects, or N records of any other kind (default 16M)."`
	MaxStringSize string `name:"max-string-size" placeholder:"SIZE" help:"Load no image whose strings and scripts together hold more than SIZE bytes (default 512M)."`
	MaxBufferSize string `name:"max-buffer-size" placeholder:"SIZE" help:"Load no image whose ArrayBuffers together hold more than SIZE bytes (default 512M)."`
}

// limitFlagNames names the flag of each field of image.Limits.
var limitFlagNames = map[string]string{
	"Payload": "--max-image-size", "Objects": "--max-objects",
	"StringBytes": "--max-string-size", "BufferBytes": "--max-buffer-size",
}

// merge returns f with the flags of o that f does not set.
func (f limitFlags) merge(o limitFlags) limitFlags {
	pick := func(a, b string) string {
		if a != "" {
			return a
		}
		return b
	}
	return limitFlags{pick(f.MaxImageSize, o.MaxImageSize), pick(f.MaxObjects, o.MaxObjects),
		pick(f.MaxStringSize, o.MaxStringSize), pick(f.MaxBufferSize, o.MaxBufferSize)}
}

// limits returns the limits f asks for (zero fields: the defaults).
func (f limitFlags) limits() (image.Limits, error) {
	var lim image.Limits
	for _, x := range []struct {
		flag, value string
		set         func(uint64)
	}{
		{"--max-image-size", f.MaxImageSize, func(n uint64) { lim.Payload = n }},
		{"--max-objects", f.MaxObjects, func(n uint64) { lim.Objects = int(min(n, 1<<62)) }},
		{"--max-string-size", f.MaxStringSize, func(n uint64) { lim.StringBytes = n }},
		{"--max-buffer-size", f.MaxBufferSize, func(n uint64) { lim.BufferBytes = n }},
	} {
		if x.value == "" {
			continue
		}
		n, err := parseSize(x.value)
		if err != nil {
			return lim, fmt.Errorf("%s=%s: %v", x.flag, x.value, err)
		}
		x.set(n)
	}
	return lim, nil
}

// parseSize reads a positive number, optionally followed by K, M, G or T
// (times 1024, 1024², ...) and an optional B or iB: "512M", "2GB", "1000".
func parseSize(s string) (uint64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "I")
	shift := 0
	if t != "" {
		if i := strings.IndexByte("KMGT", t[len(t)-1]); i >= 0 {
			shift = 10 * (i + 1)
			t = t[:len(t)-1]
		}
	}
	n, err := strconv.ParseUint(t, 10, 64)
	if err != nil || n == 0 {
		return 0, errors.New("not a size (a positive number, such as 1000, 512M or 2G)")
	}
	if n > (1<<63)>>shift {
		return 0, errors.New("too large")
	}
	return n << shift, nil
}

// limitHint adds to an error about a load limit the flag that raises it.
func limitHint(err error) error {
	var fe *image.FormatError
	if errors.As(err, &fe) && fe.Limit != "" {
		if flag, ok := limitFlagNames[fe.Limit]; ok {
			return fmt.Errorf("%w (%s raises it, also in $%s)", err, flag, optionsEnv)
		}
	}
	return err
}

// limit sets the load limits of the images e loads, from the command line
// f and $STASIS_OPTIONS (the command line first).
func (e *env) limit(f limitFlags) error {
	_, fromEnv, err := parseOptionsEnv(os.Getenv(optionsEnv))
	if err != nil {
		return err
	}
	lim, err := f.merge(fromEnv).limits()
	if err != nil {
		return err
	}
	e.limits = lim
	return nil
}
