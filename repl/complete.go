package repl

import (
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// complete returns the completions of the word before position pos (in
// runes) of line, as liner's WordCompleter wants them: line[:start], the
// candidates for the word, and the rest of the line.
//
// A word after "a.b." completes to the properties of a.b, own and
// inherited (after a string literal, or a number in parentheses, to those
// of a string or a number); a word alone to the global names (the global object's
// properties, top-level let/const/class bindings, keywords); a word after a
// leading "." to the dot-commands. It never runs the world's code: a.b is
// looked up through property descriptors and the lookup gives up at a
// getter or a Proxy.
func (s *session) complete(line string, pos int) (head string, items []string, tail string) {
	runes := []rune(line)
	if pos < 0 || pos > len(runes) {
		pos = len(runes)
	}
	before, tail := string(runes[:pos]), string(runes[pos:])

	if t := strings.TrimLeft(before, " \t"); strings.HasPrefix(t, ".") && !strings.ContainsAny(t, " \t") && len(s.pending) == 0 {
		for _, name := range commandNames() {
			if strings.HasPrefix("."+name, t) {
				items = append(items, "."+name)
			}
		}
		return before[:len(before)-len(t)], items, tail
	}

	start := identStart(before, len(before))
	word := before[start:]
	if start > 0 && before[start-1] == '.' {
		// As in Node, the candidates are whole expressions ("obj.alpha"),
		// those of the farthest prototype first and the object's own last,
		// nearest the prompt.
		recv := before[:start-1]
		path, from, ok := memberPath(recv)
		lit, litFrom, isLit := literalOf(recv)
		if isLit {
			from = litFrom
		} else if !ok {
			return "", nil, tail
		}
		var levels [][]string
		_ = s.v.Try("complete", func() error {
			var o *goja.Object
			if isLit {
				o = toObject(s.v.Runtime(), s.v.Runtime().ToValue(lit))
			} else {
				o = s.resolve(path)
			}
			if o != nil {
				levels = vm.PropertyNames(o)
			}
			return nil
		})
		expr := before[from:start]
		seen := map[string]bool{}
		var groups [][]string
		for _, level := range levels {
			group := matching(level, word, seen)
			for i, n := range group {
				group[i] = expr + n
			}
			groups = append(groups, group)
		}
		for i := len(groups) - 1; i >= 0; i-- {
			items = append(items, groups[i]...)
		}
		return before[:from], items, tail
	}
	var names []string
	_ = s.v.Try("complete", func() error {
		names = s.globalNames()
		return nil
	})
	return before[:start], matching(names, word, map[string]bool{}), tail
}

// matching returns the names that start with prefix and that seen does not
// hold, sorted and once each, and adds them to seen.
func matching(names []string, prefix string, seen map[string]bool) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && !seen[n] && isIdentifier(n) {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// identStart returns where the identifier that ends at end begins in s.
func identStart(s string, end int) int {
	i := end
	for i > 0 {
		r := rune(s[i-1])
		if r >= 0x80 || isIdentRune(r) {
			i--
			continue
		}
		break
	}
	return i
}

func isIdentRune(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isIdentifier(s string) bool {
	for i, r := range s {
		if !isIdentRune(r) || i == 0 && unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// memberPath splits the expression that ends s, such as "a.b.c" (or
// "a?.b"), into its names; ok is false for anything else: a call, an index,
// a literal.
func memberPath(s string) (path []string, from int, ok bool) {
	end := len(s)
	for {
		s = strings.TrimRight(s[:end], " \t")
		end = len(s)
		start := identStart(s, end)
		name := s[start:end]
		if !isIdentifier(name) {
			return nil, 0, false
		}
		path = append([]string{name}, path...)
		rest := strings.TrimRight(s[:start], " \t")
		switch {
		case strings.HasSuffix(rest, "?."):
			end = len(rest) - 2
		case strings.HasSuffix(rest, ".") && !strings.HasSuffix(rest, ".."):
			end = len(rest) - 1
		default:
			// The path must start the expression, not follow a value ("f().a").
			if rest != "" {
				if c := rest[len(rest)-1]; c == ')' || c == ']' || c == '"' || c == '\'' || c == '`' {
					return nil, 0, false
				}
			}
			return path, start, true
		}
		s = rest
	}
}

// literalOf reports whether the expression that ends s is a literal whose
// properties can be listed without running anything, as Node completes
// them: a string ('abc', "abc", `abc` without substitutions) or a number
// in parentheses ((1)). It returns a value of the literal's type, and
// where in s the literal begins.
func literalOf(s string) (val any, from int, ok bool) {
	n := len(s)
	if n < 2 {
		return nil, 0, false
	}
	var open int
	switch q := s[n-1]; q {
	case '\'', '"', '`':
		open = -1
		for i := n - 2; i >= 0; i-- {
			if s[i] == q && !escaped(s, i) {
				open = i
				break
			}
		}
		body := s[open+1 : n-1]
		if open < 0 || q != '`' && strings.ContainsAny(body, "\n\r") || q == '`' && strings.Contains(body, "${") {
			return nil, 0, false
		}
		val = stringValue
	case ')':
		m := parenNumber.FindStringIndex(s)
		if m == nil {
			return nil, 0, false
		}
		open = m[0]
		val = numberValue
	default:
		return nil, 0, false
	}
	// The literal must begin an expression, not follow a value: f'x' is
	// no string, a(1) a call.
	if rest := strings.TrimRight(s[:open], " \t"); rest != "" {
		c := rune(rest[len(rest)-1])
		if c == ')' || c == ']' || c == '\'' || c == '"' || c == '`' || c == '.' {
			return nil, 0, false
		}
		if isIdentRune(c) && !operatorWords[rest[identStart(rest, len(rest)):]] {
			return nil, 0, false
		}
	}
	return val, open, true
}

const (
	stringValue = ""
	numberValue = 0
)

// operatorWords are the keywords after which an expression begins.
var operatorWords = map[string]bool{"return": true, "typeof": true, "void": true, "delete": true, "await": true,
	"yield": true, "case": true, "in": true, "of": true, "instanceof": true, "new": true, "throw": true}

var (
	parenNumber = regexp.MustCompile(`\(\s*-?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|0[xXoObB][\da-fA-F_]+)\s*\)$`)
)

// escaped reports whether the character at i of s follows an odd number
// of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// resolve finds the object at path, or nil. Primitives stand for their
// wrapper objects, so "s.len" completes String.prototype's names.
func (s *session) resolve(path []string) *goja.Object {
	rt := s.v.Runtime()
	var cur goja.Value
	found := false
	for _, b := range s.v.Lexicals() {
		if b.Name == path[0] {
			cur, found = b.Value, b.Value != nil
			break
		}
	}
	if !found {
		if cur, found = s.lookup(rt.GlobalObject(), path[0]); !found {
			return nil
		}
	}
	for _, name := range path[1:] {
		o := toObject(rt, cur)
		if o == nil {
			return nil
		}
		if cur, found = s.lookup(o, name); !found {
			return nil
		}
	}
	return toObject(rt, cur)
}

func toObject(rt *goja.Runtime, v goja.Value) *goja.Object {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	return v.ToObject(rt)
}

// lookup reads the data property name of o or of its prototypes, without
// calling a getter or a Proxy's trap.
func (s *session) lookup(o *goja.Object, name string) (goja.Value, bool) {
	for depth := 0; o != nil && depth < 100; depth++ {
		if vm.KindOf(o) == vm.KindProxy {
			return nil, false
		}
		if p, ok := s.v.OwnProperty(o, name); ok {
			if p.Accessor {
				return nil, false // an accessor: do not run it
			}
			return p.Value, true
		}
		o = o.Prototype()
	}
	return nil, false
}

// globalNames lists what a word alone may complete to.
func (s *session) globalNames() []string {
	return append(s.v.GlobalNames(), keywords...)
}

var keywords = strings.Fields(`async await break case catch class const continue debugger default
	delete do else export extends false finally for function if import in instanceof let new
	null return static super switch this throw true try typeof var void while with yield`)
