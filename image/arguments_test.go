package image

import (
	"sort"
	"strings"
	"testing"
)

// TestFindArgumentsArrows checks which arrows are found to read an
// enclosing function's arguments: each arrow that must be is marked by a
// comment /*R*/ just before it.
func TestFindArgumentsArrows(t *testing.T) {
	tests := []struct{ name, src string }{
		{"property named arguments", `function f(list) { return list.map((node) => node.arguments.length) }`},
		{"string and comment", `function f() { return () => "arguments" + 'arguments' + /* arguments */ ` + "`arguments`" + ` }`},
		{"key and method named arguments", `function f() { return () => ({ arguments: 1, arguments2: 2, arguments() { return 3 } }) }`},
		{"inner ordinary function", `function f() { return () => function () { return arguments.length } }`},
		{"inner method", `function f() { return () => ({ m() { return arguments[0] } }) }`},
		{"inner class method", `function f() { return () => class { m() { return arguments } } }`},
		{"top-level arrow reads the global", `var g = () => arguments; { let x = 1; var h = () => arguments + x }`},
		{"reads the function's arguments", `function f(a) { return /*R*/() => arguments.length }`},
		{"shorthand property", `function f() { return /*R*/() => ({ arguments }) }`},
		{"assignment", `function f() { return /*R*/(x) => { arguments = x } }`},
		{"typeof", `function f() { return /*R*/() => typeof arguments }`},
		{"nested arrows", `function f() { return /*R*/() => /*R*/(y) => arguments[y] }`},
		{"only the arrows inside the function", `var outer = () => function () { return /*R*/() => arguments }`},
		{"method around", `var o = { m() { return /*R*/async () => arguments } }`},
		{"class constructor around", `class A { constructor() { this.f = /*R*/x => arguments[x] } }`},
		{"parameter default", `function f(a = /*R*/() => arguments) { return a }`},
		{"computed key in an arrow", `function f() { return /*R*/() => class { [arguments[0]]() {} } }`},
		{"var named arguments binds nothing", `function f() { var arguments = 1; return /*R*/() => arguments }`},
		{"parameter named arguments", `function f(arguments) { return () => arguments }`},
		{"arrow parameter named arguments", `function f() { return (arguments) => arguments }`},
		{"let in a block", `function f() { { let arguments = 2; return () => arguments } }`},
		{"catch parameter", `function f() { try { throw 1 } catch (arguments) { return () => arguments } }`},
		{"let in the arrow", `function f() { return /*R*/() => { arguments; return () => { let arguments = 3; return arguments } } }`},
		{"only the arrow reading it", `function f() { var a = () => 1; var b = /*R*/() => arguments; var c = () => 2 }`},
		{"module wrapper", `(function (exports, require, module) { exports.f = /*R*/() => arguments.length })`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			aa := findArgumentsArrows(tt.src)
			if !aa.ok {
				t.Fatal("not parsed")
			}
			var want []int
			for i := 0; ; {
				j := strings.Index(tt.src[i:], "/*R*/")
				if j < 0 {
					break
				}
				i += j + len("/*R*/")
				want = append(want, i)
			}
			var got []int
			for off := range aa.arrows {
				got = append(got, off)
			}
			sort.Ints(got)
			if len(got) != len(want) {
				t.Fatalf("arrows at %v, want %v", got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("arrows at %v, want %v", got, want)
				}
			}
		})
	}
	if aa := findArgumentsArrows("((("); aa.ok {
		t.Error("a source that does not parse is reported as parsed")
	}
}
