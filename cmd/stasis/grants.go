package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/stasisvm/stasis/vm"
)

// grantFlags are the permission flags of every command that runs a world,
// as in Node's permission model. Grants come from the person running the
// command, never from an image.
type grantFlags struct {
	Permission   bool     `help:"Restrict the world's access to files to what --allow-fs-read and --allow-fs-write grant (as node --permission). Without it, a world (and an image you load) can do whatever you can."`
	AllowFsRead  []string `name:"allow-fs-read" placeholder:"PATH" help:"With --permission: files or directories (and all under them) the world may read; * for all."`
	AllowFsWrite []string `name:"allow-fs-write" placeholder:"PATH" help:"With --permission: files or directories (and all under them) the world may write; * for all."`
	// CompileSource is not a grant, but like the grants it is the
	// choice of the person running an image, and bundles take it from
	// $STASIS_OPTIONS too.
	CompileSource bool `name:"compile-source" help:"Ignore the compiled code an image holds and compile its scripts from their sources."`
}

// optionsEnv names the environment variable with permission flags for
// every command and for bundles, which parse no flags of their own (as
// NODE_OPTIONS does for node).
const optionsEnv = "STASIS_OPTIONS"

// permissions returns the grants of the command line g merged with those
// of $STASIS_OPTIONS: nil when neither asks for --permission.
func (g grantFlags) permissions() (*vm.Permissions, error) {
	fromEnv, _, err := parseOptionsEnv(os.Getenv(optionsEnv))
	if err != nil {
		return nil, err
	}
	g.Permission = g.Permission || fromEnv.Permission
	g.AllowFsRead = append(g.AllowFsRead, fromEnv.AllowFsRead...)
	g.AllowFsWrite = append(g.AllowFsWrite, fromEnv.AllowFsWrite...)
	g.CompileSource = g.CompileSource || fromEnv.CompileSource
	if !g.Permission {
		if len(g.AllowFsRead)+len(g.AllowFsWrite) > 0 {
			return nil, fmt.Errorf("--allow-fs-read and --allow-fs-write need --permission")
		}
		return nil, nil
	}
	return &vm.Permissions{Enabled: true, FSRead: splitList(g.AllowFsRead), FSWrite: splitList(g.AllowFsWrite)}, nil
}

// parseOptionsEnv reads the permission and load-limit flags in s, words
// separated by spaces; any other word is an error.
func parseOptionsEnv(s string) (grantFlags, limitFlags, error) {
	var g grantFlags
	var l limitFlags
	for _, w := range strings.Fields(s) {
		name, value, hasValue := strings.Cut(w, "=")
		switch {
		case name == "--permission" && !hasValue:
			g.Permission = true
		case name == "--compile-source" && !hasValue:
			g.CompileSource = true
		case name == "--allow-fs-read" && hasValue:
			g.AllowFsRead = append(g.AllowFsRead, value)
		case name == "--allow-fs-write" && hasValue:
			g.AllowFsWrite = append(g.AllowFsWrite, value)
		case name == "--max-image-size" && hasValue:
			l.MaxImageSize = value
		case name == "--max-objects" && hasValue:
			l.MaxObjects = value
		case name == "--max-string-size" && hasValue:
			l.MaxStringSize = value
		case name == "--max-buffer-size" && hasValue:
			l.MaxBufferSize = value
		default:
			return g, l, fmt.Errorf("%s: %q is not allowed there (only --permission, --allow-fs-read=PATH, --allow-fs-write=PATH, --compile-source and the load limits --max-image-size=SIZE, --max-objects=N, --max-string-size=SIZE, --max-buffer-size=SIZE)", optionsEnv, w)
		}
	}
	return g, l, nil
}

// splitList splits comma-separated lists of paths.
func splitList(list []string) []string {
	var out []string
	for _, l := range list {
		for _, p := range strings.Split(l, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// grant sets the permissions of the worlds e makes and loads.
func (e *env) grant(g grantFlags) error {
	p, err := g.permissions()
	if err != nil {
		return err
	}
	e.perms = p
	fromEnv, _, _ := parseOptionsEnv(os.Getenv(optionsEnv))
	e.compileSource = g.CompileSource || fromEnv.CompileSource
	return nil
}
