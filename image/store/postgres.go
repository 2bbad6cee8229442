package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// OpenPostgres connects to the Postgres database a URL names
// (postgres://user:password@host:port/db?sslmode=..., or host=/socket/dir
// for a unix socket; libpq's PG* environment variables fill in what the
// URL leaves out) and creates the stasis_worlds table if it is missing.
// The lease's clock is the server's.
func OpenPostgres(ctx context.Context, connURL string) (Store, error) {
	cfg, err := pgx.ParseConfig(connURL)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	what := fmt.Sprintf("postgres %s/%s", cfg.Host, cfg.Database)
	s := &sqlStore{db: db, what: what, d: dialect{
		blob:   "BYTEA",
		now:    "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
		rebind: dollarPlaceholders,
	}}
	if err := s.createPostgres(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", what, oneLine{err})
	}
	return s, nil
}

// oneLine shows an error of several lines (pgx writes one for each address
// it tried to connect to, often the same twice) on one, each distinct line
// once, so that the CLI's and the REPL's messages stay one line.
type oneLine struct{ err error }

func (e oneLine) Error() string {
	var parts []string
	seen := map[string]bool{}
	for _, l := range strings.Split(e.err.Error(), "\n") {
		if l = strings.TrimSpace(l); l != "" && !seen[l] {
			seen[l] = true
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}

func (e oneLine) Unwrap() error { return e.err }

// createPostgres creates the table under a transaction-scoped advisory
// lock: two processes running CREATE TABLE IF NOT EXISTS at once can
// otherwise fail on Postgres's catalog.
func (s *sqlStore) createPostgres(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('stasis_worlds'))`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.schema()); err != nil {
		return err
	}
	return tx.Commit()
}
