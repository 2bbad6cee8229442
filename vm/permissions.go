package vm

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// Permissions are the grants a world runs under, following Node's
// permission model (`node --permission --allow-fs-read=... --allow-fs-write=...`).
//
// Grants always come from the person or program running the world (the
// command line, vm.Options, image.LoadOptions), never from an image: an
// image is a program, and loading one must not widen what it may do.
//
// A nil *Permissions, or one with Enabled false, allows everything, as Node
// does without --permission. With Enabled set, a file may be read only if a
// path in FSRead covers it, and written (created, changed, removed, renamed,
// opened for writing) only if a path in FSWrite covers it. A path covers
// itself and, when it names a directory, everything under it; "*" covers
// every file. Relative paths are taken from the working directory at the
// first check. Symbolic links are resolved on both sides, so a link inside a
// granted directory does not lead out of it.
type Permissions struct {
	// Enabled turns restrictions on. Without it the grants are ignored.
	Enabled bool
	// FSRead lists the files and directories that may be read.
	FSRead []string
	// FSWrite lists the files and directories that may be written.
	FSWrite []string
	// GrantedIn names where the grant flags are given, for the hint in a
	// denial: empty for the command line, "$STASIS_OPTIONS" for a bundle,
	// which parses no flags of its own.
	GrantedIn string

	once          sync.Once
	read, written grantSet
}

// Access is a kind of access that Permissions can grant.
type Access uint8

// The kinds of access.
const (
	FSRead Access = iota
	FSWrite
)

// String names the access as Node's permission model does ("FileSystemRead").
func (a Access) String() string {
	if a == FSWrite {
		return "FileSystemWrite"
	}
	return "FileSystemRead"
}

// flag is the command-line flag that grants a.
func (a Access) flag() string {
	if a == FSWrite {
		return "--allow-fs-write"
	}
	return "--allow-fs-read"
}

// AccessDeniedError is the error of an access no grant covers. In
// JavaScript it is thrown as an Error with code "ERR_ACCESS_DENIED",
// permission and resource, as in Node.
type AccessDeniedError struct {
	Access   Access // reading or writing
	Resource string // the absolute path that was denied
	// GrantedIn is Permissions.GrantedIn of the world that denied it.
	GrantedIn string
}

// Error says what was denied and which flag would grant it.
func (e *AccessDeniedError) Error() string {
	verb := "read"
	if e.Access == FSWrite {
		verb = "write"
	}
	hint := e.Access.flag()
	if e.GrantedIn != "" {
		hint += " in " + e.GrantedIn
	}
	return fmt.Sprintf("Access to this API has been restricted: no permission to %s '%s' (grant it with %s)", verb, e.Resource, hint)
}

// Restricted reports whether p restricts anything.
func (p *Permissions) Restricted() bool { return p != nil && p.Enabled }

// Check returns nil when a on path is allowed, or an *AccessDeniedError.
func (p *Permissions) Check(a Access, path string) error {
	if !p.Restricted() {
		return nil
	}
	p.once.Do(func() {
		p.read = newGrantSet(p.FSRead)
		p.written = newGrantSet(p.FSWrite)
	})
	set := p.read
	if a == FSWrite {
		set = p.written
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return &AccessDeniedError{Access: a, Resource: path, GrantedIn: p.GrantedIn}
	}
	if set.covers(realPath(abs)) {
		return nil
	}
	return &AccessDeniedError{Access: a, Resource: abs, GrantedIn: p.GrantedIn}
}

// Has reports whether a on path is allowed; with path empty, whether any
// access of kind a is granted (Node's process.permission.has).
func (p *Permissions) Has(a Access, path string) bool {
	if !p.Restricted() {
		return true
	}
	if path == "" {
		list := p.FSRead
		if a == FSWrite {
			list = p.FSWrite
		}
		return len(list) > 0
	}
	return p.Check(a, path) == nil
}

// grantSet is a list of granted paths, absolute and with links resolved.
type grantSet struct {
	all   bool
	paths []string
}

func newGrantSet(list []string) grantSet {
	var g grantSet
	for _, p := range list {
		p = strings.TrimSpace(p)
		switch {
		case p == "":
			continue
		case p == "*":
			g.all = true
			continue
		}
		p = strings.TrimSuffix(p, "*") // Node 20 wrote directory grants as /dir/*
		if abs, err := filepath.Abs(p); err == nil {
			g.paths = append(g.paths, realPath(abs))
		}
	}
	return g
}

func (g grantSet) covers(path string) bool {
	if g.all {
		return true
	}
	for _, p := range g.paths {
		if path == p || p == string(filepath.Separator) ||
			strings.HasPrefix(path, p) && path[len(p)] == filepath.Separator {
			return true
		}
	}
	return false
}

// realPath resolves the symbolic links of the longest part of abs that
// exists, and keeps the rest (a file about to be created) as it is.
func realPath(abs string) string {
	abs = filepath.Clean(abs)
	rest := ""
	for dir := abs; ; {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(r, rest)
		} else if !errors.Is(err, fs.ErrNotExist) && !isNotDir(err) {
			return abs
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }

// Permissions returns the grants the VM runs under (nil: everything allowed).
func (v *VM) Permissions() *Permissions { return v.opts.Permissions }

// CheckAccess returns nil when the world may access path in the way a, or
// an *AccessDeniedError.
func (v *VM) CheckAccess(a Access, path string) error {
	return v.opts.Permissions.Check(a, path)
}
