package heap

import (
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"unsafe"
	"weak"

	"github.com/dop251/goja"
)

// Which scopes a program's code has made at each instruction: what a loader
// needs to check that a restored scope chain is the one the code was
// compiled for.
//
// goja's code reaches a captured variable by (level, index) from the
// running scope, so a closure's scope chain must have, level by level, the
// scopes the compiler laid out: the scopes its maker's code had made where
// the closure was made, then those of the maker's own maker, and so on up
// to the script. Which scopes are open at an instruction follows from the
// code alone: enterFunc, enterBlock, enterCatchBlock and with make one,
// leaveBlock and leaveWith leave one, jumps and try frames carry the open
// scopes to their targets (a try frame restores the scopes of its try when
// it catches or runs its finally block). Analyse follows every path through
// a program once and records, per instruction, the scopes open there.

// ScopeMaker describes a scope a program's code makes: the instruction at
// PC, and what every scope it makes looks like.
type ScopeMaker struct {
	// PC is the position of the making instruction in its program.
	PC int
	// Kind is the making instruction's name: "enterFunc", "enterFunc1",
	// "enterFuncBody", "enterBlock", "enterCatchBlock" or "with".
	Kind string
	// Size is the number of slots the scope is made with.
	Size int
	// Named: the scope carries a map of its variables' names (a scope that
	// direct eval code can see into).
	Named bool
	// Extensible: a sloppy direct eval may add variables (slots and names)
	// to the scope after it is made.
	Extensible bool
	// FuncType is the scope's function kind (0 for a block or a with).
	FuncType uint8
}

// Function reports whether the scope is a function's own (which alone may
// hold surplus arguments).
func (m *ScopeMaker) Function() bool {
	return m.Kind == "enterFunc" || m.Kind == "enterFunc1" || m.Kind == "enterFuncBody"
}

// With reports whether the scope is a with statement's.
func (m *ScopeMaker) With() bool { return m.Kind == "with" }

// scopeNode is one state of the analysis: the scopes open, as a chain
// from the innermost (a node) to the program's entry (nil). Equal states
// are the same node.
type scopeNode struct {
	maker  *ScopeMaker
	outer  *scopeNode
	depth  int
	inners map[*ScopeMaker]*scopeNode
	id     int32 // its number in its map's nodes plus one (0: not yet numbered)
}

func (n *scopeNode) push(m *ScopeMaker) *scopeNode {
	if c, ok := n.inners[m]; ok {
		return c
	}
	if n.inners == nil {
		n.inners = map[*ScopeMaker]*scopeNode{}
	}
	c := &scopeNode{maker: m, outer: n, depth: n.depth + 1}
	n.inners[m] = c
	return c
}

// ScopeMap tells, for each instruction of a program, which scopes the
// program's own code has open there.
type ScopeMap struct {
	// at holds, per instruction, the number of its state in nodes plus
	// one (0: no path reaches it): four bytes an instruction where a
	// pointer took eight (lodash's 29,700 instructions).
	at    []int32
	nodes []*scopeNode
	err   error
}

func newScopeMap(n int) *ScopeMap { return &ScopeMap{at: make([]int32, n)} }

// node returns the state at pc (nil: not reached).
func (m *ScopeMap) node(pc int) *scopeNode {
	if i := m.at[pc]; i > 0 {
		return m.nodes[i-1]
	}
	return nil
}

// setNode records st as the state at pc.
func (m *ScopeMap) setNode(pc int, st *scopeNode) {
	if st.id == 0 {
		m.nodes = append(m.nodes, st)
		st.id = int32(len(m.nodes))
	}
	m.at[pc] = st.id
}

// Err is why the code could not be followed (nil when it could). It is a
// fault of this analysis, never of an image: the compiler made the code.
func (m *ScopeMap) Err() error { return m.err }

