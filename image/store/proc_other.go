//go:build !linux

package store

// processIdentity is unknown outside Linux: a reused pid is taken for the
// holder, whose lease is then taken over only when it expires.
func processIdentity(pid int) string { return "" }
