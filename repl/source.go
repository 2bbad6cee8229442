package repl

import (
	"errors"
	"strings"

	"github.com/dop251/goja/parser"
)

// prepare decides what to run for the input src: src itself, or src in
// parentheses when it starts with "{" and parses as an object literal (so
// that `{a: 1}` is an object, as in Node, and `{ let x = 1 }` still a
// block). incomplete reports that src ends before its last statement does
// (an open bracket, a trailing operator, an unterminated template or
// comment): the REPL then reads another line.
func prepare(src string) (code string, incomplete bool) {
	trimmed := strings.TrimSpace(src)
	if strings.HasPrefix(trimmed, "{") && !strings.HasSuffix(trimmed, ";") {
		// The newline keeps a trailing line comment from eating the ")".
		wrapped := "(" + src + "\n)"
		if _, err := parser.ParseFile(nil, "", wrapped, 0); err == nil {
			return wrapped, false
		}
		// An object literal not closed yet.
		if _, err := parser.ParseFile(nil, "", "("+src, 0); unfinished(err) {
			return src, true
		}
	}
	_, err := parser.ParseFile(nil, "", src, 0)
	if err != nil && !unfinished(err) && hasAwait(src) {
		// A script cannot await, so the parser stops at the first await
		// before it sees where the input ends; an await expression where
		// the await was tells.
		_, err = parser.ParseFile(nil, "", awaitAsVoid(src), 0)
	}
	return src, err != nil && unfinished(err)
}

// unfinished reports whether a parse error says the input ended too soon.
func unfinished(err error) bool {
	var list parser.ErrorList
	if !errors.As(err, &list) {
		return false
	}
	// Only the first error counts: the parser, lost after a real error,
	// may well run into the end of the input next.
	return len(list) > 0 && list[0].Message == "Unexpected end of input"
}
