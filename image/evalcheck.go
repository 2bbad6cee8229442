package image

import (
	"reflect"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/stasisvm/stasis/vm/heap"
)

// Functions made by eval code are saved with the eval's source and compiled
// again, on load, as a script. That is exact for what such functions see by
// name (the caller's variables, which goja looks up dynamically in eval
// code, and the eval's own var declarations), but not for two things goja
// compiles differently in eval code:
//
//   - let, const and class declared at the top level of the eval code live
//     in a scope of the eval's own, which a script does not have;
//   - this, arguments, new.target and super in an arrow function at the top
//     level of a direct eval inside a function belong to that function.
//
// evalProblem reports, for the eval unit src, why its functions cannot be
// restored exactly ("" when they can); insideFunction tells whether the
// function's scope chain passes through a function's activation (a direct
// eval inside a function). The check is conservative: a unit that cannot be
// parsed is refused too.
func evalProblem(src string, insideFunction bool) string {
	prog, err := parser.ParseFile(nil, "<eval>", src, 0)
	if err != nil {
		return "function made by eval code that Stasis cannot parse (cannot be restored)"
	}
	for _, st := range prog.Body {
		switch st.(type) {
		case *ast.LexicalDeclaration, *ast.ClassDeclaration:
			return "function made by eval code that declares let, const or class at its top level (cannot be restored)"
		}
	}
	if insideFunction && arrowUsesCallerContext(reflect.ValueOf(prog), false) {
		return "arrow function made by direct eval uses its caller's this, arguments, new.target or super (cannot be restored)"
	}
	return ""
}

// arrowUsesCallerContext reports whether an arrow function outside any
// function or class in v refers to this, arguments, new.target or super
// (inArrow: v is inside such an arrow).
func arrowUsesCallerContext(v reflect.Value, inArrow bool) bool {
	found := false
	eachNode(v, func(n any) bool {
		switch x := n.(type) {
		case *ast.FunctionLiteral, *ast.ClassLiteral:
			return false // their own this, arguments and new.target
		case *ast.ArrowFunctionLiteral:
			if !inArrow {
				found = found || arrowUsesCallerContext(reflect.ValueOf(x.ParameterList), true) ||
					arrowUsesCallerContext(reflect.ValueOf(x.Body), true)
				return false
			}
		case *ast.ThisExpression, *ast.SuperExpression, *ast.MetaProperty:
			found = found || inArrow
		case *ast.Identifier:
			found = found || (inArrow && x.Name == "arguments")
		}
		return !found
	})
	return found
}

// checkEvalFunction fails the save when a function whose program p comes
// from eval code (a script the saver added, not one of the registry's)
// cannot be restored exactly; st is the function's scope.
func (s *saver) checkEvalFunction(p *goja.Program, st *heap.Stash) {
	ref, ok := s.progs[p]
	if !ok || ref.script < s.v.Scripts().Len() {
		return
	}
	inside := false
	for x := st; x != nil && x != s.global; x = *x.Outer() {
		if *x.FuncType() != 0 {
			inside = true
			break
		}
	}
	key := evalCheckKey{ref.script, inside}
	why, done := s.evalChecked[key]
	if !done {
		why = evalProblem(s.p.Scripts[ref.script].Source, inside)
		if s.evalChecked == nil {
			s.evalChecked = map[evalCheckKey]string{}
		}
		s.evalChecked[key] = why
	}
	if why != "" {
		s.fail("%s", why)
	}
}

type evalCheckKey struct {
	script int
	inside bool
}
