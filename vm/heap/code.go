package heap

import (
	"fmt"
	"reflect"

	"github.com/dop251/goja"
)

// What a loader checks of a program's code before it trusts a restored
// frame or scope with it: where a suspended frame may continue, and how
// many slots a closure's code needs in each scope it closes over.

// code returns p's instructions.
func code(p *goja.Program) reflect.Value { return field(reflect.ValueOf(p), "code") }

// CodeLen returns the number of instructions of p.
func CodeLen(p *goja.Program) int { return code(p).Len() }

// insName names the instruction at pc (its Go type, without the package).
func insName(c reflect.Value, pc int) string {
	t := c.Index(pc).Elem().Type()
	if t.Kind() == reflect.Ptr {
		t = t.Elem()
	}
	return t.Name()
}

// ResumesAt tells whether a suspended frame of p may continue at pc: goja
// suspends a generator or an async function only at a yield or an await
// (both yieldMarker instructions) and continues at the instruction after it.
func ResumesAt(p *goja.Program, pc int) bool {
	c := code(p)
	return pc > 0 && pc < c.Len() && insName(c, pc-1) == "yieldMarker"
}

// stashIndexed are the instructions that read or write a scope's slot by
// an operand of level<<24 | index, relative to the running scope.
var stashIndexed = map[string]bool{
	"loadStash": true, "loadStashLex": true, "storeStash": true, "storeStashP": true,
	"storeStashLex": true, "storeStashLexP": true, "initStash": true, "initStashP": true,
	"loadThisStash": true, "resolveThisStash": true,
}

// makesScopes are the instructions that make, enter or leave scopes (or
// reach slots through a name as well as an index), after which a level in
// an operand no longer counts from the closure's own scope.
var makesScopes = map[string]bool{
	"enterBlock": true, "enterCatchBlock": true, "enterFunc": true, "enterFunc1": true,
	"enterFuncBody": true, "leaveBlock": true, "_enterWith": true, "_leaveWith": true, "copyStash": true,
	"loadMixed": true, "loadMixedLex": true, "resolveMixed": true, "callEval": true, "callEvalStrict": true,
}

// ClosureSlots returns, for a function program whose code makes no scope of
// its own, how many slots its code needs in each scope of its closure chain
// (the nearest first): one more than the highest index it uses there. ok is
// false when the code makes scopes (levels then depend on where in the code
// an access is, which only the compiler knew); nothing is claimed then.
func ClosureSlots(p *goja.Program) (need []uint32, ok bool) {
	c := code(p)
	for pc := 0; pc < c.Len(); pc++ {
		name := insName(c, pc)
		if makesScopes[name] {
			return nil, false
		}
		if !stashIndexed[name] {
			continue
		}
		op := c.Index(pc).Elem().Uint()
		level, idx := int(op>>24), uint32(op&0xFFFFFF)
		for len(need) <= level {
			need = append(need, 0)
		}
		need[level] = max(need[level], idx+1)
	}
	return need, true
}

// checkCodeLayout verifies, on probe programs, the instruction names that
// ResumesAt and ClosureSlots rely on.
func checkCodeLayout() error {
	p, err := goja.Compile("probe", `var n = 0; function* g() { yield 1 }; (function () { var a = 1, b = 2; return function () { b = a } })`, false)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, info := range Programs(p) {
		c := code(info.Program)
		for pc := 0; pc < c.Len(); pc++ {
			name := insName(c, pc)
			seen[name] = true
			if stashIndexed[name] && c.Index(pc).Elem().Kind() != reflect.Uint32 {
				return fmt.Errorf("instruction %s is not a uint32 operand", name)
			}
		}
	}
	for _, name := range []string{"yieldMarker", "loadStash", "enterFunc"} {
		if !seen[name] {
			return fmt.Errorf("instruction %s not found compiling a probe", name)
		}
	}
	return nil
}