// At returns the scopes the program's own code has open at pc, innermost
// first, and whether any path of the code reaches pc (false also when the
// analysis failed, see Err).
func (m *ScopeMap) At(pc int) ([]*ScopeMaker, bool) { return m.AppendAt(nil, pc) }

// AppendAt is At, appending the scopes to buf (a loader checks thousands
// of chains, and reuses one buffer for them).
func (m *ScopeMap) AppendAt(buf []*ScopeMaker, pc int) ([]*ScopeMaker, bool) {
	if m.err != nil || pc < 0 || pc >= len(m.at) || m.at[pc] == 0 {
		return buf, false
	}
	for n := m.node(pc); n.maker != nil; n = n.outer {
		buf = append(buf, n.maker)
	}
	return buf, true
}

// condJumps are the instructions that jump by their operand or go on.
var condJumps = map[string]bool{
	"jne": true, "jeq": true, "jneP": true, "jeqP": true, "jdef": true, "jdefP": true,
	"jopt": true, "joptc": true, "joptdel": true, "joptdelc": true, "joptdelP": true, "joptdelcP": true,
	"jcoalesc": true, "jcoalescP": true, "enumNext": true, "iterNext": true,
}

// endsPath are the instructions after which the code does not go on to the
// next one (a return leaves the program; a throw goes to a try frame's
// catch or finally, which the try instruction's edges cover).
var endsPath = map[string]bool{
	"_ret": true, "cret": true, "_throw": true, "_throwAssignToConst": true, "throwConst": true,
}

// scopeMaps memoises Analyse: programs are immutable and shared (a warm
// load of a cached script analyses nothing). It holds programs weakly: an
// entry goes when its program is collected.
var scopeMaps sync.Map // weak.Pointer[goja.Program] -> *ScopeMap

// Analyse follows p's code (see ScopeMap). It is memoised per program.
func Analyse(p *goja.Program) *ScopeMap {
	key := weak.Make(p)
	if m, ok := scopeMaps.Load(key); ok {
		return m.(*ScopeMap)
	}
	m := analyse(p)
	if old, loaded := scopeMaps.LoadOrStore(key, m); loaded {
		return old.(*ScopeMap)
	}
	runtime.AddCleanup(p, func(k weak.Pointer[goja.Program]) { scopeMaps.Delete(k) }, key)
	return m
}

// ForgetScopes drops the memoised analysis of p at once.
func ForgetScopes(p *goja.Program) { scopeMaps.Delete(weak.Make(p)) }

// insOp is what the analysis does with an instruction of one type.
type insOp uint8

const (
	opNext     insOp = iota // goes on to the next instruction, scopes unchanged
	opEnds                  // ends the path (endsPath)
	opJump                  // jumps by its operand
	opCondJump              // jumps by its operand or goes on (condJumps)
	opScope                 // makes or leaves a scope, or is a try: read by reflection
)

// insClass is what the analysis knows of one instruction type.
type insClass struct {
	name string
	op   insOp
}

// insClasses holds the class of each instruction type met, by the first
// word of an instruction interface holding it (its itab), so that the
// analysis reads each instruction's type without reflection (a process
// meets a few hundred types at most). analyse asks it only for the types
// its own small table lacks.
var (
	insClasses   = map[unsafe.Pointer]*insClass{}
	insClassesMu sync.Mutex
)

// classOf returns the class of the instruction iv (the code's element at
// some pc) whose itab word is tab, made once per process.
func classOf(tab unsafe.Pointer, iv reflect.Value) *insClass {
	insClassesMu.Lock()
	defer insClassesMu.Unlock()
	if c, ok := insClasses[tab]; ok {
		return c
	}
	t := iv.Elem().Type()
	if t.Kind() == reflect.Ptr {
		t = t.Elem()
	}
	c := &insClass{name: t.Name()}
	switch {
	case endsPath[c.name]:
		c.op = opEnds
	case c.name == "jump":
		c.op = opJump
	case condJumps[c.name]:
		c.op = opCondJump
	case scopeOps[c.name]:
		c.op = opScope
	}
	if (c.op == opJump || c.op == opCondJump) && iv.Elem().Kind() != reflect.Int32 {
		c.op = opScope // not the operand analyse reads directly: by reflection
	}
	insClasses[tab] = c
	return c
}

