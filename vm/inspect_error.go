package vm

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/dop251/goja/parser"
)

// Errors as Node prints them.

// SyntaxError is a script that does not compile, with the place of the
// first error, so that it can be shown as Node shows one:
//
//	app.js:3
//	  a +* 2
//	     ^
//
//	SyntaxError: Unexpected token '*'
type SyntaxError struct {
	Script  string // the script's name
	Line    int    // 1-based; 0 when goja did not say where
	Column  int    // 1-based, in bytes of the line
	Width   int    // the characters of the token at Column, which carets underline (at least 1)
	Text    string // the source line
	Message string // goja's message as V8 words it, without "(and N more errors)"
	Err     error  // what the compiler returned
}

// Error reads "app.js:3:5: SyntaxError: message" (without the line and
// column when goja did not say where).
func (e *SyntaxError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: SyntaxError: %s", e.Script, e.Message)
	}
	return fmt.Sprintf("%s:%d:%d: SyntaxError: %s", e.Script, e.Line, e.Column, e.Message)
}

// Unwrap returns what the compiler returned.
func (e *SyntaxError) Unwrap() error { return e.Err }

// Pretty shows the error as Node does: the script and line number (unless
// withName is false, as for an input typed at a REPL), the line, a caret
// under each character of the token at the column, an empty line, then
// "SyntaxError: message".
func (e *SyntaxError) Pretty(withName bool) string {
	var b strings.Builder
	if e.Line > 0 {
		if withName {
			fmt.Fprintf(&b, "%s:%d\n", e.Script, e.Line)
		}
		b.WriteString(e.Text + "\n")
		b.WriteString(caretIndent(e.Text, e.Column) + strings.Repeat("^", max(e.Width, 1)) + "\n\n")
	}
	b.WriteString("SyntaxError: " + e.Message)
	return b.String()
}

// caretIndent is what goes before a caret under byte column col (1-based)
// of line: tabs where the line has tabs, so that the caret lines up, and a
// space for every other character.
func caretIndent(line string, col int) string {
	if col-1 < len(line) {
		line = line[:max(col-1, 0)]
	}
	var b strings.Builder
	for _, r := range line {
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// AsSyntaxError returns err, what compiling the script name with source src
// returned, as a *SyntaxError, or nil when err is not a compile error.
// goja reports a parse error with no position; the source is parsed again
// to find it.
func AsSyntaxError(name, src string, err error) *SyntaxError {
	var se *SyntaxError
	if errors.As(err, &se) {
		return se
	}
	var ce *goja.CompilerSyntaxError
	if !errors.As(err, &ce) {
		return nil
	}
	e := &SyntaxError{Script: name, Message: trimMoreErrors(ce.Message), Err: err}
	if ce.File != nil {
		pos := ce.File.Position(ce.Offset)
		e.Line, e.Column = pos.Line, pos.Column
	} else if _, perr := parser.ParseFile(nil, name, src, 0); perr != nil {
		var list parser.ErrorList
		if errors.As(perr, &list) && len(list) > 0 {
			e.Line, e.Column, e.Message = list[0].Position.Line, list[0].Position.Column, list[0].Message
		}
	}
	e.Message = nodeMessage(e.Message)
	if e.Line > 0 {
		lines := strings.Split(src, "\n")
		if e.Line <= len(lines) {
			e.Text = strings.TrimRight(lines[e.Line-1], "\r")
			tok := e.Text[min(max(e.Column-1, 0), len(e.Text)):]
			tok = tok[:tokenLen(tok, e.Message)]
			e.Width = max(utf8.RuneCountInString(tok), 1)
			if e.Message == "Unexpected identifier" && tok != "" {
				e.Message += " '" + tok + "'" // as V8 words it
			}
		} else {
			e.Line = 0
		}
	}
	return e
}

// tokenLen measures, in bytes, the token that rest begins with, as V8
// underlines it: an identifier, a number or a string whole, a punctuator
// as long as the message quotes it ("Unexpected token '+='"), anything
// else as one character.
func tokenLen(rest, msg string) int {
	if rest == "" {
		return 0
	}
	if tok, ok := strings.CutPrefix(msg, "Unexpected token '"); ok {
		tok = strings.TrimSuffix(tok, "'")
		if tok != "" && strings.HasPrefix(rest, tok) {
			return len(tok)
		}
	}
	r, size := utf8.DecodeRuneInString(rest)
	switch {
	case r == '"' || r == '\'':
		for j := size; j < len(rest); j++ {
			switch rest[j] {
			case '\\':
				j++
			case byte(r):
				return j + 1
			}
		}
		return len(rest)
	case r >= '0' && r <= '9' || r == '.' && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9':
		j := 0
		for j < len(rest) && (isIdentByte(rest[j]) || rest[j] == '.') {
			j++
		}
		return j
	case isIdentRune(r):
		j := 0
		for j < len(rest) {
			r, n := utf8.DecodeRuneInString(rest[j:])
			if !isIdentRune(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && r != '\u200c' && r != '\u200d' {
				break
			}
			j += n
		}
		return j
	}
	return size
}

func isIdentRune(r rune) bool { return r == '_' || r == '$' || unicode.IsLetter(r) }

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// nodeMessage words goja's "Unexpected token =" as V8 does: "Unexpected
// token '='" (and an illegal character as "Invalid or unexpected token").
func nodeMessage(msg string) string {
	tok, ok := strings.CutPrefix(msg, "Unexpected token ")
	switch {
	case !ok || tok == "" || strings.ContainsAny(tok, " '"):
		return msg
	case tok == "ILLEGAL":
		return "Invalid or unexpected token"
	}
	return "Unexpected token '" + tok + "'"
}

var moreErrors = regexp.MustCompile(` \(and \d+ more errors\)$`)

// trimMoreErrors drops goja's count of the errors after the first, and the
// position it puts before a parse error's message.
func trimMoreErrors(msg string) string {
	msg = moreErrors.ReplaceAllString(msg, "")
	if i := strings.Index(msg, ": Line "); i >= 0 {
		// "name: Line 1:5 Unexpected token ="
		rest := msg[i+len(": Line "):]
		if _, after, ok := strings.Cut(rest, " "); ok {
			msg = after
		}
	}
	return msg
}

// pcSuffix is the program counter goja writes after a frame's column.
var pcSuffix = regexp.MustCompile(`(:\d+:\d+)\(\d+\)`)

// NodeStack turns an Error's stack, as goja writes it ("\tat f
// (a.js:1:26(3))"), into Node's form ("    at f (a.js:1:26)"), without
// the trailing newline.
func NodeStack(stack string) string {
	lines := strings.Split(strings.TrimRight(stack, "\n"), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "\tat ") {
			lines[i] = "    at " + pcSuffix.ReplaceAllString(l[len("\tat "):], "$1")
		}
	}
	return strings.Join(lines, "\n")
}

// trimScriptFrames drops, as Node's REPL does, the last frame of a stack
// that runs no named function (the top level of the input that threw)
// and every frame below it: they are the REPL's own, not the user's.
func trimScriptFrames(stack string) string {
	lines := strings.Split(stack, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		if !strings.HasPrefix(l, "    at ") {
			break // the frames are over (a message over several lines)
		}
		if !strings.HasSuffix(l, ")") {
			return strings.Join(lines[:i], "\n")
		}
	}
	return stack
}
