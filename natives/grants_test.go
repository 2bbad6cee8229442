package natives_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// Every file access of the fs module and require obeys the world's grants:
// each case runs one access in a world granted read of DIR/pub (and
// write of DIR/out) and prints what it did or the error's code,
// permission and resource.
func TestGrants(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"pub/a.txt":      "public",
		"pub/mod.js":     "module.exports = 'pub module'",
		"secret/p.txt":   "password",
		"secret/mod.js":  "module.exports = 'secret module'",
		"out/exists.txt": "old",
	})
	// A link inside a granted directory does not lead out of it.
	if err := os.Symlink(filepath.Join(dir, "secret", "p.txt"), filepath.Join(dir, "pub", "link.txt")); err != nil {
		t.Fatal(err)
	}
	perms := &vm.Permissions{Enabled: true, FSRead: []string{filepath.Join(dir, "pub")}, FSWrite: []string{filepath.Join(dir, "out")}}
	tests := []struct{ name, src, want string }{
		{"read granted", `fs.readFileSync(D + "/pub/a.txt", "utf8")`, "public"},
		{"read denied", `fs.readFileSync(D + "/secret/p.txt", "utf8")`, "ERR_ACCESS_DENIED FileSystemRead D/secret/p.txt"},
		{"read through a link out of the grant", `fs.readFileSync(D + "/pub/link.txt", "utf8")`, "ERR_ACCESS_DENIED FileSystemRead D/pub/link.txt"},
		{"read by .. out of the grant", `fs.readFileSync(D + "/pub/../secret/p.txt", "utf8")`, "ERR_ACCESS_DENIED FileSystemRead D/secret/p.txt"},
		{"exists denied is false", `fs.existsSync(D + "/secret/p.txt")`, "false"},
		{"stat denied", `fs.statSync(D + "/secret/p.txt").size`, "ERR_ACCESS_DENIED FileSystemRead D/secret/p.txt"},
		{"readdir denied", `fs.readdirSync(D + "/secret").length`, "ERR_ACCESS_DENIED FileSystemRead D/secret"},
		{"write granted", `fs.writeFileSync(D + "/out/new.txt", "n") === undefined && fs.readdirSync(D + "/pub").length`, "3"},
		{"write denied", `fs.writeFileSync(D + "/pub/new.txt", "n")`, "ERR_ACCESS_DENIED FileSystemWrite D/pub/new.txt"},
		{"append denied", `fs.appendFileSync(D + "/pub/a.txt", "n")`, "ERR_ACCESS_DENIED FileSystemWrite D/pub/a.txt"},
		{"open for writing without read grant", `fs.openSync(D + "/out/exists.txt", "r+")`, "ERR_ACCESS_DENIED FileSystemRead D/out/exists.txt"},
		{"open write-only", `typeof fs.openSync(D + "/out/w.txt", "w")`, "number"},
		{"mkdir denied", `fs.mkdirSync(D + "/pub/sub")`, "ERR_ACCESS_DENIED FileSystemWrite D/pub/sub"},
		{"unlink denied", `fs.unlinkSync(D + "/pub/a.txt")`, "ERR_ACCESS_DENIED FileSystemWrite D/pub/a.txt"},
		{"rename out of a writable dir", `fs.renameSync(D + "/out/exists.txt", D + "/pub/x.txt")`, "ERR_ACCESS_DENIED FileSystemWrite D/pub/x.txt"},
		{"require granted", `require(D + "/pub/mod.js")`, "pub module"},
		{"require denied", `require(D + "/secret/mod.js")`, "ERR_ACCESS_DENIED FileSystemRead D/secret/mod.js"},
		{"stasis.saveImage denied", `stasis.saveImage(D + "/pub/w.img").catch(e => log(e.message.includes("no permission to write") + " " + e.message.includes("/pub/w.img")))`, "[object Promise]\ntrue true"},
		{"readFile denied", `fs.readFile(D + "/secret/p.txt", (e, d) => log("cb " + e.code + " " + d))`, "undefined\ncb ERR_ACCESS_DENIED undefined"},
		{"promises.writeFile denied", `fs.promises.writeFile(D + "/pub/p.txt", "x").catch(e => log("rejected " + e.permission))`, "[object Promise]\nrejected FileSystemWrite"},
		{"promises.readFile granted", `fs.promises.readFile(D + "/pub/a.txt", "utf8").then(log)`, "[object Promise]\npublic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			v, err := vm.New(vm.Options{Stdout: &out, Stderr: &out, Permissions: perms,
				Setup: []func(*vm.VM) error{natives.Setup(natives.Default()...)}})
			if err != nil {
				t.Fatal(err)
			}
			_ = v.Runtime().Set("D", dir)
			src := `var fs = require("fs"), log = (s) => console.log(s);
				try { log(String(` + tt.src + `)) } catch (e) { log(e.code + " " + e.permission + " " + e.resource) }`
			if _, err := v.RunScript(filepath.Join(dir, "main.js"), src); err != nil {
				t.Fatal(err)
			}
			if err := v.Loop().Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(strings.ReplaceAll(out.String(), dir, "D")); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "pub", "new.txt")); err == nil {
		t.Error("a denied write created a file")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "pub", "a.txt")); string(b) != "public" {
		t.Errorf("a denied append changed a file: %q", b)
	}
}

func TestPermissionsCheck(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		grants []string
		path   string
		ok     bool
	}{
		{[]string{"*"}, "/etc/passwd", true},
		{[]string{dir}, dir, true},
		{[]string{dir}, dir + "/a/b/c", true},
		{[]string{dir}, dir + "x/a", false}, // a sibling with the same prefix
		{[]string{dir + "/*"}, dir + "/a", true},
		{[]string{dir + "/a.txt"}, dir + "/a.txt", true},
		{[]string{dir + "/a.txt"}, dir + "/b.txt", false},
		{nil, dir, false},
	}
	for _, tt := range tests {
		p := &vm.Permissions{Enabled: true, FSRead: tt.grants}
		if err := p.Check(vm.FSRead, tt.path); (err == nil) != tt.ok {
			t.Errorf("grants %v, read %s: %v, want allowed=%v", tt.grants, tt.path, err, tt.ok)
		}
		if err := p.Check(vm.FSWrite, tt.path); err == nil {
			t.Errorf("grants %v (read only) allowed a write of %s", tt.grants, tt.path)
		}
	}
	var none *vm.Permissions
	if err := none.Check(vm.FSWrite, "/etc/passwd"); err != nil {
		t.Errorf("no permissions must allow everything: %v", err)
	}
}
