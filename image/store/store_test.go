package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stasisvm/stasis/image/store"
	"github.com/stasisvm/stasis/image/store/storetest"
)

// kinds opens a fresh store of each kind: files, SQLite, Postgres. The
// location of each is returned so that another process can open it too.
type kind struct {
	name string
	// location returns a location for world name in a fresh store.
	open func(t *testing.T) (location func(name string) string)
}

var kinds = []kind{
	{"files", func(t *testing.T) func(string) string {
		dir := t.TempDir()
		return func(name string) string { return filepath.Join(dir, name) }
	}},
	{"sqlite", func(t *testing.T) func(string) string {
		db := filepath.Join(t.TempDir(), "worlds.db")
		return func(name string) string { return "sqlite:" + db + "#" + name }
	}},
	{"postgres", func(t *testing.T) func(string) string {
		url := storetest.Postgres(t)
		return func(name string) string { return url + "#" + name }
	}},
}

func open(t *testing.T, loc string) (store.Store, string) {
	t.Helper()
	s, name, err := store.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, name
}

// image makes bytes that look like an image file to a files store's List.
func image(s string) []byte { return []byte("\x89STASIS\n" + s) }

func TestStores(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			loc := k.open(t)
			ctx := context.Background()
			t.Run("put get delete", func(t *testing.T) {
				s, name := open(t, loc("a"))
				if _, err := s.Get(ctx, name); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("Get of a new name: %v, want ErrNotFound", err)
				}
				gen, err := s.Put(ctx, name, image("one"), 0)
				if err != nil || gen != 1 {
					t.Fatalf("Put: %d %v", gen, err)
				}
				if _, err := s.Put(ctx, name, image("stale"), 0); !errors.Is(err, store.ErrStale) {
					t.Fatalf("Put with an old generation: %v, want ErrStale", err)
				}
				img, err := s.Get(ctx, name)
				if err != nil || string(img.Data) != string(image("one")) || img.Gen != 1 {
					t.Fatalf("Get: %q gen %d %v", img.Data, img.Gen, err)
				}
				if gen, err = s.Put(ctx, name, image("two"), 1); err != nil || gen != 2 {
					t.Fatalf("second Put: %d %v", gen, err)
				}
				if err := s.Delete(ctx, name, 1); !errors.Is(err, store.ErrStale) {
					t.Fatalf("Delete with an old generation: %v, want ErrStale", err)
				}
				if err := s.Delete(ctx, name, 2); err != nil {
					t.Fatal(err)
				}
				img, err = s.Get(ctx, name)
				if !errors.Is(err, store.ErrNotFound) || img.Gen != 3 {
					t.Fatalf("Get after Delete: gen %d %v, want ErrNotFound at generation 3", img.Gen, err)
				}
				// The generation goes on: a holder from before the delete stays fenced out.
				if _, err := s.Put(ctx, name, image("old holder"), 2); !errors.Is(err, store.ErrStale) {
					t.Fatalf("Put after Delete with the old generation: %v", err)
				}
			})
			t.Run("list", func(t *testing.T) {
				s, _ := open(t, loc("x"))
				_, b := open(t, loc("b"))
				_, c := open(t, loc("c"))
				for _, n := range []string{c, b} {
					if _, err := s.Put(ctx, n, image("world "+n), 0); err != nil {
						t.Fatal(err)
					}
				}
				l, err := s.Lease(ctx, b)
				if err != nil {
					t.Fatal(err)
				}
				defer l.Release()
				es, err := s.List(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, e := range es {
					if e.Name == "b" || e.Name == "c" {
						h := "free"
						if e.Holder != nil {
							h = fmt.Sprint(e.Holder.PID)
						}
						got = append(got, fmt.Sprintf("%s gen %d size %d %s", e.Name, e.Gen, e.Size, h))
					}
				}
				want := []string{fmt.Sprintf("b gen 2 size 15 %d", os.Getpid()), "c gen 1 size 15 free"}
				if strings.Join(got, "; ") != strings.Join(want, "; ") {
					t.Fatalf("List:\n got %q\nwant %q", got, want)
				}
			})
			t.Run("lease", func(t *testing.T) {
				s1, name := open(t, loc("job"))
				s2, _ := open(t, loc("job"))
				l, err := s1.Lease(ctx, name)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := l.Get(ctx); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("Get of a fresh lease: %v", err)
				}
				if err := l.Put(ctx, image("first")); err != nil {
					t.Fatal(err)
				}
				// A second holder, in this process through another store,
				// is refused and told who holds the world.
				_, err = s2.Lease(ctx, name)
				var held *store.HeldError
				if !errors.As(err, &held) || held.Holder.PID != os.Getpid() || held.Holder.Host != store.Me().Host {
					t.Fatalf("second Lease: %v, want a HeldError naming this process", err)
				}
				if !strings.Contains(err.Error(), fmt.Sprintf("pid %d on host %s", os.Getpid(), store.Me().Host)) {
					t.Fatalf("HeldError message %q does not name the holder", err)
				}
				if err := l.Valid(ctx); err != nil {
					t.Fatal(err)
				}
				if err := l.Release(); err != nil {
					t.Fatal(err)
				}
				l2, err := s2.Lease(ctx, name)
				if err != nil {
					t.Fatalf("Lease after Release: %v", err)
				}
				defer l2.Release()
				data, err := l2.Get(ctx)
				if err != nil || string(data) != string(image("first")) {
					t.Fatalf("Get through the new lease: %q %v", data, err)
				}
				// Taking the lease moved the generation on: a write with
				// the old lease's generation is refused (by a files store
				// already because another holds the lock).
				if _, err := s1.Put(ctx, name, image("late"), l.Gen()); !errors.Is(err, store.ErrStale) && !errors.As(err, &held) {
					t.Fatalf("Put with the released lease's generation: %v", err)
				}
				if err := l2.Put(ctx, image("second")); err != nil {
					t.Fatal(err)
				}
				if err := l2.Delete(ctx); err != nil {
					t.Fatal(err)
				}
				if _, err := l2.Get(ctx); !errors.Is(err, store.ErrNotFound) {
					t.Fatalf("Get after Delete: %v", err)
				}
			})
			t.Run("racing leases", func(t *testing.T) {
				// Many stores race for one world: exactly one wins.
				const n = 8
				var wg sync.WaitGroup
				results := make([]error, n)
				leases := make([]*store.Lease, n)
				for i := 0; i < n; i++ {
					s, name := open(t, loc("race"))
					wg.Add(1)
					go func(i int) {
						defer wg.Done()
						leases[i], results[i] = s.Lease(ctx, name)
					}(i)
				}
				wg.Wait()
				won := 0
				for i, err := range results {
					var held *store.HeldError
					switch {
					case err == nil:
						won++
						defer leases[i].Release()
					case errors.As(err, &held):
					default:
						t.Errorf("lease %d: %v", i, err)
					}
				}
				if won != 1 {
					t.Fatalf("%d of %d racing leases won, want 1", won, n)
				}
			})
			t.Run("dead holder", func(t *testing.T) {
				// A process that took the lease and was killed releases the
				// world at once: a file lock dies with its process; a
				// database lease names a pid that is gone from this host.
				s, name := open(t, loc("orphan"))
				holdAndDie(t, loc("orphan"))
				l, err := s.Lease(ctx, name)
				if err != nil {
					t.Fatalf("Lease after the holder died: %v", err)
				}
				defer l.Release()
				if l.Gen() != 2 {
					t.Fatalf("generation %d after two leases, want 2", l.Gen())
				}
			})
		})
	}
}

