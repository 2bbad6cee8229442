package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// How the tests run programs: the stasis binary (stasisBinary), a bundle
// it wrote, node (nodeBinary). Every run goes through proc.run.

// proc says how a test runs a program: in which directory, with what on
// its standard input (nothing when empty) and which variables added to
// the test's own environment.
type proc struct {
	dir   string
	stdin string
	env   []string
}

// run runs exe with args and returns its exit status and what it printed
// on each stream. Only a program that cannot be started fails the test.
func (p proc) run(t testing.TB, exe string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Dir = p.dir
	if len(p.env) > 0 {
		cmd.Env = append(os.Environ(), p.env...)
	}
	if p.stdin != "" {
		cmd.Stdin = strings.NewReader(p.stdin)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		status = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v", exe, err)
	}
	return status, out.String(), errOut.String()
}

// mustRun runs exe as run does and returns its stdout; a non-zero exit
// status fails the test.
func (p proc) mustRun(t testing.TB, exe string, args ...string) string {
	t.Helper()
	status, stdout, stderr := p.run(t, exe, args...)
	if status != 0 {
		t.Fatalf("%s %s: exit status %d\n%s", exe, strings.Join(args, " "), status, stderr)
	}
	return stdout
}

// runStatus runs the built stasis command in dir and returns its status
// and streams.
func runStatus(t testing.TB, dir string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	return proc{dir: dir}.run(t, stasisBinary(t), args...)
}

// runBinary runs the built stasis command in dir and returns its stdout;
// a non-zero status fails the test.
func runBinary(t testing.TB, dir string, args ...string) string {
	t.Helper()
	return proc{dir: dir}.mustRun(t, stasisBinary(t), args...)
}

// nodeBinary returns the path of node, which these tests compare Stasis
// with; the test is skipped where node is not installed.
func nodeBinary(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	return p
}

// runNode runs node with args in dir and returns its status and streams.
func runNode(t testing.TB, dir string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	return proc{dir: dir}.run(t, nodeBinary(t), args...)
}