// scopeOps are the instructions that make or leave scopes, and try (whose
// frame carries the scopes to its catch and finally).
var scopeOps = map[string]bool{
	"enterFunc": true, "enterFunc1": true, "enterCatchBlock": true, "enterBlock": true, "enterFuncBody": true,
	"_enterWith": true, "leaveBlock": true, "_leaveWith": true, "try": true,
}

func analyse(p *goja.Program) *ScopeMap {
	c := code(p)
	n := c.Len()
	m := newScopeMap(n)
	if n == 0 {
		return m
	}
	// The code is a []instruction: each element an interface of two
	// words, the first naming the instruction's type (classOf), the
	// second pointing at its value (a jump's int32 operand).
	words := unsafe.Slice((*iface)(c.UnsafePointer()), n)
	var makers map[int]*ScopeMaker // made at the first scope: most programs make none
	maker := func(pc int, kind string, ins reflect.Value) *ScopeMaker {
		if mk, ok := makers[pc]; ok {
			return mk
		}
		if makers == nil {
			makers = map[int]*ScopeMaker{}
		}
		mk := &ScopeMaker{PC: pc, Kind: kind}
		if kind != "with" {
			mk.Size = int(field(ins, "stashSize").Uint())
			mk.Named = field(ins, "names").Len() > 0
		}
		if kind == "enterFunc" || kind == "enterFunc1" || kind == "enterFuncBody" {
			mk.Extensible = field(ins, "extensible").Bool()
			mk.FuncType = uint8(field(ins, "funcType").Uint())
		}
		makers[pc] = mk
		return mk
	}
	root := &scopeNode{}
	m.setNode(0, root)
	work := []int{0}
	fail := func(format string, args ...any) *ScopeMap {
		m.err = fmt.Errorf("scopes of %s: %s", FrameName(p, 0), fmt.Sprintf(format, args...))
		m.at = nil
		return m
	}
	// The classes met, by itab word, in a small table on the stack
	// (direct-mapped: a miss asks insClasses): a program uses a few dozen
	// instruction types.
	var classes [64]struct {
		tab unsafe.Pointer
		cls *insClass
	}
	for len(work) > 0 {
		pc := work[len(work)-1]
		work = work[:len(work)-1]
		st := m.node(pc)
		w := words[pc]
		if w.tab == nil {
			return fail("no instruction at %d", pc)
		}
		e := &classes[uintptr(w.tab)>>4%uintptr(len(classes))]
		if e.tab != w.tab {
			e.tab, e.cls = w.tab, classOf(w.tab, c.Index(pc))
		}
		cls := e.cls
		next, goesOn := st, cls.op != opEnds
		var targets [2]int
		nt := 0
		switch cls.op {
		case opJump:
			goesOn = false
			targets[nt], nt = pc+int(*(*int32)(w.data)), nt+1
		case opCondJump:
			targets[nt], nt = pc+int(*(*int32)(w.data)), nt+1
		case opScope:
			var err string
			next, goesOn, nt, err = scopeStep(c, pc, cls.name, st, maker, &targets)
			if err != "" {
				return fail("%s", err)
			}
		}
		// A try frame's targets see the scopes of the try itself.
		for i := 0; i < nt; i++ {
			s := next
			if cls.name == "try" {
				s = st
			}
			if err := m.reach(targets[i], s, &work); err != "" {
				return fail("%s", err)
			}
		}
		if goesOn && pc+1 < n {
			if err := m.reach(pc+1, next, &work); err != "" {
				return fail("%s", err)
			}
		}
	}
	return m
}

