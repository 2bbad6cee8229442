package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// snapshotTree describes every file and directory under dir: path, kind,
// mode, size, modification time and a hash of the contents.
func snapshotTree(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(path)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %v %d %d", path, fi.Mode(), fi.Size(), fi.ModTime().UnixNano())
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestNoWriteGrantWritesNothing attacks as a hostile image would: with
// --permission and no write grant, its hooks, main, timers and the scripts
// after it call every function of fs and fs.promises (and the other ways
// to a file: stasis.saveImage, streams, descriptors opened for reading)
// on files it may read, and on files it may not, in every way of naming
// them (relative, through a symbolic link, with ..); nothing under the
// directory changes, and nothing it may not read is read.
func TestNoWriteGrantWritesNothing(t *testing.T) {
	stasisBinary(t)
	dir := t.TempDir()
	attackBody := `
		const fs = require("fs");
		const D = ` + "`" + dir + "`" + `;
		const targets = [D + "/readable/a.txt", D + "/secret/s.txt", D + "/readable/link", "readable/a.txt",
			D + "/readable/../secret/s.txt", D + "/readable/new.txt", D + "/readable", D + "/newdir", D + "/image.img"];
		let read = [];
		const noop = () => {};
		async function attack(when) {
			for (const name of Object.keys(fs).sort()) {
				if (typeof fs[name] !== "function" || name === "promises") continue;
				for (const p of targets) {
					for (const args of [[p], [p, "owned"], [p, D + "/readable/copy.txt"], [D + "/readable/b.txt", p], [p, 0o777], [p, 0], [p, { recursive: true }], [p, "w"]]) {
						try {
							const r = fs[name](...args, (e, d) => { if (!e && typeof d === "string" && d.includes("secret")) read.push(name) });
							if (typeof r === "string" && r.includes("secret")) read.push(name);
							if (r && typeof r.then === "function") await r.catch(noop);
						} catch (e) {}
					}
				}
			}
			for (const name of Object.keys(fs.promises || {}).sort()) {
				for (const p of targets) {
					for (const args of [[p], [p, "owned"], [p, D + "/readable/copy.txt"], [D + "/readable/b.txt", p], [p, 0o777], [p, { recursive: true }]]) {
						try {
							const r = await fs.promises[name](...args);
							if (typeof r === "string" && r.includes("secret")) read.push("promises." + name);
						} catch (e) {}
					}
				}
			}
			try { const fd = fs.openSync(D + "/readable/a.txt", "r"); try { fs.writeSync(fd, "owned") } catch (e) {} } catch (e) {}
			for (const p of targets) { try { await stasis.saveImage(p) } catch (e) {} }
			try { require(D + "/secret/mod.js") } catch (e) {}
			console.log(when, "read", JSON.stringify(read));
		}
	`
	// attack(NAME) defines a function NAME(when) that runs the attack.
	attack := func(name string) string {
		return "var " + name + " = (function () {" + attackBody + "; return attack })();\n"
	}
	writeTree(t, dir, map[string]string{
		"readable/a.txt":   "public",
		"readable/b.txt":   "public b",
		"secret/s.txt":     "secret",
		"secret/mod.js":    "module.exports = 'secret'; require('fs').writeFileSync(" + "`" + dir + "/secret/s.txt" + "`" + ", 'owned');",
		"hostile.js":       attack("hostile") + `stasis.onResume(() => hostile("hook")); stasis.setMain(() => { setTimeout(() => hostile("timer"), 1); return hostile("main") });`,
		"after.js":         attack("after") + `after("script");`,
		"work/placeholder": "",
	})
	if err := os.Symlink(filepath.Join(dir, "secret", "s.txt"), filepath.Join(dir, "readable", "link")); err != nil {
		t.Fatal(err)
	}
	if status, _, stderr := runStatus(t, dir, "save-image", "-o", "image.img", "hostile.js"); status != 0 {
		t.Fatalf("save-image: %d %s", status, stderr)
	}
	before := snapshotTree(t, dir)
	grants := []string{"--permission", "--allow-fs-read=" + filepath.Join(dir, "readable")}
	for _, args := range [][]string{
		append(append([]string{"load-image"}, grants...), filepath.Join(dir, "image.img"), filepath.Join(dir, "after.js")),
		append(append([]string{"run"}, grants...), filepath.Join(dir, "after.js")),
	} {
		status, stdout, stderr := proc{dir: filepath.Join(dir, "work")}.run(t, stasisBinary(t), args...)
		t.Logf("%s: status %d\n%s%s", args[0], status, stdout, stderr)
		if strings.Count(stdout, "read []") != strings.Count(stdout, " read ") || !strings.Contains(stdout, "script read []") {
			t.Errorf("%s: the attack read what it may not, or did not run: %s", args[0], stdout)
		}
		if args[0] == "load-image" {
			for _, when := range []string{"hook", "main", "timer"} {
				if !strings.Contains(stdout, when+" read []") {
					t.Errorf("load-image: the %s attack did not run to its end: %s", when, stdout)
				}
			}
		}
		if after := snapshotTree(t, dir); after != before {
			t.Fatalf("%s: the attack changed files:\nbefore:\n%s\nafter:\n%s", args[0], before, after)
		}
	}
	// The same attack without --permission does what the user can: the
	// check above would have seen it.
	proc{dir: filepath.Join(dir, "work")}.run(t, stasisBinary(t), "run", filepath.Join(dir, "after.js"))
	if after := snapshotTree(t, dir); after == before {
		t.Fatal("without --permission the attack changed nothing: it does not attack")
	}
}
