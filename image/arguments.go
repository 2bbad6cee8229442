package image

import (
	"reflect"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/stasisvm/stasis/vm/heap"
)

// Arrow functions that read an enclosing function's arguments. goja's
// compiler resolves `arguments` in an arrow to the enclosing function's
// arguments object without moving it into a captured scope (its
// scope.lookupName skips that step for this one name), so such an arrow
// reads a stack slot of whatever frame runs it: goja itself gives it a
// broken `arguments`, and a restored world would behave differently again.
// Those arrows are refused. The decision is made on the script's syntax
// tree, as goja's compiler resolves the name: a reference to `arguments`
// that is not declared by a parameter, let, const, class or catch binding in
// between, seen from inside one or more arrows, with an ordinary function
// (or method, or class constructor) around them; every arrow between the
// reference and that function is refused. Property names
// (`node.arguments`), strings, an inner ordinary function's own
// `arguments` and a top-level arrow's global `arguments` are not refusals.

// argumentsArrows are the arrows of one script that read an enclosing
// function's arguments, by the offset in the script's source at which goja
// compiled them (heap.ProgramPosition of their program). ok is false when
// the script could not be parsed.
type argumentsArrows struct {
	ok     bool
	arrows map[int]bool
}

// arrowReadsArguments reports whether the arrow function whose program is p
// (with own source text src) reads an enclosing function's arguments.
// Where the syntax tree cannot decide (an unknown program, a script Stasis
// cannot parse), it answers as the conservative text check does.
func (s *saver) arrowReadsArguments(p *goja.Program, src string) bool {
	ref, ok := s.progs[p]
	if !ok {
		return mentionsArguments(src)
	}
	if s.argArrows == nil {
		s.argArrows = map[int]*argumentsArrows{}
	}
	aa := s.argArrows[ref.script]
	if aa == nil {
		aa = findArgumentsArrows(s.scriptSource(ref.script))
		s.argArrows[ref.script] = aa
	}
	pos := heap.ProgramPosition(p)
	if !aa.ok || pos < 0 {
		return mentionsArguments(src)
	}
	return aa.arrows[pos]
}

// scriptSource returns the source of script i of the image being written:
// a registered script's (also a built-in one's, whose record holds only a
// digest) or an eval unit's.
func (s *saver) scriptSource(i int) string {
	if all := s.v.Scripts().All(); i < len(all) {
		return all[i].Source
	}
	if i < len(s.p.Scripts) {
		return s.p.Scripts[i].Source
	}
	return ""
}

// findArgumentsArrows parses src and finds its arrows that read an
// enclosing function's arguments.
func findArgumentsArrows(src string) *argumentsArrows {
	prog, err := parser.ParseFile(nil, "", src, 0)
	if err != nil {
		return &argumentsArrows{}
	}
	w := &argumentsArrows{ok: true, arrows: map[int]bool{}}
	w.walk(reflect.ValueOf(prog.Body), argsScope{})
	return w
}

// argsScope is what the walk knows at a point of the tree.
type argsScope struct {
	arrows   []int // offsets of the arrows between here and the nearest ordinary function
	inFunc   bool  // an ordinary function encloses those arrows (else the top level does)
	declared bool  // `arguments` is a binding declared between here and that function
}

func (a argsScope) withArrow(off int) argsScope {
	a.arrows = append(a.arrows[:len(a.arrows):len(a.arrows)], off)
	return a
}

// function is the scope inside an ordinary function (or a class element
// that runs as one): it has an arguments object of its own.
func function() argsScope { return argsScope{inFunc: true} }

