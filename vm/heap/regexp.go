package heap

import (
	"fmt"
	"strings"
	"sync/atomic"
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

// The RegExp objects of an image are mostly what its scripts' literals made
// (lodash's forty): a load made each pattern twice, once for the literal in
// the decoded program and once for the object. Decoded programs and the
// image's objects share their patterns through the programs' table.

// maxSharedPatterns bounds the patterns that objects add to the programs'
// table (the programs' own are bounded by the code a process decodes; an
// image's objects may hold any number of patterns).
const maxSharedPatterns = 1 << 12

var sharedPatterns atomic.Int64

// literalKey is the key of the programs' table for a RegExp of source and
// flags (as RegExp.prototype.flags gives them, in any order); false for
// flags that goja would refuse (unknown or repeated).
func literalKey(source, flags string) (patternKey, bool) {
	k := patternKey{src: source}
	for i := 0; i < len(flags); i++ {
		b := strings.IndexByte(reFlags, flags[i])
		if b < 0 || k.flags&(1<<b) != 0 {
			return patternKey{}, false
		}
		k.flags |= 1 << b
	}
	return k, true
}

// LiteralPattern returns the pattern that the decoded programs of this
// process use for a RegExp literal of source and flags, if one was decoded
// (or shared by SharePattern): it is what new RegExp(source, flags)
// compiles. Use it as SetRegExpPattern's pattern (it is only ever read).
func LiteralPattern(source, flags string) (RegExpPattern, bool) {
	k, ok := literalKey(source, flags)
	if !ok {
		return RegExpPattern{}, false
	}
	q, ok := patterns.Load(k)
	if !ok {
		return RegExpPattern{}, false
	}
	return RegExpPattern{(*regexpPattern)(q.(unsafe.Pointer))}, true
}

// SharePattern offers p, compiled by new RegExp(source, flags) and never
// changed after (a pattern that no object matches with: see
// SetRegExpPattern), to the programs decoded later that hold a literal of
// the same source and flags, up to maxSharedPatterns patterns.
func SharePattern(source, flags string, p RegExpPattern) {
	k, ok := literalKey(source, flags)
	if !ok || p.p == nil || sharedPatterns.Load() >= maxSharedPatterns {
		return
	}
	if _, loaded := patterns.LoadOrStore(k, unsafe.Pointer(p.p)); !loaded {
		sharedPatterns.Add(1)
	}
}
