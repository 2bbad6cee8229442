package image

import (
	"reflect"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"
	"github.com/stasisvm/stasis/vm/heap"
)

// Names of captured variables. goja keeps the names of a scope's slots only
// for dynamic scopes (direct eval, with); elsewhere a closure's scope is a
// bare array of values. scopeNamer derives the names from the script's
// source, with goja's parser, following the order in which goja's compiler
// gives captured bindings their slots: a function's parameters, its var
// declarations, its function declarations, its top-level let, const and
// class, and the name of a named function expression; only bindings that an
// inner function refers to get a slot. Where that order cannot be known for
// sure (parameter patterns or defaults, an arrow using the function's this
// or arguments, eval or with inside, a block scope between a closure and its
// function), no names are given, and callers check that the count of names
// matches the count of slots before using them, so that a name is never
// wrong.

// scopeNames are the derived names of one scope: the function it belongs to
// and its slots' names, in slot order.
type scopeNames struct {
	fn    string
	slots []string
}

type scopeNamer struct {
	scripts map[int]*namedScript // by script number, parsed once
}

type namedScript struct {
	byPos map[int]*fnNode // by the source offset goja compiles a function at (heap.ProgramPosition)
}

// fnNode is a function of a parsed script.
type fnNode struct {
	lit     ast.Node // *ast.FunctionLiteral or *ast.ArrowFunctionLiteral
	name    string
	isExpr  bool    // a function expression: its own name is bound inside it
	parent  *fnNode // the enclosing function, nil at the top level
	blocked bool    // a block scope lies between this function and parent

	computed bool
	captured []string // nil: unknown
}

// chain returns the names of the scopes a closure sees whose function goja
// compiled at offset pos of script number script (whose source is src):
// its own creating scope first, then the outer ones, as far as they can be
// known. A script is parsed once, and looked up by number, not by its text.
func (n *scopeNamer) chain(script int, src string, pos int) []scopeNames {
	if n.scripts == nil {
		n.scripts = map[int]*namedScript{}
	}
	ns, ok := n.scripts[script]
	if !ok {
		ns = parseForNames(src)
		n.scripts[script] = ns
	}
	if ns == nil {
		return nil
	}
	node := ns.byPos[pos]
	if node == nil {
		return nil
	}
	var out []scopeNames
	for f := node; f.parent != nil && !f.blocked; f = f.parent {
		q := f.parent
		slots := q.capturedNames()
		if slots == nil {
			break
		}
		if len(slots) == 0 {
			continue // no captured bindings: the function makes no scope
		}
		out = append(out, scopeNames{fn: q.name, slots: slots})
	}
	return out
}

// own returns the names of the captured variables of the function goja
// compiled at offset pos of script number script: its own scope's slots.
func (n *scopeNamer) own(script int, src string, pos int) (scopeNames, bool) {
	if n.scripts == nil {
		n.scripts = map[int]*namedScript{}
	}
	ns, ok := n.scripts[script]
	if !ok {
		ns = parseForNames(src)
		n.scripts[script] = ns
	}
	if ns == nil || ns.byPos[pos] == nil {
		return scopeNames{}, false
	}
	node := ns.byPos[pos]
	slots := node.capturedNames()
	if slots == nil {
		return scopeNames{}, false
	}
	return scopeNames{fn: node.name, slots: slots}, true
}