func (w *argumentsArrows) walk(v reflect.Value, sc argsScope) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem(), sc)
		}
		return
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			w.walk(v.Index(i), sc)
		}
		return
	case reflect.Struct:
	default:
		return
	}
	if !v.CanAddr() {
		return
	}
	switch x := v.Addr().Interface().(type) {
	case *ast.Identifier:
		w.reference(x.Name.String(), sc)
		return
	case *ast.PropertyShort:
		w.reference(x.Name.Name.String(), sc)
		w.walk(reflect.ValueOf(x.Initializer), sc)
		return
	case *ast.DotExpression:
		w.walk(reflect.ValueOf(x.Left), sc)
		return
	case *ast.PrivateDotExpression:
		w.walk(reflect.ValueOf(x.Left), sc)
		return
	case *ast.MetaProperty, *ast.BranchStatement:
		return
	case *ast.LabelledStatement:
		w.walk(reflect.ValueOf(x.Statement), sc)
		return
	case *ast.PropertyKeyed:
		if x.Computed {
			w.walk(reflect.ValueOf(x.Key), sc)
		}
		w.walk(reflect.ValueOf(x.Value), sc)
		return
	case *ast.Binding:
		// A var declaration named arguments binds nothing in goja (the name
		// stays the arguments object's), so only its expressions matter.
		w.walk(reflect.ValueOf(x.Initializer), sc)
		w.patternExprs(reflect.ValueOf(x.Target), sc)
		return
	case *ast.FunctionDeclaration:
		w.walk(reflect.ValueOf(x.Function), sc)
		return
	case *ast.FunctionLiteral:
		inner := function()
		inner.declared = paramsDeclareArguments(x.ParameterList) || x.Body != nil && listDeclaresArguments(x.Body.List)
		w.params(x.ParameterList, inner)
		if x.Body != nil {
			w.walk(reflect.ValueOf(x.Body.List), inner)
		}
		return
	case *ast.ArrowFunctionLiteral:
		inner := sc.withArrow(int(x.Start) - 1)
		if paramsDeclareArguments(x.ParameterList) {
			inner.declared = true
		}
		w.params(x.ParameterList, inner)
		if b, ok := x.Body.(*ast.BlockStatement); ok {
			if listDeclaresArguments(b.List) {
				inner.declared = true
			}
			w.walk(reflect.ValueOf(b.List), inner)
		} else {
			w.walk(reflect.ValueOf(x.Body), inner)
		}
		return
	case *ast.ClassLiteral:
		w.walk(reflect.ValueOf(x.SuperClass), sc)
		w.walk(reflect.ValueOf(x.Body), sc)
		return
	case *ast.MethodDefinition:
		if x.Computed {
			w.walk(reflect.ValueOf(x.Key), sc)
		}
		w.walk(reflect.ValueOf(x.Body), sc)
		return
	case *ast.FieldDefinition:
		if x.Computed {
			w.walk(reflect.ValueOf(x.Key), sc)
		}
		// Initialisers run as a function of the class (where goja makes
		// `arguments` a syntax error).
		w.walk(reflect.ValueOf(x.Initializer), function())
		return
	case *ast.ClassStaticBlock:
		w.walk(reflect.ValueOf(x.Block), function())
		return
	case *ast.BlockStatement, *ast.ForStatement, *ast.ForInStatement, *ast.ForOfStatement,
		*ast.CatchStatement, *ast.SwitchStatement:
		for _, n := range lexicalNames(x) {
			if n == "arguments" {
				sc.declared = true
			}
		}
	}
	for i := 0; i < v.NumField(); i++ {
		if v.Type().Field(i).IsExported() {
			w.walk(v.Field(i), sc)
		}
	}
}

// reference records a use of name at scope sc.
func (w *argumentsArrows) reference(name string, sc argsScope) {
	if name != "arguments" || !sc.inFunc || sc.declared {
		return
	}
	for _, off := range sc.arrows {
		w.arrows[off] = true
	}
}

// params walks the expressions of a parameter list (defaults and computed
// keys); its identifiers are declarations.
func (w *argumentsArrows) params(pl *ast.ParameterList, sc argsScope) {
	if pl == nil {
		return
	}
	for _, b := range pl.List {
		w.walk(reflect.ValueOf(b.Initializer), sc)
		w.patternExprs(reflect.ValueOf(b.Target), sc)
	}
	w.patternExprs(reflect.ValueOf(pl.Rest), sc)
}

func (w *argumentsArrows) patternExprs(v reflect.Value, sc argsScope) {
	for _, e := range patternExpressions(v) {
		w.walk(reflect.ValueOf(e), sc)
	}
}

func paramsDeclareArguments(pl *ast.ParameterList) bool {
	if pl == nil {
		return false
	}
	for _, b := range pl.List {
		if hasName(targetNames(b.Target), "arguments") {
			return true
		}
	}
	return pl.Rest != nil && hasName(targetNames(pl.Rest), "arguments")
}

// listDeclaresArguments reports whether a statement list declares
// `arguments` with let, const or class.
func listDeclaresArguments(list []ast.Statement) bool {
	for _, st := range list {
		switch x := st.(type) {
		case *ast.LexicalDeclaration:
			for _, b := range x.List {
				if hasName(targetNames(b.Target), "arguments") {
					return true
				}
			}
		case *ast.ClassDeclaration:
			if x.Class != nil && identName(x.Class.Name) == "arguments" {
				return true
			}
		}
	}
	return false
}

// lexicalNames lists the let, const, class and catch bindings a block-like
// statement declares for itself (not its function declarations, which
// goja may also hoist to the function: a conservative omission).
func lexicalNames(n any) []string {
	switch x := n.(type) {
	case *ast.BlockStatement:
		if listDeclaresArguments(x.List) {
			return []string{"arguments"}
		}
		return nil
	case *ast.SwitchStatement:
		for _, c := range x.Body {
			if listDeclaresArguments(c.Consequent) {
				return []string{"arguments"}
			}
		}
		return nil
	}
	return blockNames(n)
}

func hasName(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}
