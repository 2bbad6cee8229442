package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProcessPermission runs testdata/scripts/permission.js as
// `stasis run --permission --allow-fs-read=DIR --allow-fs-write=DIR/out`
// and as node with the same grants (--experimental-permission), then with
// every file granted, then both without --permission: the same output.
func TestProcessPermission(t *testing.T) {
	nodeBinary(t)
	src, err := os.ReadFile("testdata/scripts/permission.js")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if dir, err = filepath.EvalSymlinks(dir); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"permission.js": string(src), "out/.keep": ""})
	grants := []string{"--allow-fs-read=" + dir, "--allow-fs-write=" + filepath.Join(dir, "out")}
	for _, c := range []struct {
		name       string
		node, mine []string
	}{
		{"granted", append([]string{"--experimental-permission"}, grants...), append([]string{"run", "--permission"}, grants...)},
		{"everything", []string{"--experimental-permission", "--allow-fs-read=*", "--allow-fs-write=*"}, []string{"run", "--permission", "--allow-fs-read=*", "--allow-fs-write=*"}},
		{"off", nil, []string{"run"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			nodeStatus, nodeOut, nodeErr := runNode(t, dir, append(c.node, "permission.js")...)
			status, out, stderr := runStatus(t, dir, append(c.mine, "permission.js")...)
			if nodeStatus != 0 || strings.TrimSpace(nodeOut) == "" {
				t.Fatalf("node: status %d\n%s%s", nodeStatus, nodeOut, nodeErr)
			}
			if status != nodeStatus || out != nodeOut {
				t.Errorf("stasis: status %d, printed\n%s(stderr %s)\nnode printed\n%s", status, out, stderr, nodeOut)
			}
		})
	}
}

// TestPermissionIsTheLoaders: process.permission answers with the grants
// of the process that resumed the world, not those it was saved under, and
// is undefined in a world resumed without --permission.
func TestPermissionIsTheLoaders(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"a/.keep": "", "b/.keep": "",
		"setup.js": `var has = (what) => process.permission ? process.permission.has("fs.read", what) : "off";`,
		"probe.js": `console.log(has(process.cwd() + "/a"), has(process.cwd() + "/b"))`,
	})
	abs := func(p string) string { return filepath.Join(dir, p) }
	if status, _, stderr := runStatus(t, dir, "save-image", "--permission", "--allow-fs-read="+abs("a"), "--allow-fs-read="+dir, "-o", "w.img", "setup.js"); status != 0 {
		t.Fatalf("save-image: %d %s", status, stderr)
	}
	for _, c := range []struct {
		flags []string
		want  string
	}{
		{[]string{"--permission", "--allow-fs-read=" + abs("b") + "," + abs("probe.js")}, "false true\n"},
		{[]string{"--permission", "--allow-fs-read=" + abs("a") + "," + abs("probe.js")}, "true false\n"},
		{nil, "off off\n"},
	} {
		args := append(append([]string{"load-image"}, c.flags...), "w.img", "probe.js")
		status, out, stderr := runStatus(t, dir, args...)
		if status != 0 || out != c.want {
			t.Errorf("stasis %s: status %d, printed %q (stderr %s), want %q", strings.Join(args, " "), status, out, stderr, c.want)
		}
	}
}