func parseForNames(src string) *namedScript {
	prog, err := parser.ParseFile(nil, "", src, 0)
	if err != nil {
		return nil
	}
	ns := &namedScript{byPos: map[int]*fnNode{}}
	seen := map[ast.Node]bool{} // the parser lists var declarations twice
	var visit func(v reflect.Value, parent *fnNode, blocked bool, name string, decl bool)
	visit = func(v reflect.Value, parent *fnNode, blocked bool, name string, decl bool) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface:
			if !v.IsNil() {
				visit(v.Elem(), parent, blocked, name, decl)
			}
			return
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				visit(v.Index(i), parent, blocked, "", false)
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
		case *ast.FunctionDeclaration:
			if x.Function != nil {
				visit(reflect.ValueOf(x.Function).Elem(), parent, blocked, identName(x.Function.Name), true)
			}
			return
		case *ast.FunctionLiteral:
			if seen[x] {
				return
			}
			seen[x] = true
			if name == "" {
				name = identName(x.Name)
			}
			f := &fnNode{lit: x, name: name, isExpr: !decl, parent: parent, blocked: blocked}
			ns.byPos[int(x.Function)-1] = f
			visit(reflect.ValueOf(x.ParameterList), f, false, "", false)
			if x.Body != nil {
				visitBody(x.Body.List, f, visit)
			}
			return
		case *ast.ArrowFunctionLiteral:
			if seen[x] {
				return
			}
			seen[x] = true
			f := &fnNode{lit: x, name: "<arrow>", isExpr: true, parent: parent, blocked: blocked}
			ns.byPos[int(x.Start)-1] = f
			visit(reflect.ValueOf(x.ParameterList), f, false, "", false)
			if b, ok := x.Body.(*ast.BlockStatement); ok {
				visitBody(b.List, f, visit)
			} else {
				visit(reflect.ValueOf(x.Body), f, false, "", false)
			}
			return
		case *ast.BlockStatement, *ast.ForStatement, *ast.ForInStatement, *ast.ForOfStatement,
			*ast.CatchStatement, *ast.ClassLiteral, *ast.SwitchStatement, *ast.WithStatement:
			if declaresNames(x) {
				blocked = true
			}
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				visit(v.Field(i), parent, blocked, "", false)
			}
		}
	}
	visit(reflect.ValueOf(prog), nil, false, "", false)
	return ns
}

// visitBody visits a function body's statements: they are in the
// function's own scope, not in a block.
func visitBody(list []ast.Statement, f *fnNode, visit func(reflect.Value, *fnNode, bool, string, bool)) {
	for _, st := range list {
		visit(reflect.ValueOf(&st).Elem(), f, false, "", false)
	}
}

// declaresNames reports whether a statement makes a scope of its own that
// may need a slot array.
func declaresNames(n any) bool {
	switch x := n.(type) {
	case *ast.BlockStatement:
		return listDeclares(x.List)
	case *ast.ForStatement:
		_, ok := x.Initializer.(*ast.ForLoopInitializerLexicalDecl)
		return ok
	case *ast.ForInStatement:
		_, ok := x.Into.(*ast.ForDeclaration)
		return ok
	case *ast.ForOfStatement:
		_, ok := x.Into.(*ast.ForDeclaration)
		return ok
	case *ast.SwitchStatement:
		for _, c := range x.Body {
			if listDeclares(c.Consequent) {
				return true
			}
		}
		return false
	}
	return true // catch, class, with
}

func listDeclares(list []ast.Statement) bool {
	for _, st := range list {
		switch st.(type) {
		case *ast.LexicalDeclaration, *ast.ClassDeclaration, *ast.FunctionDeclaration:
			return true
		}
	}
	return false
}

func identName(id *ast.Identifier) string {
	if id == nil {
		return ""
	}
	return id.Name.String()
}

// capturedNames returns f's captured bindings in slot order, or nil when
// the order cannot be known.
func (f *fnNode) capturedNames() []string {
	if f.computed {
		return f.captured
	}
	f.computed = true
	declared, ok := f.declaredNames()
	if !ok {
		return nil
	}
	own := map[string]bool{}
	for _, d := range declared {
		own[d] = true
	}
	_, arrow := f.lit.(*ast.ArrowFunctionLiteral)
	if !arrow {
		own["arguments"] = true
	}
	c := &captureWalk{own: own, captured: map[string]bool{}}
	switch x := f.lit.(type) {
	case *ast.FunctionLiteral:
		c.walk(reflect.ValueOf(x.ParameterList), nil, 0, false)
		if x.Body != nil {
			c.walk(reflect.ValueOf(x.Body.List), nil, 0, false)
		}
	case *ast.ArrowFunctionLiteral:
		c.walk(reflect.ValueOf(x.ParameterList), nil, 0, false)
		c.walk(reflect.ValueOf(x.Body), nil, 0, false)
	}
	if c.unknown || c.captured["arguments"] {
		return nil
	}
	out := []string{}
	for _, d := range declared {
		if c.captured[d] {
			out = append(out, d)
		}
	}
	f.captured = out
	return out
}

