package image

import (
	"strings"
	"testing"
)

func TestEvalProblem(t *testing.T) {
	tests := []struct {
		src            string
		insideFunction bool
		want           string // substring of the problem; "" for none
	}{
		{"(function inc(d) { x += d; return x })", true, ""},
		{"var v = 7; () => v", true, ""},
		{"() => secret", true, ""},
		{"let local = 5; () => local", false, "let, const or class"},
		{"const c = 1; (function () { return c })", true, "let, const or class"},
		{"class K {}; () => new K()", false, "let, const or class"},
		{"{ let blockScoped = 1; globalThis.f = () => blockScoped }", false, ""},
		{"() => typeof this", true, "this, arguments"},
		{"() => typeof this", false, ""},
		{"() => arguments.length", true, "this, arguments"},
		{"() => new.target", true, "this, arguments"},
		{"x => () => this.y", true, "this, arguments"},
		{"(function () { return () => this })", true, ""},
		{"(class { m() { return () => this } })", true, ""},
		{"(function () { return arguments[0] })", true, ""},
		{"(((", true, "cannot parse"},
	}
	for _, tt := range tests {
		got := evalProblem(tt.src, tt.insideFunction)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("evalProblem(%q, %v) = %q, want %q", tt.src, tt.insideFunction, got, tt.want)
		}
	}
}