// scopeStep follows an instruction of class opScope at pc (named name) by
// reflection, with scopes st open: the scopes open after it, whether it
// goes on to the next instruction, and its jump targets.
func scopeStep(c reflect.Value, pc int, name string, st *scopeNode, maker func(int, string, reflect.Value) *ScopeMaker, targets *[2]int) (next *scopeNode, goesOn bool, nt int, err string) {
	ins := c.Index(pc).Elem()
	if ins.Kind() == reflect.Struct {
		// An instruction stored by value (try): copy it where its
		// fields can be read.
		cp := reflect.New(ins.Type()).Elem()
		cp.Set(ins)
		ins = cp
	}
	next, goesOn = st, !endsPath[name]
	switch name {
	case "enterFunc", "enterFunc1", "enterCatchBlock":
		next = st.push(maker(pc, name, ins))
	case "enterBlock":
		if field(ins, "stashSize").Uint() > 0 {
			next = st.push(maker(pc, name, ins))
		}
	case "enterFuncBody":
		if field(ins, "stashSize").Uint() > 0 || field(ins, "extensible").Bool() {
			next = st.push(maker(pc, name, ins))
		}
	case "_enterWith":
		next = st.push(maker(pc, "with", ins))
	case "leaveBlock", "_leaveWith":
		if name == "_leaveWith" || field(ins, "popStash").Bool() {
			if st.maker == nil {
				return nil, false, 0, fmt.Sprintf("%s at %d leaves a scope that is not open", name, pc)
			}
			if (name == "_leaveWith") != st.maker.With() {
				return nil, false, 0, fmt.Sprintf("%s at %d leaves a scope made by %s", name, pc, st.maker.Kind)
			}
			next = st.outer
		}
	case "jump":
		goesOn = false
		targets[nt], nt = pc+int(ins.Int()), nt+1
	case "try":
		if off := field(ins, "catchOffset").Int(); off > 0 {
			targets[nt], nt = pc+int(off), nt+1
		}
		if off := field(ins, "finallyOffset").Int(); off > 0 {
			targets[nt], nt = pc+int(off), nt+1
		}
	default:
		if condJumps[name] {
			targets[nt], nt = pc+int(ins.Int()), nt+1
		}
	}
	return next, goesOn, nt, ""
}

// reach records that the code reaches pc with scopes st open.
func (m *ScopeMap) reach(pc int, st *scopeNode, work *[]int) string {
	if pc == len(m.at) {
		return "" // the end: goja stops running the program there
	}
	if pc < 0 || pc > len(m.at) {
		return fmt.Sprintf("a jump to %d outside the program", pc)
	}
	switch at := m.node(pc); at {
	case nil:
		m.setNode(pc, st)
		*work = append(*work, pc)
	case st:
	default:
		return fmt.Sprintf("two paths reach %d with %d and %d scopes open", pc, at.depth, st.depth)
	}
	return ""
}

// checkScopeLayout verifies, on a probe program, the instruction fields
// Analyse reads.
func checkScopeLayout() error {
	p, err := goja.Compile("probe", `function f(a) { var g = () => a; { let b = 1; var h = () => b }
		try { throw 1 } catch (e) { var k = () => e } finally { a++ }
		with (a) { a }
		for (let i = 0; i < 2; i++) { var q = () => i }
		return eval("a") }
		function x(a = () => b, b) { return a }`, false)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, info := range Programs(p) {
		m := analyse(info.Program)
		if m.err != nil {
			return m.err
		}
		c := code(info.Program)
		for pc := 0; pc < c.Len(); pc++ {
			seen[insName(c, pc)] = true
		}
	}
	for _, name := range []string{"enterFunc", "enterFunc1", "enterFuncBody", "enterBlock", "leaveBlock", "enterCatchBlock",
		"_enterWith", "_leaveWith", "try", "jump", "copyStash", "_ret"} {
		if !seen[name] {
			return fmt.Errorf("instruction %s not found compiling a probe", name)
		}
	}
	return nil
}