// declaredNames lists f's own bindings in the order goja creates them.
func (f *fnNode) declaredNames() ([]string, bool) {
	var params *ast.ParameterList
	var decls []*ast.VariableDeclaration
	var body []ast.Statement
	switch x := f.lit.(type) {
	case *ast.FunctionLiteral:
		params, decls = x.ParameterList, x.DeclarationList
		if x.Body != nil {
			body = x.Body.List
		}
	case *ast.ArrowFunctionLiteral:
		params, decls = x.ParameterList, x.DeclarationList
		if b, ok := x.Body.(*ast.BlockStatement); ok {
			body = b.List
		}
	}
	var out []string
	seen := map[string]bool{}
	add := func(name string) {
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	if params != nil {
		if params.Rest != nil {
			return nil, false
		}
		for _, p := range params.List {
			id, ok := p.Target.(*ast.Identifier)
			if !ok || p.Initializer != nil {
				return nil, false
			}
			add(id.Name.String())
		}
	}
	for _, d := range decls {
		for _, b := range d.List {
			for _, name := range targetNames(b.Target) {
				add(name)
			}
		}
	}
	for _, st := range body {
		if fd, ok := st.(*ast.FunctionDeclaration); ok && fd.Function != nil {
			add(identName(fd.Function.Name))
		}
	}
	for _, st := range body {
		switch x := st.(type) {
		case *ast.LexicalDeclaration:
			for _, b := range x.List {
				for _, name := range targetNames(b.Target) {
					add(name)
				}
			}
		case *ast.ClassDeclaration:
			if x.Class != nil {
				add(identName(x.Class.Name))
			}
		}
	}
	if fl, ok := f.lit.(*ast.FunctionLiteral); ok && f.isExpr && fl.Name != nil {
		add(fl.Name.Name.String())
	}
	return out, true
}

// targetNames lists the identifiers a binding target declares.
func targetNames(t any) []string {
	var out []string
	eachNode(reflect.ValueOf(t), func(n any) bool {
		switch x := n.(type) {
		case *ast.Identifier:
			out = append(out, x.Name.String())
		case *ast.PropertyShort:
			out = append(out, x.Name.Name.String())
		case *ast.PropertyKeyed:
			out = append(out, targetNames(x.Value)...)
		case *ast.AssignExpression:
			out = append(out, targetNames(x.Left)...)
		default:
			return true
		}
		return false
	})
	return out
}

// eachNode calls visit for every AST node (a pointer to an ast struct) in
// v, depth first; visit says whether to go on into the node's fields.
func eachNode(v reflect.Value, visit func(n any) bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			eachNode(v.Elem(), visit)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			eachNode(v.Index(i), visit)
		}
	case reflect.Struct:
		if !v.CanAddr() || !visit(v.Addr().Interface()) {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				eachNode(v.Field(i), visit)
			}
		}
	}
}

// captureWalk finds which of a function's own names inner functions use.
type captureWalk struct {
	own      map[string]bool
	captured map[string]bool
	unknown  bool // eval, with, or the function's this captured by an arrow
}

var (
	bindingTargetType = reflect.TypeOf((*ast.BindingTarget)(nil)).Elem()
)

