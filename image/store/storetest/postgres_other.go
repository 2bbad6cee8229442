//go:build !unix

package storetest

import "testing"

// Postgres skips the test: the server is started on a unix socket, as an
// unprivileged user, which only unix systems have.
func Postgres(t testing.TB) string {
	t.Helper()
	t.Skip("the Postgres tests run on unix systems only")
	return ""
}
