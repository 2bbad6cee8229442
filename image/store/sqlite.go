package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"

	// modernc.org/sqlite is SQLite translated to Go: no cgo, so stasis and
	// its bundles stay static binaries, and (unlike a WebAssembly build of
	// SQLite) a process pays no compile step when it first opens a database,
	// which every resumed run and every lease check would.
	_ "modernc.org/sqlite"
)

// OpenSQLite opens (creating it if needed) the SQLite database file and
// its stasis_worlds table. The database runs in WAL mode with full syncs,
// so a committed checkpoint survives a crash of the process or the machine;
// writers wait up to 10 seconds for one another.
func OpenSQLite(ctx context.Context, file string) (Store, error) {
	if file == "" {
		return nil, fmt.Errorf("sqlite: no database file")
	}
	// SQLite would say only "unable to open database file (14)".
	if dir := filepath.Dir(file); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("sqlite %s: %w", file, missingDir(dir))
		}
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: file}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", file, err)
	}
	// One connection: statements of this process queue here instead of
	// contending for SQLite's file lock.
	db.SetMaxOpenConns(1)
	s := &sqlStore{db: db, what: "sqlite " + file, d: dialect{
		blob: "BLOB",
		now:  "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)",
	}}
	if _, err := db.ExecContext(ctx, s.schema()); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite %s: %w", file, err)
	}
	return s, nil
}

// missingDir is the directory of a database file that does not exist (or
// is not a directory); it is an fs.ErrNotExist.
type missingDir string

func (d missingDir) Error() string { return "directory " + string(d) + " does not exist" }

func (d missingDir) Is(target error) bool { return target == fs.ErrNotExist }