// walk visits v. shadow holds the names declared by the inner functions
// and blocks between v and the function; depth counts inner non-arrow
// functions; inArrow says an arrow lies between v and the nearest such
// function (or the function itself, at depth 0).
func (c *captureWalk) walk(v reflect.Value, shadow []map[string]bool, depth int, inArrow bool) {
	if c.unknown {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			c.walk(v.Elem(), shadow, depth, inArrow)
		}
		return
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			c.walk(v.Index(i), shadow, depth, inArrow)
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
		c.reference(x.Name.String(), shadow, depth, inArrow)
		return
	case *ast.PropertyShort:
		c.reference(x.Name.Name.String(), shadow, depth, inArrow)
		c.walk(reflect.ValueOf(x.Initializer), shadow, depth, inArrow)
		return
	case *ast.ThisExpression, *ast.SuperExpression, *ast.MetaProperty:
		if depth == 0 && inArrow {
			c.unknown = true // the function's hidden this or new.target binding is captured
		}
		return
	case *ast.WithStatement:
		c.unknown = true
		return
	case *ast.CallExpression:
		if id, ok := x.Callee.(*ast.Identifier); ok && id.Name == "eval" {
			c.unknown = true
			return
		}
	case *ast.DotExpression:
		c.walk(reflect.ValueOf(x.Left), shadow, depth, inArrow)
		return
	case *ast.PrivateDotExpression:
		c.walk(reflect.ValueOf(x.Left), shadow, depth, inArrow)
		return
	case *ast.PropertyKeyed:
		if x.Computed {
			c.walk(reflect.ValueOf(x.Key), shadow, depth, inArrow)
		}
		c.walk(reflect.ValueOf(x.Value), shadow, depth, inArrow)
		return
	case *ast.MethodDefinition:
		if x.Computed {
			c.walk(reflect.ValueOf(x.Key), shadow, depth, inArrow)
		}
		c.walk(reflect.ValueOf(x.Body), shadow, depth, inArrow)
		return
	case *ast.FieldDefinition:
		if x.Computed {
			c.walk(reflect.ValueOf(x.Key), shadow, depth, inArrow)
		}
		// A field initialiser runs as a method of the class.
		c.walk(reflect.ValueOf(x.Initializer), append(shadow, map[string]bool{}), depth+1, false)
		return
	case *ast.LabelledStatement:
		c.walk(reflect.ValueOf(x.Statement), shadow, depth, inArrow)
		return
	case *ast.BranchStatement:
		return
	case *ast.FunctionDeclaration:
		// Its name is bound in the scope around it, not inside it.
		if x.Function != nil {
			c.function(x.Function, false, shadow, depth)
		}
		return
	case *ast.FunctionLiteral:
		c.function(x, true, shadow, depth)
		return
	case *ast.ArrowFunctionLiteral:
		inner := map[string]bool{}
		for _, n := range allDeclared(x) {
			inner[n] = true
		}
		sh := append(shadow[:len(shadow):len(shadow)], inner)
		c.walk(reflect.ValueOf(x.ParameterList), sh, depth, true)
		c.walk(reflect.ValueOf(x.Body), sh, depth, true)
		return
	case *ast.Binding:
		c.walk(reflect.ValueOf(x.Initializer), shadow, depth, inArrow)
		c.walkPatternDefaults(reflect.ValueOf(x.Target), shadow, depth, inArrow)
		return
	case *ast.BlockStatement, *ast.ForStatement, *ast.ForInStatement, *ast.ForOfStatement,
		*ast.CatchStatement, *ast.ClassLiteral, *ast.SwitchStatement:
		if names := blockNames(x); len(names) > 0 {
			inner := map[string]bool{}
			for _, n := range names {
				inner[n] = true
			}
			shadow = append(shadow[:len(shadow):len(shadow)], inner)
		}
	}
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Type == bindingTargetType {
			c.walkPatternDefaults(v.Field(i), shadow, depth, inArrow)
			continue
		}
		c.walk(v.Field(i), shadow, depth, inArrow)
	}
}

// function visits an inner non-arrow function; expr says whether it is a
// function expression, whose own name is bound inside it.
func (c *captureWalk) function(x *ast.FunctionLiteral, expr bool, shadow []map[string]bool, depth int) {
	inner := map[string]bool{"arguments": true}
	for _, n := range allDeclared(x) {
		inner[n] = true
	}
	if expr && x.Name != nil {
		inner[x.Name.Name.String()] = true
	}
	sh := append(shadow[:len(shadow):len(shadow)], inner)
	c.walk(reflect.ValueOf(x.ParameterList), sh, depth+1, false)
	c.walk(reflect.ValueOf(x.Body), sh, depth+1, false)
}

