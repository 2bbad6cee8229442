//go:build !linux

package format

// prefault does nothing here (see prefault_linux.go).
func prefault([]byte) {}
