package vm

import (
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// TestCallRunsJobsAsAScript: the promise jobs of an outermost Call run in
// order after it returns, as a script's do, also when a job calls a Go
// function that calls back into JavaScript (which must not run the jobs
// queued after it first); the result and an exception come back as usual.
func TestCallRunsJobsAsAScript(t *testing.T) {
	v, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	rt := v.Runtime()
	_ = rt.Set("goCall", func(c goja.FunctionCall) goja.Value {
		if _, err := v.Call(c.Argument(0), nil); err != nil {
			panic(err)
		}
		return goja.Undefined()
	})
	src := `var log = [];
	function body() {
		Promise.resolve().then(() => {
			log.push("a");
			goCall(() => Promise.resolve().then(() => log.push("e")));
			log.push("after goCall");
		});
		Promise.resolve().then(() => log.push("d"));
		log.push("sync");
		return 7;
	}
	function throws() { Promise.resolve().then(() => log.push("job of a call that threw")); throw new Error("thrown") }
	`
	if _, err := v.RunScript("body.js", src); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		fn, want, err string
		result        int64
	}{
		{"body", "sync,a,after goCall,d,e", "", 7},
		{"throws", "job of a call that threw", "thrown", 0},
	} {
		if _, err := v.RunScript("reset.js", "log = []"); err != nil {
			t.Fatal(err)
		}
		res, err := v.Call(rt.Get(c.fn), nil)
		if c.err == "" && (err != nil || res.ToInteger() != c.result) {
			t.Errorf("%s: result %v, error %v", c.fn, res, err)
		}
		if c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: error %v, want %q", c.fn, err, c.err)
		}
		if got := rt.Get("log").String(); got != c.want {
			t.Errorf("%s: jobs ran as %s, want %s", c.fn, got, c.want)
		}
	}
}
