package repl

import (
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"
	"github.com/dop251/goja/token"
)

// Top-level await, as Node's REPL does it (lib/internal/repl/await.js).
//
// A script may not use await outside an async function, so an input that
// awaits at its top level is rewritten into a call of an async arrow
// function whose promise the REPL then waits for:
//
//	const x = await p; x * 2   →   let x; (async () => { void (x = await p); return (x * 2) })()
//
// The declarations of the input are hoisted out of the function so that
// they outlive it, as they would a top-level declaration: a var (at any
// depth outside a function) and a function declaration become global
// variables, a top-level let, const or class a global let. The value of a
// last expression statement is what the function returns.

// hasAwait reports whether src holds the word await outside a longer name
// (it may be in a string or a comment: a hint, not a proof).
func hasAwait(src string) bool { return awaitWord.MatchString(src) }

var awaitWord = regexp.MustCompile(`(^|[^\w$])await($|[^\w$])`)

// awaitAsVoid replaces each word await of src by "void ", which has the
// same length and stands where an await expression may: the parser then
// tells whether an awaiting input is complete.
func awaitAsVoid(src string) string {
	var b strings.Builder
	last := 0
	for _, m := range awaitIndexes(src) {
		b.WriteString(src[last:m])
		b.WriteString("void ")
		last = m + len("await")
	}
	b.WriteString(src[last:])
	return b.String()
}

