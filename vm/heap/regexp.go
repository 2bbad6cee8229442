package heap

import (
	"fmt"
	"unsafe"

	"github.com/dop251/goja"
)

// A RegExp's compiled pattern belongs to no runtime: goja itself shares one
// between the objects a regexp literal makes, in every runtime that runs the
// literal's program, giving each object a fresh match cache. A process that
// loads images again and again can therefore compile each pattern once.

// regexpObject mirrors goja's regexpObject.
type regexpObject struct{ Base }

// regexpPattern mirrors goja's regexpPattern: the compiled code (by Go's
// regexp or by regexp2) and the flags.
type regexpPattern struct{ _ noCopy }

// regexp2Wrapper mirrors goja's regexp2Wrapper: a shareable compiled
// regexp2 and a per-object match cache.
type regexp2Wrapper struct{ _ noCopy }

var (
	regexpObjectPattern   = need[*regexpPattern]("regexpObject", "pattern")
	regexpObjectSource    = need[goja.String]("regexpObject", "source")
	regexpPatternWrapper  = need[unsafe.Pointer]("regexpPattern", "regexpWrapper")
	regexpPatternWrapper2 = need[*regexp2Wrapper]("regexpPattern", "regexp2Wrapper")
	regexp2WrapperRx      = need[unsafe.Pointer]("regexp2Wrapper", "rx")
	_                     = need[unsafe.Pointer]("regexp2Wrapper", "cache")
)

// RegExpPattern is the compiled pattern of a RegExp, with its flags. It may
// be kept after its object is gone and given to objects of other runtimes.
type RegExpPattern struct{ p *regexpPattern }

// RegExpPatternOf returns the pattern of o, which must be of KindRegExp.
func RegExpPatternOf(o *goja.Object) RegExpPattern {
	return RegExpPattern{*regexpObjectPattern.in(impl(o))}
}

// SetRegExpPattern gives o, a RegExp, the pattern p and the source text
// source (as the RegExp's source property shows it), as if o had been made
// by new RegExp(source, flags) with p's flags. o gets its own copy of what
// goja mutates while matching; the compiled code is shared.
func SetRegExpPattern(o *goja.Object, p RegExpPattern, source goja.String) {
	cp := newOf[regexpPattern]()
	gojaValue(cp).Set(gojaValue(p.p))
	if w := *regexpPatternWrapper2.in(unsafe.Pointer(p.p)); w != nil {
		w2 := newOf[regexp2Wrapper]()
		*regexp2WrapperRx.in(unsafe.Pointer(w2)) = *regexp2WrapperRx.in(unsafe.Pointer(w))
		*regexpPatternWrapper2.in(unsafe.Pointer(cp)) = w2
	}
	*regexpObjectPattern.in(impl(o)) = cp
	*regexpObjectSource.in(impl(o)) = source
}

// regexpSamples makes the samples of checkRegExpLayout.
const regexpSamples = `[/a+/g, /(?<=a)b/y]`

// checkRegExpLayout checks the fields of a RegExp's pattern on samples
// (arr, what regexpSamples made: one compiled by Go's regexp, one by
// regexp2, which lookbehind needs). RegExp patterns are never stored in an
// image.
func checkRegExpLayout(arr *goja.Object) error {
	for i, engine := range []string{"regexp", "regexp2"} {
		p := *regexpObjectPattern.in(impl(arr.Get(fmt.Sprint(i)).(*goja.Object)))
		if p == nil || (*regexpPatternWrapper.in(unsafe.Pointer(p)) != nil) != (engine == "regexp") ||
			(*regexpPatternWrapper2.in(unsafe.Pointer(p)) != nil) != (engine == "regexp2") {
			return fmt.Errorf("regexp sample %d is not compiled by %s", i, engine)
		}
	}
	return nil
}
