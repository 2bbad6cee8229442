package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// sqlStore is a store in an SQL database: one table, stasis_worlds, with a
// row per world name. A row whose image is NULL is a name whose world was
// removed (or never stored) but whose generation goes on.
//
//	name           the world's name (primary key)
//	gen            the generation: bumped by every Put, Delete and Lease
//	image          the image's bytes, or NULL
//	holder_host    the lease holder's host name, or NULL when nobody holds it
//	holder_pid     its pid
//	holder_process its process identity (see Holder.Process)
//	expires        when the lease lapses, in Unix milliseconds by the database's clock
//
// Every statement is a single conditional UPDATE or INSERT, so the
// generation check and the write are one atomic step in both databases.
type sqlStore struct {
	db   *sql.DB
	what string // "sqlite FILE" or "postgres", for messages
	d    dialect
}

// dialect is what differs between SQLite and Postgres.
type dialect struct {
	blob string // the column type of an image
	now  string // an expression for the current Unix time in milliseconds
	// rebind turns ? placeholders into the dialect's.
	rebind func(string) string
}

func (s *sqlStore) q(query string) string {
	query = strings.ReplaceAll(query, "NOW()", s.d.now)
	if s.d.rebind != nil {
		query = s.d.rebind(query)
	}
	return query
}

func dollarPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *sqlStore) schema() string {
	return `CREATE TABLE IF NOT EXISTS stasis_worlds (
	name TEXT PRIMARY KEY,
	gen BIGINT NOT NULL,
	image ` + s.d.blob + `,
	holder_host TEXT,
	holder_pid BIGINT,
	holder_process TEXT,
	expires BIGINT
)`
}

func (s *sqlStore) ensureRow(ctx context.Context, name string) error {
	if name == "" {
		return errors.New("empty world name")
	}
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO stasis_worlds (name, gen) VALUES (?, 0) ON CONFLICT (name) DO NOTHING`), name)
	if err != nil {
		return fmt.Errorf("%s: %w", s.what, err)
	}
	return nil
}

// Get implements Store.
func (s *sqlStore) Get(ctx context.Context, name string) (Image, error) {
	var img Image
	err := s.db.QueryRowContext(ctx, s.q(`SELECT gen, image FROM stasis_worlds WHERE name = ?`), name).Scan(&img.Gen, &img.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return Image{}, fmt.Errorf("%s: world %s: %w", s.what, name, ErrNotFound)
	}
	if err != nil {
		return Image{}, fmt.Errorf("%s: world %s: %w", s.what, name, err)
	}
	if img.Data == nil {
		return img, fmt.Errorf("%s: world %s: %w", s.what, name, ErrNotFound)
	}
	return img, nil
}

// update runs a conditional UPDATE and returns ErrStale when it matched no row.
func (s *sqlStore) update(ctx context.Context, name, query string, args ...any) error {
	res, err := s.db.ExecContext(ctx, s.q(query), args...)
	if err != nil {
		return fmt.Errorf("%s: world %s: %w", s.what, name, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: world %s: %w", s.what, name, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: world %s: %w", s.what, name, ErrStale)
	}
	return nil
}

// Put implements Store. A Put renews the lease of the world's holder.
func (s *sqlStore) Put(ctx context.Context, name string, data []byte, expect int64) (int64, error) {
	if err := s.ensureRow(ctx, name); err != nil {
		return 0, err
	}
	if data == nil {
		data = []byte{}
	}
	err := s.update(ctx, name, `UPDATE stasis_worlds SET image = ?, gen = gen + 1,
		expires = CASE WHEN holder_host IS NULL THEN NULL ELSE NOW() + ? END
		WHERE name = ? AND gen = ?`, data, LeaseTTL.Milliseconds(), name, expect)
	if err != nil {
		return 0, err
	}
	return expect + 1, nil
}

// Delete implements Store.
func (s *sqlStore) Delete(ctx context.Context, name string, expect int64) error {
	return s.update(ctx, name, `UPDATE stasis_worlds SET image = NULL, gen = gen + 1 WHERE name = ? AND gen = ?`, name, expect)
}

// List implements Store.
func (s *sqlStore) List(ctx context.Context) ([]Entry, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT name, gen, length(image), holder_host, holder_pid, holder_process
		FROM stasis_worlds WHERE image IS NOT NULL ORDER BY name`))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.what, err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var host, proc sql.NullString
		var pid sql.NullInt64
		if err := rows.Scan(&e.Name, &e.Gen, &e.Size, &host, &pid, &proc); err != nil {
			return nil, fmt.Errorf("%s: %w", s.what, err)
		}
		if host.Valid {
			e.Holder = &Holder{Host: host.String, PID: int(pid.Int64), Process: proc.String}
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", s.what, err)
	}
	return out, nil
}

// Lease implements Store. The lease is free when nobody holds it, when it
// has expired, or when its holder is on this host and has ended; taking it
// is a conditional UPDATE on the generation read, so of two processes that
// race for it, one wins and the other sees the winner.
func (s *sqlStore) Lease(ctx context.Context, name string) (*Lease, error) {
	if err := s.ensureRow(ctx, name); err != nil {
		return nil, err
	}
	me := Me()
	for attempt := 0; ; attempt++ {
		var gen int64
		var host, proc sql.NullString
		var pid, expires sql.NullInt64
		var now int64
		err := s.db.QueryRowContext(ctx, s.q(`SELECT gen, holder_host, holder_pid, holder_process, expires, NOW()
			FROM stasis_worlds WHERE name = ?`), name).Scan(&gen, &host, &pid, &proc, &expires, &now)
		if err != nil {
			return nil, fmt.Errorf("%s: world %s: %w", s.what, name, err)
		}
		if host.Valid {
			h := Holder{Host: host.String, PID: int(pid.Int64), Process: proc.String}
			live := expires.Valid && expires.Int64 > now
			if live && !(h.Host == me.Host && gone(h)) {
				return nil, &HeldError{Name: name, Holder: h}
			}
		}
		start := time.Now()
		err = s.update(ctx, name, `UPDATE stasis_worlds SET gen = gen + 1, holder_host = ?, holder_pid = ?,
			holder_process = ?, expires = NOW() + ? WHERE name = ? AND gen = ?`,
			me.Host, me.PID, me.Process, LeaseTTL.Milliseconds(), name, gen)
		if errors.Is(err, ErrStale) && attempt < 10 {
			continue // someone else moved first: look again
		}
		if err != nil {
			return nil, err
		}
		return &Lease{Name: name, Holder: me, st: s, gen: gen + 1, deadline: start.Add(LeaseTTL),
			renew: func(ctx context.Context, gen int64) error {
				return s.update(ctx, name, `UPDATE stasis_worlds SET expires = NOW() + ? WHERE name = ? AND gen = ?`,
					LeaseTTL.Milliseconds(), name, gen)
			},
			release: func(gen int64) error {
				ctx, cancel := context.WithTimeout(context.Background(), LeaseTTL)
				defer cancel()
				return s.update(ctx, name, `UPDATE stasis_worlds SET holder_host = NULL, holder_pid = NULL,
					holder_process = NULL, expires = NULL WHERE name = ? AND gen = ?`, name, gen)
			}}, nil
	}
}

// Close implements Store.
func (s *sqlStore) Close() error { return s.db.Close() }
