package heap

import (
	"fmt"
	"reflect"

	"github.com/dop251/goja"
)

// What a loader checks of a program's code before it trusts a restored
// frame or scope with it: where a suspended frame may continue, and (in
// scopes.go) which scopes its code has open where.

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

// checkCodeLayout verifies, on probe programs, the instruction names that
// ResumesAt relies on.
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
		}
	}
	for _, name := range []string{"yieldMarker", "loadStash", "enterFunc"} {
		if !seen[name] {
			return fmt.Errorf("instruction %s not found compiling a probe", name)
		}
	}
	return nil
}
