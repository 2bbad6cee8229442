package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stasisvm/stasis/image/store"
	"github.com/stasisvm/stasis/image/store/storetest"
	_ "modernc.org/sqlite"
)

// TestDatabaseLeaseExpiry plays a holder on another host, whose pid this
// host cannot check, by rewriting its lease row: while the lease runs the
// world is refused; once it has expired it is taken over, and the old
// holder, stalled meanwhile, can neither renew nor write.
func TestDatabaseLeaseExpiry(t *testing.T) {
	for _, c := range []struct {
		name string
		open func(t *testing.T) (loc string, raw *sql.DB, param func(string) string)
	}{
		{"sqlite", func(t *testing.T) (string, *sql.DB, func(string) string) {
			db := filepath.Join(t.TempDir(), "w.db")
			raw, err := sql.Open("sqlite", db)
			if err != nil {
				t.Fatal(err)
			}
			return "sqlite:" + db + "#job", raw, func(q string) string { return q }
		}},
		{"postgres", func(t *testing.T) (string, *sql.DB, func(string) string) {
			url := storetest.Postgres(t)
			raw := stdlib.OpenDB(*mustConfig(t, url))
			return url + "#job", raw, func(q string) string { return strings.ReplaceAll(q, "?", "$1") }
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			loc, raw, param := c.open(t)
			defer raw.Close()
			a, name := open(t, loc)
			b, _ := open(t, loc)
			la, err := a.Lease(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			if err := la.Put(ctx, image("by a")); err != nil {
				t.Fatal(err)
			}
			exec := func(q string) {
				t.Helper()
				if _, err := raw.ExecContext(ctx, param(q), name); err != nil {
					t.Fatal(err)
				}
			}
			// The holder is on another host: its pid means nothing here.
			exec(`UPDATE stasis_worlds SET holder_host = 'elsewhere', holder_pid = 1 WHERE name = ?`)
			_, err = b.Lease(ctx, name)
			var held *store.HeldError
			if !errors.As(err, &held) || held.Holder.Host != "elsewhere" {
				t.Fatalf("Lease of a live lease on another host: %v", err)
			}
			// Its lease expires.
			exec(`UPDATE stasis_worlds SET expires = 0 WHERE name = ?`)
			lb, err := b.Lease(ctx, name)
			if err != nil {
				t.Fatalf("Lease after expiry: %v", err)
			}
			defer lb.Release()
			if err := lb.Put(ctx, image("by b")); err != nil {
				t.Fatal(err)
			}
			// The old holder wakes up: it cannot write or renew.
			if err := la.Put(ctx, image("stale")); !errors.Is(err, store.ErrLost) {
				t.Fatalf("Put by the stalled holder: %v, want ErrLost", err)
			}
			if err := la.Renew(ctx); !errors.Is(err, store.ErrLost) {
				t.Fatalf("Renew by the stalled holder: %v, want ErrLost", err)
			}
			img, err := b.Get(ctx, name)
			if err != nil || string(img.Data) != string(image("by b")) {
				t.Fatalf("the world after the stalled write: %q %v", img.Data, err)
			}
		})
	}
}

func mustConfig(t *testing.T, url string) *pgx.ConnConfig {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
