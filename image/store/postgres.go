package store

import (
	"context"
	"fmt"

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
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return s, nil
}

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
