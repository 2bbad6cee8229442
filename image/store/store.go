// Package store keeps the images of durable worlds: in files (the default,
// no server), in an SQLite database file, or in Postgres, where many
// machines can share them.
//
// A store holds worlds by name. Each world has an image (the bytes of an
// image file) and a generation, a counter that only grows: every Put and
// every Delete names the generation it expects and fails with ErrStale when
// the world has moved on. That is the fence that keeps a stalled process
// from overwriting a newer checkpoint.
//
// A world is run by one process at a time: Lease gives the caller the
// world, naming it (host and pid) as the holder, and bumps the generation so
// that whoever held it before is fenced out. A second Lease fails with a
// *HeldError that names the holder. A holder that dies releases the world:
//
//   - Files: the lease is an OS file lock on NAME.lock beside the image,
//     which the kernel drops when the process dies. A stalled process keeps
//     its lock, so nobody takes the world from it.
//   - SQLite and Postgres: the lease is a row naming the holder's host, pid
//     and process identity, valid for LeaseTTL after it was taken or
//     renewed. A lease whose holder is gone from the same host is taken over
//     at once; any other lease once it has expired. No heartbeats run: the
//     holder renews its lease when it writes, and (Lease.Valid) before it
//     does anything after a quiet spell; a holder that finds its lease
//     taken stops.
//
// Open parses a location (a file path, "sqlite:FILE#NAME" or
// "postgres://...#NAME") into a store and the name of a world in it.
package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// LeaseTTL is how long a database lease lasts after it was taken, renewed
// or written through: a holder that vanished from another host without a
// trace is replaced at most this long after its last sign of life.
const LeaseTTL = 10 * time.Second

// Errors a store returns; test them with errors.Is.
var (
	// ErrNotFound: the store holds no world by that name.
	ErrNotFound = errors.New("no world by that name")
	// ErrStale: the world's generation is not the one the caller expected
	// (another process has written or leased it since).
	ErrStale = errors.New("the world has a newer generation (another process took it over)")
	// ErrLost: a lease was taken over by another process.
	ErrLost = errors.New("lease lost: another process took the world over")
)

// Holder names a process that holds (or held) a world's lease.
type Holder struct {
	Host string // os.Hostname
	PID  int    // its process id on Host
	// Process tells this process apart from an earlier one with the same
	// pid (on Linux: the boot id and the process's start time); empty when
	// the platform has no such notion.
	Process string
}

// String reads "pid 123 on host example".
func (h Holder) String() string {
	return fmt.Sprintf("pid %d on host %s", h.PID, h.Host)
}

// Me is the Holder that describes the calling process.
func Me() Holder {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	return Holder{Host: host, PID: os.Getpid(), Process: processIdentity(os.Getpid())}
}

// HeldError is returned by Lease when another live process holds the world.
type HeldError struct {
	Name   string // the world's name in its store
	Holder Holder // who holds it
}

// Error reads "world NAME is held by pid 123 on host example".
func (e *HeldError) Error() string {
	return fmt.Sprintf("world %s is held by %s", e.Name, e.Holder)
}

// Image is a stored world.
type Image struct {
	Data []byte // the image's bytes
	Gen  int64  // its generation: each holder and each write bump it
}

// Entry describes a world in a store, for List.
type Entry struct {
	Name string // the world's name in the store
	Gen  int64  // the generation of its image
	Size int64  // the image's bytes
	// Holder is the process holding the world's lease, if any is recorded
	// (a database lease that has expired is still listed).
	Holder *Holder
}

// Store keeps images of worlds by name. Implementations are safe for
// concurrent use.
type Store interface {
	// Get returns the world called name. If there is none it returns
	// ErrNotFound, with the world's generation in Image.Gen (0 for a name
	// never used), so that a Put can follow.
	Get(ctx context.Context, name string) (Image, error)
	// Put stores data as the world called name if the world's generation is
	// expect (0 for a world never stored or leased), and returns the new
	// generation. Otherwise it returns ErrStale and changes nothing. A Put
	// is atomic: a crash leaves the old image or the new one.
	Put(ctx context.Context, name string, data []byte, expect int64) (int64, error)
	// Delete removes the world called name if its generation is expect, and
	// moves the generation on (to expect+1) as a Put does, so that a stale
	// holder stays fenced out; ErrStale otherwise.
	Delete(ctx context.Context, name string, expect int64) error
	// List returns the worlds in the store, by name.
	List(ctx context.Context) ([]Entry, error)
	// Lease makes the calling process the one holder of the world called
	// name (which need not exist yet) and bumps its generation. It returns a
	// *HeldError if a live process holds it.
	Lease(ctx context.Context, name string) (*Lease, error)
	// Close releases the store's resources (not its leases' worlds: release
	// those first).
	Close() error
}