func awaitIndexes(src string) []int {
	var out []int
	for i := 0; ; {
		j := strings.Index(src[i:], "await")
		if j < 0 {
			return out
		}
		at := i + j
		end := at + len("await")
		if (at == 0 || !isWordByte(src[at-1])) && (end == len(src) || !isWordByte(src[end])) {
			out = append(out, at)
		}
		i = end
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// wrapPrefix opens the async function an awaiting input runs in.
const wrapPrefix = "(async () => { "

// rewriteAwait returns src rewritten to run in an async function (see
// above), or ok false when src does not await at its top level, has a
// top-level return, or does not parse even so.
func rewriteAwait(src string) (code string, ok bool) {
	wrapped := wrapPrefix + src + "\n})()"
	prg, err := parser.ParseFile(nil, "", wrapped, 0)
	if err != nil || len(prg.Body) != 1 {
		return "", false
	}
	body := asyncBody(prg.Body[0])
	if body == nil {
		return "", false
	}
	r := &rewriter{src: src, offset: len(wrapPrefix) + 1} // file.Idx counts from 1
	for _, st := range body.List {
		r.statement(st, true)
	}
	if !r.awaits || r.returns {
		return "", false
	}
	if n := len(body.List); n > 0 {
		if es, ok := body.List[n-1].(*ast.ExpressionStatement); ok {
			// The expression may sit in parentheses that its own start
			// does not include; "return (" goes before them.
			start := r.pos(es.Expression.Idx0())
			for start > 0 && (src[start-1] == '(' || src[start-1] == ' ' || src[start-1] == '\t' || src[start-1] == '\n' || src[start-1] == '\r') {
				start--
			}
			for start < len(src) && src[start] != '(' && isSpace(src[start]) {
				start++
			}
			r.insert(start, "return (")
			r.insert(r.pos(es.Expression.Idx1()), ")")
		}
	}
	var hoisted strings.Builder
	if len(r.vars) > 0 {
		hoisted.WriteString("var " + strings.Join(r.vars, ", ") + "; ")
	}
	if len(r.lets) > 0 {
		hoisted.WriteString("let " + strings.Join(r.lets, ", ") + "; ")
	}
	return hoisted.String() + wrapPrefix + r.apply() + "\n})()", true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// asyncBody returns the body of the async arrow function that the
// statement calls, as wrapPrefix opens it.
func asyncBody(st ast.Statement) *ast.BlockStatement {
	es, ok := st.(*ast.ExpressionStatement)
	if !ok {
		return nil
	}
	call, ok := es.Expression.(*ast.CallExpression)
	if !ok {
		return nil
	}
	arrow, ok := call.Callee.(*ast.ArrowFunctionLiteral)
	if !ok || !arrow.Async {
		return nil
	}
	body, _ := arrow.Body.(*ast.BlockStatement)
	return body
}

// rewriter collects the edits of rewriteAwait.
type rewriter struct {
	src             string
	offset          int // what to subtract from a file.Idx to index src
	edits           []edit
	vars, lets      []string
	awaits, returns bool
}

// edit replaces src[at:at+del] by text.
type edit struct {
	at, del int
	text    string
	seq     int // order of insertion, for edits at the same place
}

func (r *rewriter) pos(i file.Idx) int { return int(i) - r.offset }

func (r *rewriter) insert(at int, text string) { r.replace(at, 0, text) }

func (r *rewriter) replace(at, del int, text string) {
	r.edits = append(r.edits, edit{at: at, del: del, text: text, seq: len(r.edits)})
}

func (r *rewriter) apply() string {
	sort.SliceStable(r.edits, func(i, j int) bool { return r.edits[i].at < r.edits[j].at })
	var b strings.Builder
	last := 0
	for _, e := range r.edits {
		if e.at < last || e.at+e.del > len(r.src) {
			continue // cannot happen with a well-formed tree; never corrupt the text
		}
		b.WriteString(r.src[last:e.at])
		b.WriteString(e.text)
		last = e.at + e.del
	}
	b.WriteString(r.src[last:])
	return b.String()
}

// statement looks at a statement of the async function's body, or one
// nested in it outside any inner function.
func (r *rewriter) statement(st ast.Statement, top bool) {
	switch st := st.(type) {
	case *ast.VariableStatement:
		r.declaration(r.pos(st.Var), "var", st.List, &r.vars)
		return
	case *ast.LexicalDeclaration:
		if top {
			kw := "let"
			if st.Token == token.CONST {
				kw = "const"
			}
			r.declaration(r.pos(st.Idx), kw, st.List, &r.lets)
			return
		}
	case *ast.FunctionDeclaration:
		if top && st.Function.Name != nil {
			name := st.Function.Name.Name.String()
			r.insert(r.pos(st.Idx0()), "this."+name+" = "+name+"; ")
			r.vars = append(r.vars, name)
		}
		return
	case *ast.ClassDeclaration:
		if top && st.Class.Name != nil {
			name := st.Class.Name.Name.String()
			r.insert(r.pos(st.Idx0()), name+"=")
			r.lets = append(r.lets, name)
		}
	case *ast.ForStatement:
		if init, ok := st.Initializer.(*ast.ForLoopInitializerVarDeclList); ok && len(init.List) > 0 {
			// goja does not record where this var is: look for it.
			at := r.keyword(st.For, init.List[0].Idx0(), "var")
			if at < 0 {
				break
			}
			r.declaration(at, "var", init.List, &r.vars)
			r.walk(reflect.ValueOf(st.Test))
			r.walk(reflect.ValueOf(st.Update))
			r.walk(reflect.ValueOf(st.Body))
			return
		}
	case *ast.ForInStatement:
		if r.forVar(st.For, st.Into) {
			r.walk(reflect.ValueOf(st.Source))
			r.walk(reflect.ValueOf(st.Body))
			return
		}
	case *ast.ForOfStatement:
		if r.forVar(st.For, st.Into) {
			r.walk(reflect.ValueOf(st.Source))
			r.walk(reflect.ValueOf(st.Body))
			return
		}
	}
	r.walk(reflect.ValueOf(st).Elem())
}

// declaration turns `var a = 1, b` (the keyword kw at index at) into
// `void ((a = 1), (b=undefined))` and hoists the names it binds.
func (r *rewriter) declaration(at int, kw string, list []*ast.Binding, names *[]string) {
	if len(list) == 1 {
		r.replace(at, len(kw), "void")
	} else {
		r.replace(at, len(kw), "void (")
	}
	for _, b := range list {
		r.insert(r.pos(b.Idx0()), "(")
		if b.Initializer != nil {
			r.insert(r.pos(b.Idx1()), ")")
			r.walk(reflect.ValueOf(b.Initializer))
		} else {
			r.insert(r.pos(b.Idx1()), "=undefined)")
		}
		bindingNames(b.Target, names)
	}
	if len(list) > 1 {
		r.insert(r.pos(list[len(list)-1].Idx1()), ")")
	}
}

// forVar turns `for (var x of xs)` into `for (x of xs)`, hoisting x; it
// reports whether the loop declared a var.
func (r *rewriter) forVar(forIdx file.Idx, into ast.ForInto) bool {
	v, ok := into.(*ast.ForIntoVar)
	if !ok {
		return false
	}
	at := r.keyword(forIdx, v.Binding.Idx0(), "var")
	if at < 0 {
		return false
	}
	r.replace(at, len("var"), "")
	bindingNames(v.Binding.Target, &r.vars)
	return true
}

// keyword returns the index in src of the first kw between from and to, or -1.
func (r *rewriter) keyword(from, to file.Idx, kw string) int {
	f, t := r.pos(from), r.pos(to)
	if f < 0 || t > len(r.src) || f > t {
		return -1
	}
	i := strings.Index(r.src[f:t], kw)
	if i < 0 {
		return -1
	}
	return f + i
}

// bindingNames adds the names that a binding target binds.
func bindingNames(t ast.Expression, names *[]string) {
	switch t := t.(type) {
	case *ast.Identifier:
		*names = append(*names, t.Name.String())
	case *ast.Binding:
		bindingNames(t.Target, names)
	case *ast.AssignExpression: // a default: {a = 1}
		bindingNames(t.Left, names)
	case *ast.ArrayPattern:
		for _, e := range t.Elements {
			bindingNames(e, names)
		}
		bindingNames(t.Rest, names)
	case *ast.ObjectPattern:
		for _, p := range t.Properties {
			switch p := p.(type) {
			case *ast.PropertyShort:
				*names = append(*names, p.Name.Name.String())
			case *ast.PropertyKeyed:
				bindingNames(p.Value, names)
			}
		}
		bindingNames(t.Rest, names)
	}
}

var (
	functionTypes = map[reflect.Type]bool{
		reflect.TypeOf(&ast.FunctionLiteral{}):      true,
		reflect.TypeOf(&ast.ArrowFunctionLiteral{}): true,
		reflect.TypeOf(&ast.ClassStaticBlock{}):     true,
	}
)

// walk visits the nodes under v, not entering functions: it notes awaits
// and returns, and hands nested statements to statement.
func (r *rewriter) walk(v reflect.Value) {
	if !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		r.walk(v.Elem())
	case reflect.Pointer:
		if v.IsNil() || functionTypes[v.Type()] {
			return
		}
		switch v.Interface().(type) {
		case *ast.AwaitExpression:
			r.awaits = true
		case *ast.ReturnStatement:
			r.returns = true
		}
		if st, ok := v.Interface().(ast.Statement); ok {
			r.statement(st, false)
			return
		}
		r.walk(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				r.walk(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			r.walk(v.Index(i))
		}
	}
}
