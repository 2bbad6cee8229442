package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/image/format"
)

func TestInspect(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, scripts)
	writeTree(t, dir, map[string]string{"data.js": `
		var db = { users: [], index: new Map() };
		for (let i = 0; i < 300; i++) db.users.push({ id: i, name: "user" + i });
		const bytes = new Uint8Array(10000);
		function makeCounter() { let n = 0; return () => ++n }
		var next = makeCounter();
		stasis.onSave(() => {});
	`})
	if status, _, stderr := stasis(t, dir, "", "save-image", "-o", "app.img", "app.js", "data.js"); status != 0 {
		t.Fatalf("save-image: %s", stderr)
	}

	status, stdout, stderr := stasis(t, dir, "", "inspect", "app.img")
	if status != 0 || stderr != "" {
		t.Fatalf("inspect: status %d, stderr %q", status, stderr)
	}
	for _, s := range []string{
		"image      app.img\n", "format     " + formatVersion + ", written by Stasis 0.1.0", "this build can load it",
		"built from app.js, data.js", "bytes on disk", "unpacked",
		"objects    ", "  array ", "  arrayBuffer ",
		"10,000  arrayBuffer  bytes.buffer  (10,000 bytes)", "globalThis.db.users  (300 elements)",
		"scripts    2,", "  data.js ", "scopes     1 captured",
		"globals    ", "saved", "db", "lexical    bytes",
		"hooks      onSave 1, onResume 1, main set",
	} {
		if !strings.Contains(stdout, s) {
			t.Errorf("inspect lacks %q:\n%s", s, stdout)
		}
	}

	status, stdout, stderr = stasis(t, dir, "", "inspect", "--json", "app.img")
	if status != 0 || stderr != "" {
		t.Fatalf("inspect --json: status %d, stderr %q", status, stderr)
	}
	var sum struct {
		Format, StasisVersion, GojaVersion, Layout, Created string
		Compatible                                          bool
		Sizes                                               map[string]int64
		Counts                                              map[string]int
		Objects                                             []struct {
			Kind  string
			Count int
		}
		Largest []struct {
			Kind, Path              string
			Size, Bytes             int64
			Slots, Elements, Object int
		}
		Scripts []struct {
			Name  string
			Bytes int
		}
		Scopes  struct{ Count, Slots int }
		Globals []string
		Hooks   struct {
			OnSave, OnResume int
			Main             bool
		}
		Plugins []any
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil {
		t.Fatalf("inspect --json: %v\n%s", err, stdout)
	}
	if sum.Format != formatVersion || !sum.Compatible || sum.StasisVersion != "0.1.0" || sum.Created == "" {
		t.Errorf("versions: %+v", sum)
	}
	if sum.Sizes["file"] <= 0 || sum.Sizes["payloadUnpacked"] <= 0 || sum.Sizes["payloadStored"] <= 0 || sum.Sizes["code"] <= 0 || sum.Sizes["bundle"] != 0 {
		t.Errorf("sizes: %v", sum.Sizes)
	}
	if len(sum.Largest) == 0 || sum.Largest[0].Path != "bytes.buffer" || sum.Largest[0].Bytes != 10000 {
		t.Errorf("largest: %+v", sum.Largest)
	}
	if len(sum.Scripts) != 2 || sum.Scripts[1].Name != "data.js" || sum.Scopes.Count != 1 {
		t.Errorf("scripts %+v, scopes %+v", sum.Scripts, sum.Scopes)
	}
	if strings.Join(sum.Globals, ",") != "bytes" || sum.Hooks.OnSave != 1 || sum.Hooks.OnResume != 1 || !sum.Hooks.Main || sum.Plugins == nil {
		t.Errorf("globals %v, hooks %+v, plugins %v", sum.Globals, sum.Hooks, sum.Plugins)
	}

	for _, tt := range []struct{ args, stderr string }{
		{"inspect a.js", "inspect: a.js: not a Stasis image: bad magic bytes\n"},
		{"inspect broken.img", "inspect: broken.img: not a Stasis image: bad magic bytes\n"},
		{"inspect --json missing.img", "inspect: missing.img: no such file or directory\n"},
	} {
		status, stdout, stderr := stasis(t, dir, "", strings.Fields(tt.args)...)
		if status != 1 || stdout != "" || stderr != tt.stderr {
			t.Errorf("%s: status %d, stdout %q, stderr %q; want 1, %q", tt.args, status, stdout, stderr, tt.stderr)
		}
	}
	if status, _, stderr := stasis(t, dir, "", "inspect"); status != 2 || !strings.HasPrefix(stderr, "stasis inspect: ") {
		t.Errorf("inspect without image: status %d, stderr %q", status, stderr)
	}
}

// formatVersion is the image format version this build writes.
var formatVersion = fmt.Sprintf("%d.%d", format.Major, format.Minor)