// holdAndDie runs this test binary as a child that takes the lease of the
// world at loc, says so, and is killed with SIGKILL.
func holdAndDie(t *testing.T, loc string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHolderChild$")
	cmd.Env = append(os.Environ(), "STASIS_STORE_HOLD="+loc)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _ := out.Read(buf)
	if !strings.HasPrefix(string(buf[:n]), "held") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child did not take the lease: %q", buf[:n])
	}
	// While it lives, the world is its.
	s, name := open(t, loc)
	if _, err := s.Lease(context.Background(), name); err == nil {
		t.Fatal("a second process took the lease while the child held it")
	}
	cmd.Process.Kill()
	cmd.Wait()
}

// TestHolderChild is the child of holdAndDie.
func TestHolderChild(t *testing.T) {
	loc := os.Getenv("STASIS_STORE_HOLD")
	if loc == "" {
		t.Skip("run by holdAndDie")
	}
	s, name, err := store.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lease(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	fmt.Println("held")
	select {}
}

func TestOpenLocations(t *testing.T) {
	for _, c := range []struct{ loc, err string }{
		{"sqlite:worlds.db", "name the world after '#'"},
		{"sqlite:worlds.db#", "name the world after '#'"},
		{"sqlite:#job", "no database before '#'"},
		{"postgres://localhost/db", "name the world after '#'"},
		{"", "empty location"},
		{"sqlite:" + filepath.Join("nodir", "w.db") + "#w", "sqlite " + filepath.Join("nodir", "w.db") + ": directory nodir does not exist"},
	} {
		_, _, err := store.Open(context.Background(), c.loc)
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("Open(%q): %v, want %q", c.loc, err, c.err)
		}
	}
	if _, _, err := store.Open(context.Background(), "sqlite:nodir/w.db#w"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a database in a missing directory: %v is not fs.ErrNotExist", err)
	}
	s, name, err := store.Open(context.Background(), filepath.Join("some", "dir", "job.img"))
	if err != nil || name != "job.img" {
		t.Fatalf("file location: %v %q", err, name)
	}
	s.Close()
}

// TestPostgresRefusedIsOneLine: a server that refuses the connection (on
// every address localhost has) is one line of error, each cause once, and
// the driver's error is still there to be found.
func TestPostgresRefusedIsOneLine(t *testing.T) {
	_, _, err := store.Open(context.Background(), "postgres://localhost:1/db?connect_timeout=5#w")
	if err == nil {
		t.Fatal("a connection to port 1 succeeded")
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") || !strings.Contains(msg, "connection refused") ||
		strings.Count(msg, "127.0.0.1:1 (localhost): dial error") > 1 {
		t.Errorf("error %q", msg)
	}
	var ce *pgconn.ConnectError
	if !errors.As(err, &ce) {
		t.Errorf("the driver's error is lost: %T", errors.Unwrap(err))
	}
}
