package vm

import (
	"errors"
	"strings"
	"testing"
)

func TestCallStackLimit(t *testing.T) {
	tests := []struct {
		name  string
		limit int
		src   string
		frame string // a function named in the reported stack
	}{
		{"plain recursion, default limit", 0, `function down(n) { return down(n + 1) + 1 } down(0)`, "down"},
		{"getter that reads itself", 300, `var o = { get x() { return this.x } }; o.x`, "x"},
		{"toString through String()", 300, `var o = { toString() { return String(this) } }; String(o)`, "toString"},
		{"recursion through a built-in", 300, `function g() { return [1].map(g) } g()`, "g"},
		{"proxy trap that reads its receiver", 300, `var p = new Proxy({}, { get(t, k, r) { return r[k] } }); p.x`, "get"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := New(Options{MaxCallStackSize: tt.limit, Stdout: &strings.Builder{}, Stderr: &strings.Builder{}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = v.RunScript("runaway.js", tt.src)
			var so *StackOverflowError
			if !errors.As(err, &so) {
				t.Fatalf("got %v (%T), want a stack overflow", err, err)
			}
			if got := err.Error(); got != "RangeError: Maximum call stack size exceeded" {
				t.Errorf("message %q", got)
			}
			if s := so.String(); !strings.Contains(s, "at "+tt.frame+" (runaway.js:") {
				t.Errorf("stack does not name %s:\n%s", tt.frame, s)
			}
			// The world goes on after a runaway.
			got, err := v.RunScript("after.js", `[1, 2, 3].map(x => x * 2).join()`)
			if err != nil || got.String() != "2,4,6" {
				t.Errorf("after the overflow: %v, %v", got, err)
			}
		})
	}
}

func TestCallStackLimitAllowsDeepButFiniteRecursion(t *testing.T) {
	v, err := New(Options{Stdout: &strings.Builder{}, Stderr: &strings.Builder{}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.RunScript("deep.js", `function sum(n) { return n === 0 ? 0 : n + sum(n - 1) } sum(5000)`)
	if err != nil || got.ToInteger() != 12502500 {
		t.Fatalf("sum(5000) = %v, %v", got, err)
	}
	_, err = v.Call(v.Runtime().Get("sum"), nil, v.Runtime().ToValue(20000))
	var so *StackOverflowError
	if !errors.As(err, &so) {
		t.Fatalf("sum(20000) from Go: %v, want a stack overflow", err)
	}
}
