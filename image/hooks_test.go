package image

import (
	"strings"
	"testing"
)

func TestHooksSurviveAndRunInOrder(t *testing.T) {
	v, _ := newTestWorld(t)
	run(t, v, "setup.js", `
		var log = [];
		stasis.onSave(() => log.push("save1"));
		stasis.onSave(() => log.push("save2"));
		stasis.onResume(() => console.log("resume1", log.join()));
		stasis.onResume(() => console.log("resume2"));
		stasis.setMain((...args) => console.log("main", args.join("+"), stasis.args.join("+")));
	`)
	if err := RunSaveHooks(v); err != nil {
		t.Fatal(err)
	}
	v2, out := roundTrip(t, v)
	if err := Resume(v2, []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	want := "resume1 save1,save2\nresume2\nmain a+b \n"
	if out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}

func TestHookErrorsCarryTheJSStack(t *testing.T) {
	v, _ := newTestWorld(t)
	run(t, v, "hooks.js", "function failing() { throw new Error('no resume for you') }\nstasis.onResume(failing)")
	v2, _ := roundTrip(t, v)
	err := Resume(v2, nil)
	if err == nil || !strings.Contains(err.Error(), "no resume for you") || !strings.Contains(err.Error(), "hooks.js:1") {
		t.Fatalf("got %v, want the error with its stack", err)
	}
}
