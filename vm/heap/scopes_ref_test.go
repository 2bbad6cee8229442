package heap

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/dop251/goja"
)

// TestScopeAnalysisAsByReflection compares analyse, which reads each
// instruction's type from its interface word, with the analysis that read
// every instruction by reflection (analyseByReflection, kept here as the
// reference): at every pc of every program of the scope probe and the
// code corpus, compiled and decoded from stored code, the same scopes
// must be open, made by the same instructions with the same sizes and
// flags, and the same failures found.
func TestScopeAnalysisAsByReflection(t *testing.T) {
	scripts := append([]struct{ name, src string }{{"probe.js", scopeProbe}}, codeCorpus...)
	programs := 0
	for _, sc := range scripts {
		p, err := goja.Compile(sc.name, sc.src, false)
		if err != nil {
			t.Fatalf("%s: %v", sc.name, err)
		}
		data, err := EncodeProgram(p, sc.name, sc.src)
		if err != nil {
			t.Fatalf("%s: encode: %v", sc.name, err)
		}
		dp, err := DecodeProgram(sc.name, sc.src, data)
		if err != nil {
			t.Fatalf("%s: decode: %v", sc.name, err)
		}
		for _, q := range []*goja.Program{p, dp} {
			for _, info := range Programs(q) {
				programs++
				if err := sameScopeMaps(analyse(info.Program), analyseByReflection(info.Program)); err != nil {
					t.Errorf("%s: %s: %v", sc.name, FrameName(info.Program, 0), err)
				}
			}
		}
	}
	if programs < 100 {
		t.Fatalf("only %d programs compared", programs)
	}
}

// sameScopeMaps reports where two analyses of one program differ.
func sameScopeMaps(got, want *ScopeMap) error {
	if (got.err == nil) != (want.err == nil) || got.err != nil && got.err.Error() != want.err.Error() {
		return fmt.Errorf("error %v, want %v", got.err, want.err)
	}
	if len(got.at) != len(want.at) {
		return fmt.Errorf("%d instructions, want %d", len(got.at), len(want.at))
	}
	for pc := range want.at {
		g, gok := got.At(pc)
		w, wok := want.At(pc)
		if gok != wok || len(g) != len(w) {
			return fmt.Errorf("at %d: reached %v with %d scopes, want %v with %d", pc, gok, len(g), wok, len(w))
		}
		for i := range w {
			if !reflect.DeepEqual(*g[i], *w[i]) {
				return fmt.Errorf("at %d: scope %d is %+v, want %+v", pc, i, *g[i], *w[i])
			}
		}
	}
	return nil
}

// analyseByReflection is the analysis as it was before analyse read
// instruction types from their interface words: every instruction by
// reflection, its name by its type.
func analyseByReflection(p *goja.Program) *ScopeMap {
	c := code(p)
	n := c.Len()
	m := newScopeMap(n)
	if n == 0 {
		return m
	}
	makers := map[int]*ScopeMaker{}
	maker := func(pc int, kind string, ins reflect.Value) *ScopeMaker {
		if mk, ok := makers[pc]; ok {
			return mk
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
	for len(work) > 0 {
		pc := work[len(work)-1]
		work = work[:len(work)-1]
		st := m.node(pc)
		iv := c.Index(pc)
		if iv.IsNil() {
			return fail("no instruction at %d", pc)
		}
		ins := iv.Elem()
		if ins.Kind() == reflect.Struct {
			// An instruction stored by value (try): copy it where its
			// fields can be read.
			cp := reflect.New(ins.Type()).Elem()
			cp.Set(ins)
			ins = cp
		}
		name := insName(c, pc)
		next, goesOn := st, !endsPath[name]
		var targets [2]int
		nt := 0
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
					return fail("%s at %d leaves a scope that is not open", name, pc)
				}
				if (name == "_leaveWith") != st.maker.With() {
					return fail("%s at %d leaves a scope made by %s", name, pc, st.maker.Kind)
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
		// A try frame's targets see the scopes of the try itself.
		for i := 0; i < nt; i++ {
			s := next
			if name == "try" {
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