// walkPatternDefaults visits the default values and computed keys of a
// binding pattern, which are expressions; its identifiers are declarations.
func (c *captureWalk) walkPatternDefaults(v reflect.Value, shadow []map[string]bool, depth int, inArrow bool) {
	for _, e := range patternExpressions(v) {
		c.walk(reflect.ValueOf(e), shadow, depth, inArrow)
	}
}

// patternExpressions lists the default values and computed keys in a
// binding pattern.
func patternExpressions(v reflect.Value) []ast.Expression {
	var out []ast.Expression
	eachNode(v, func(n any) bool {
		switch x := n.(type) {
		case *ast.AssignExpression:
			out = append(out, patternExpressions(reflect.ValueOf(x.Left))...)
			out = append(out, x.Right)
		case *ast.PropertyShort:
			if x.Initializer != nil {
				out = append(out, x.Initializer)
			}
		case *ast.PropertyKeyed:
			if x.Computed {
				out = append(out, x.Key)
			}
			out = append(out, patternExpressions(reflect.ValueOf(x.Value))...)
		case *ast.Identifier:
		default:
			return true
		}
		return false
	})
	return out
}

// reference records a use of name: captured when it resolves to the
// function's own binding from inside an inner function or arrow.
func (c *captureWalk) reference(name string, shadow []map[string]bool, depth int, inArrow bool) {
	for i := len(shadow) - 1; i >= 0; i-- {
		if shadow[i][name] {
			return
		}
	}
	if !c.own[name] {
		return
	}
	if depth > 0 || inArrow {
		c.captured[name] = true
	}
}

// allDeclared lists every name a function declares anywhere in its own
// scope (parameters, var, function and top-level lexical declarations).
func allDeclared(n ast.Node) []string {
	f := &fnNode{lit: n}
	names, ok := f.declaredNames()
	if ok {
		return names
	}
	// Patterns or defaults: collect what the parameters declare anyway.
	var out []string
	var params *ast.ParameterList
	var decls []*ast.VariableDeclaration
	switch x := n.(type) {
	case *ast.FunctionLiteral:
		params, decls = x.ParameterList, x.DeclarationList
	case *ast.ArrowFunctionLiteral:
		params, decls = x.ParameterList, x.DeclarationList
	}
	if params != nil {
		for _, p := range params.List {
			out = append(out, targetNames(p.Target)...)
		}
		if params.Rest != nil {
			out = append(out, targetNames(params.Rest)...)
		}
	}
	for _, d := range decls {
		for _, b := range d.List {
			out = append(out, targetNames(b.Target)...)
		}
	}
	return out
}

// blockNames lists the names a block-like statement declares for itself.
func blockNames(n any) []string {
	var out []string
	lexical := func(list []ast.Statement) {
		for _, st := range list {
			switch x := st.(type) {
			case *ast.LexicalDeclaration:
				for _, b := range x.List {
					out = append(out, targetNames(b.Target)...)
				}
			case *ast.ClassDeclaration:
				if x.Class != nil {
					out = append(out, identName(x.Class.Name))
				}
			case *ast.FunctionDeclaration:
				if x.Function != nil {
					out = append(out, identName(x.Function.Name))
				}
			}
		}
	}
	switch x := n.(type) {
	case *ast.BlockStatement:
		lexical(x.List)
	case *ast.ForStatement:
		if d, ok := x.Initializer.(*ast.ForLoopInitializerLexicalDecl); ok {
			for _, b := range d.LexicalDeclaration.List {
				out = append(out, targetNames(b.Target)...)
			}
		}
	case *ast.ForInStatement:
		if d, ok := x.Into.(*ast.ForDeclaration); ok {
			out = append(out, targetNames(d.Target)...)
		}
	case *ast.ForOfStatement:
		if d, ok := x.Into.(*ast.ForDeclaration); ok {
			out = append(out, targetNames(d.Target)...)
		}
	case *ast.CatchStatement:
		if x.Parameter != nil {
			out = append(out, targetNames(x.Parameter)...)
		}
	case *ast.ClassLiteral:
		if x.Name != nil {
			out = append(out, identName(x.Name))
		}
	case *ast.SwitchStatement:
		for _, c := range x.Body {
			lexical(c.Consequent)
		}
	}
	return out
}