// Lease is the right to run one world. Its methods read and write the world
// with the lease's generation, so a lease that was taken over fails with
// ErrStale or ErrLost instead of overwriting a newer image.
type Lease struct {
	Name   string // the world's name in its store
	Holder Holder // this process
	st     Store
	gen    int64
	// deadline is when the lease lapses unless renewed, by this process's
	// clock; zero for a lease that lasts as long as the process (files).
	deadline time.Time
	renew    func(ctx context.Context, gen int64) error
	release  func(gen int64) error
	released bool
}

// Gen returns the generation the lease's next write expects.
func (l *Lease) Gen() int64 { return l.gen }

// Get returns the leased world's image; ErrNotFound if it holds none yet.
func (l *Lease) Get(ctx context.Context) ([]byte, error) {
	img, err := l.st.Get(ctx, l.Name)
	if err != nil {
		return nil, err
	}
	if img.Gen != l.gen {
		return nil, fmt.Errorf("%s: %w", l.Name, ErrLost)
	}
	return img.Data, nil
}

// Put stores data as the leased world (and renews a database lease).
func (l *Lease) Put(ctx context.Context, data []byte) error {
	start := time.Now()
	gen, err := l.st.Put(ctx, l.Name, data, l.gen)
	if err != nil {
		return l.lost(err)
	}
	l.gen = gen
	l.extend(start)
	return nil
}

// Delete removes the leased world's image; the lease stays held.
func (l *Lease) Delete(ctx context.Context) error {
	if err := l.st.Delete(ctx, l.Name, l.gen); err != nil {
		return l.lost(err)
	}
	l.gen++
	return nil
}

// Valid makes sure the lease is still held before the holder acts on the
// world: a database lease within half its time of lapsing is renewed (one
// round trip); a lease taken over returns ErrLost. It costs nothing while
// the lease is fresh, and nothing at all for files.
func (l *Lease) Valid(ctx context.Context) error {
	if l.released {
		return fmt.Errorf("%s: lease already released", l.Name)
	}
	if l.deadline.IsZero() || time.Until(l.deadline) > LeaseTTL/2 {
		return nil
	}
	return l.Renew(ctx)
}

// Renew extends a database lease by LeaseTTL from now; ErrLost if another
// process has taken it.
func (l *Lease) Renew(ctx context.Context) error {
	if l.renew == nil {
		return nil
	}
	start := time.Now()
	if err := l.renew(ctx, l.gen); err != nil {
		return l.lost(err)
	}
	l.extend(start)
	return nil
}

func (l *Lease) extend(start time.Time) {
	if !l.deadline.IsZero() {
		// The store measured the lease from a moment after start.
		l.deadline = start.Add(LeaseTTL)
	}
}

func (l *Lease) lost(err error) error {
	if errors.Is(err, ErrStale) {
		return fmt.Errorf("%s: %w", l.Name, ErrLost)
	}
	return err
}

// Release gives the world up. Releasing twice does nothing.
func (l *Lease) Release() error {
	if l.released {
		return nil
	}
	l.released = true
	return l.release(l.gen)
}

// Open opens the store a location names and returns it with the world's
// name in it:
//
//	PATH                     an image file (a files store in PATH's directory)
//	sqlite:FILE#NAME         world NAME in the SQLite database FILE (made if missing)
//	postgres://...#NAME      world NAME in a Postgres database (also postgresql://)
func Open(ctx context.Context, location string) (Store, string, error) {
	switch {
	case strings.HasPrefix(location, "sqlite:"):
		file, name, err := splitName(location, strings.TrimPrefix(location, "sqlite:"))
		if err != nil {
			return nil, "", err
		}
		s, err := OpenSQLite(ctx, file)
		return s, name, err
	case strings.HasPrefix(location, "postgres://"), strings.HasPrefix(location, "postgresql://"):
		url, name, err := splitName(location, location)
		if err != nil {
			return nil, "", err
		}
		s, err := OpenPostgres(ctx, url)
		return s, name, err
	case location == "":
		return nil, "", errors.New("empty location")
	default:
		s, name := FilesFor(location)
		return s, name, nil
	}
}

// IsFile reports whether a location is a plain image file path.
func IsFile(location string) bool {
	return !strings.HasPrefix(location, "sqlite:") && !strings.HasPrefix(location, "postgres://") &&
		!strings.HasPrefix(location, "postgresql://")
}

func splitName(location, rest string) (string, string, error) {
	i := strings.LastIndexByte(rest, '#')
	if i < 0 || i == len(rest)-1 {
		return "", "", fmt.Errorf("location %s: name the world after '#' (as in sqlite:worlds.db#job)", location)
	}
	if i == 0 {
		return "", "", fmt.Errorf("location %s: no database before '#'", location)
	}
	return rest[:i], rest[i+1:], nil
}
