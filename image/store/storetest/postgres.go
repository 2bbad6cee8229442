//go:build unix

// Package storetest starts what the store tests need: a real Postgres
// server of the machine's own, in a temporary directory, listening only on
// a unix socket there.
package storetest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgBin finds the directory of initdb and postgres: the newest of Debian's
// /usr/lib/postgresql/*/bin, else PATH.
func pgBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "postgres")); err == nil {
			return d, nil
		}
	}
	p, err := exec.LookPath("postgres")
	if err != nil {
		return "", fmt.Errorf("no Postgres server: neither /usr/lib/postgresql/*/bin/postgres nor postgres on PATH (apt-get install postgresql)")
	}
	return filepath.Dir(p), nil
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// Postgres starts a Postgres server for the test and returns the URL of its
// database (no world name). The server is stopped and its files removed
// when the test ends. Without a server installed the test is skipped, or
// fails when CI=true. initdb and postgres refuse to run as root: as root,
// the server runs as the user postgres (or nobody).
func Postgres(t testing.TB) string {
	t.Helper()
	bin, err := pgBin()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Postgres tests: %v", err)
		}
		t.Skipf("skipping the Postgres tests: %v", err)
	}
	dir, err := os.MkdirTemp("", "stasis-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		cred, err = unprivileged()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	logf := filepath.Join(dir, "server.log")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "stasis", "--auth=trust",
		"-E", "UTF8", "--no-sync", "--no-instructions")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	log, err := os.Create(logf)
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	if cred != nil {
		_ = log.Chown(int(cred.Uid), int(cred.Gid))
	}
	srv := exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", dir, "-c", "listen_addresses=",
		"-c", "fsync=off", "-c", "max_connections=50", "-c", "shared_buffers=16MB")
	srv.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
	srv.Stdout, srv.Stderr, srv.Dir = log, log, dir
	if err := srv.Start(); err != nil {
		t.Fatalf("start postgres: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	t.Cleanup(func() {
		// SIGINT is Postgres's fast shutdown; SIGKILL if it does not stop.
		_ = srv.Process.Signal(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = syscall.Kill(-srv.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	url := "postgres:///postgres?host=" + dir + "&user=stasis&sslmode=disable"
	// Wait for the server to accept connections (bounded, never asserted).
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, err := pgx.Connect(ctx, url)
		cancel()
		if err == nil {
			c.Close(context.Background())
			return url
		}
		select {
		case werr := <-exited:
			b, _ := os.ReadFile(logf)
			t.Fatalf("postgres exited: %v\n%s", werr, b)
		default:
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logf)
			t.Fatalf("postgres did not start: %v\n%s", err, strings.TrimSpace(string(b)))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// unprivileged returns the credentials of the user postgres, or of nobody.
func unprivileged() (*syscall.Credential, error) {
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.Atoi(u.Uid)
		gid, err2 := strconv.Atoi(u.Gid)
		if err1 == nil && err2 == nil {
			return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
		}
	}
	return nil, fmt.Errorf("running as root, and neither the user postgres nor nobody exists to run the Postgres server as")
}