// namedLabel is label, but names a closure scope after its function and a
// captured variable by its name where those can be known.
func (s *saver) namedLabel(n node, e edge) string {
	switch {
	case e.label == lScope && n.stash:
		if sc, ok := s.stashNames(n.idx); ok {
			name := sc.fn
			if name == "" {
				name = "anonymous function"
			}
			return ".<scope of " + name + ">"
		}
	case e.label == lStashSlot && e.from.stash:
		if sc, ok := s.stashNames(e.from.idx); ok && int(e.n) < len(sc.slots) {
			return "." + sc.slots[e.n]
		}
	}
	return s.label(e)
}

// frameStashNames derives the names of stash k, reached hops scopes out
// from the scope a suspended frame runs in: that scope is the function's
// own (when it is a function's scope, not a block's), then the ones its
// closure sees.
func (s *saver) frameStashNames(k uint32, hops int, frame uint64) (scopeNames, bool) {
	if frame >= uint64(len(s.frames)) {
		return scopeNames{}, false
	}
	f := s.frames[frame]
	ref, ok := s.progs[f.prg]
	if !ok || ref.script >= len(s.p.Scripts) || f.stash == nil || *f.stash.FuncType() == 0 {
		return scopeNames{}, false
	}
	src, pos := s.p.Scripts[ref.script].Source, heap.ProgramPosition(f.prg)
	own, ok := s.namer.own(ref.script, src, pos)
	if !ok {
		return scopeNames{}, false
	}
	chain := append([]scopeNames{own}, s.namer.chain(ref.script, src, pos)...)
	st := f.stash
	for i := 0; i <= hops; i++ {
		if i >= len(chain) || st == nil || len(chain[i].slots) != len(*st.Values()) {
			return scopeNames{}, false
		}
		if i < hops {
			st = *st.Outer()
		}
	}
	if st != s.sList[k] {
		return scopeNames{}, false
	}
	return chain[hops], true
}

// stashNames derives the names of stash k from the function through which
// the walk first reached it, if they can be known and match its slots.
func (s *saver) stashNames(k uint32) (scopeNames, bool) {
	if int(k) >= len(s.sEdge) || int(k) >= len(s.sList) {
		return scopeNames{}, false
	}
	hops, e := 0, s.sEdge[k]
	for e.from.stash {
		if hops++; hops > 64 || int(e.from.idx) >= len(s.sEdge) {
			return scopeNames{}, false
		}
		e = s.sEdge[e.from.idx]
	}
	if e.label == lFrameScope {
		return s.frameStashNames(k, hops, e.n)
	}
	if int(e.from.idx) >= len(s.list) {
		return scopeNames{}, false
	}
	o := s.list[e.from.idx]
	switch heap.KindOf(o) {
	case heap.KindFunction, heap.KindArrow, heap.KindMethod, heap.KindGeneratorFunction, heap.KindAsyncFunction,
		heap.KindAsyncArrow, heap.KindGeneratorMethod, heap.KindAsyncMethod:
	default:
		return scopeNames{}, false
	}
	fn := heap.JSFuncOf(o)
	ref, ok := s.progs[*fn.Prg()]
	if !ok || ref.script >= len(s.p.Scripts) {
		return scopeNames{}, false
	}
	chain := s.namer.chain(ref.script, s.p.Scripts[ref.script].Source, heap.ProgramPosition(*fn.Prg()))
	st := *fn.Stash()
	for i := 0; i <= hops; i++ {
		if i >= len(chain) || st == nil || len(chain[i].slots) != len(*st.Values()) {
			return scopeNames{}, false
		}
		if i < hops {
			st = *st.Outer()
		}
	}
	if st != s.sList[k] {
		return scopeNames{}, false
	}
	return chain[hops], true
}
