package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// inspect --hooks shows the code a load will run, read from the image
// alone: the sources are gone when it is inspected.
func TestInspectHooks(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"app.js": `var saved = 1;
function greet(name) { return "hi " + name }
stasis.onResume(function () {
  require("fs").writeFileSync("/tmp/x", "y");
});
stasis.onResume(greet.bind(null, "x"));
stasis.setMain(async function main(...args) { await null; console.log(args) });
stasis.onSave(Math.random);
`, "plain.js": "var x = 1;\n"})
	for _, args := range [][]string{{"save-image", "-o", "app.img", "app.js"}, {"save-image", "-o", "plain.img", "plain.js"}} {
		if status, _, stderr := stasis(t, dir, "", args...); status != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
	}
	writeTree(t, dir, map[string]string{"app.js": "", "plain.js": ""})

	status, stdout, stderr := stasis(t, dir, "", "inspect", "--hooks", "app.img")
	if status != 0 {
		t.Fatalf("inspect --hooks: %s", stderr)
	}
	want := `
onResume 1 (app.js)
    function () {
      require("fs").writeFileSync("/tmp/x", "y");
    }

onResume 2 bound greet (app.js)
    bound function of: function greet(name) { return "hi " + name }

main main (app.js)
    async function main(...args) { await null; console.log(args) }

onSave 1 globalThis.Math.random
    built-in globalThis.Math.random
`
	if !strings.HasSuffix(stdout, want) {
		t.Errorf("inspect --hooks ends with\n%s\nwant\n%s", stdout[max(0, len(stdout)-len(want)-40):], want)
	}
	if _, plain, _ := stasis(t, dir, "", "inspect", "app.img"); strings.Contains(plain, "writeFileSync") {
		t.Errorf("inspect without --hooks printed the code")
	}
	if _, stdout, _ := stasis(t, dir, "", "inspect", "--hooks", "plain.img"); !strings.HasSuffix(stdout, "\nno hooks and no main: loading runs no code of the image's own but its timers\n") {
		t.Errorf("inspect --hooks of an image without hooks:\n%s", stdout)
	}

	_, stdout, _ = stasis(t, dir, "", "inspect", "--json", "app.img")
	var s struct {
		Hooks struct {
			Code []struct{ Hook, Name, Script, Source string }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Hooks.Code) != 4 || s.Hooks.Code[2].Hook != "main" || !strings.HasPrefix(s.Hooks.Code[2].Source, "async function main(") {
		t.Errorf("--json hooks code: %+v", s.Hooks.Code)
	}
}
