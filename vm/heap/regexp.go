package heap

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/dop251/goja"
)

// A RegExp's compiled pattern belongs to no runtime: goja itself shares one
// between the objects a regexp literal makes, in every runtime that runs the
// literal's program, giving each object a fresh match cache. A process that
// loads images again and again can therefore compile each pattern once.

// regexpObjectMirror mirrors goja's regexpObject.
type regexpObjectMirror struct {
	Base
	Pattern  *regexpPatternMirror
	Source   goja.String
	Standard bool
}

// regexpPatternMirror mirrors goja's regexpPattern.
type regexpPatternMirror struct {
	Src                                                    string
	Global, IgnoreCase, Multiline, DotAll, Sticky, Unicode bool
	RegexpWrapper                                          unsafe.Pointer // *regexpWrapper: a Go regexp, safe to share
	Regexp2Wrapper                                         *regexp2WrapperMirror
}

// regexp2WrapperMirror mirrors goja's regexp2Wrapper: a shareable compiled
// regexp2 and a per-object match cache.
type regexp2WrapperMirror struct {
	Rx    unsafe.Pointer // *regexp2.Regexp
	Cache unsafe.Pointer // *regexp2MatchCache
}

// RegExpPattern is the compiled pattern of a RegExp, with its flags. It may
// be kept after its object is gone and given to objects of other runtimes.
type RegExpPattern struct{ p *regexpPatternMirror }

// RegExpPatternOf returns the pattern of o, which must be of KindRegExp.
func RegExpPatternOf(o *goja.Object) RegExpPattern {
	return RegExpPattern{(*regexpObjectMirror)(impl(o)).Pattern}
}

// SetRegExpPattern gives o, a RegExp, the pattern p and the source text
// source (as the RegExp's source property shows it), as if o had been made
// by new RegExp(source, flags) with p's flags. o gets its own copy of what
// goja mutates while matching; the compiled code is shared.
func SetRegExpPattern(o *goja.Object, p RegExpPattern, source goja.String) {
	cp := (*regexpPatternMirror)(reflect.New(layout.types["regexpPattern"]).UnsafePointer())
	*cp = *p.p
	if w := p.p.Regexp2Wrapper; w != nil {
		cp.Regexp2Wrapper = (*regexp2WrapperMirror)(reflect.New(layout.types["regexp2Wrapper"]).UnsafePointer())
		cp.Regexp2Wrapper.Rx = w.Rx
	}
	m := (*regexpObjectMirror)(impl(o))
	m.Pattern = cp
	m.Source = source
}

// checkRegExpLayout checks the mirrors of a RegExp and its pattern against
// the samples (one compiled by Go's regexp, one by regexp2, which lookbehind
// needs). RegExp patterns are never stored in an image, so they do not
// enter the fingerprint.
func checkRegExpLayout(st *layoutState, rt *goja.Runtime) error {
	if err := compareLayout(reflect.TypeOf(regexpObjectMirror{}), st.types["regexpObject"], "regexpObject", discardHash{}); err != nil {
		return err
	}
	pt, err := follow(st.types["regexpObject"], "pattern.*")
	if err != nil {
		return fmt.Errorf("regexpObject.pattern: %v", err)
	}
	st.types["regexpPattern"] = pt
	if err := compareLayout(reflect.TypeOf(regexpPatternMirror{}), pt, "regexpPattern", discardHash{}); err != nil {
		return err
	}
	wt, err := follow(pt, "regexp2Wrapper.*")
	if err != nil {
		return fmt.Errorf("regexpPattern.regexp2Wrapper: %v", err)
	}
	st.types["regexp2Wrapper"] = wt
	if err := compareLayout(reflect.TypeOf(regexp2WrapperMirror{}), wt, "regexp2Wrapper", discardHash{}); err != nil {
		return err
	}
	v, err := rt.RunString(`[/a+/g, /(?<=a)b/y]`)
	if err != nil {
		return fmt.Errorf("regexp samples: %v", err)
	}
	arr := v.(*goja.Object)
	for i, engine := range []string{"regexp", "regexp2"} {
		p := (*regexpObjectMirror)(impl(arr.Get(fmt.Sprint(i)).(*goja.Object))).Pattern
		if p == nil || (p.RegexpWrapper != nil) != (engine == "regexp") || (p.Regexp2Wrapper != nil) != (engine == "regexp2") {
			return fmt.Errorf("regexp sample %d is not compiled by %s", i, engine)
		}
	}
	return nil
}
