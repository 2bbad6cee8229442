package main

import (
	"io"
	"os"
)

// colorful reports whether values printed to w may use ANSI colors: w is a
// terminal and NO_COLOR is not set (https://no-color.org).
func colorful(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
