package heap

import (
	"fmt"
	"strings"
	"sync"
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
// image's objects share their patterns through one table, and each pattern
// is compiled once: the programs are decoded on another goroutine while
// the objects are made, and whichever first needs a pattern compiles it
// while any other asker waits for it (a pattern being compiled is in the
// table as an entry whose done channel is not yet closed).

// maxSharedPatterns bounds the patterns that objects add to the programs'
// table (the programs' own are bounded by the code a process decodes; an
// image's objects may hold any number of patterns).
const maxSharedPatterns = 1 << 12

var sharedPatterns atomic.Int64

type patternKey struct {
	src   string
	flags uint64
}

// patternEntry is a pattern of the table: p is set before done is closed
// (nil when compiling it failed; the entry is then taken out of the
// table, and each asker compiles the pattern itself).
type patternEntry struct {
	done chan struct{}
	p    unsafe.Pointer
}

// patterns holds the RegExp patterns of decoded programs' literals and of
// the image objects that share them: a pattern in the table is only read
// (goja clones it for every RegExp a literal makes, and SetRegExpPattern
// gives an object its own copy).
var patterns sync.Map // patternKey -> *patternEntry

// sharedPattern returns the pattern of k: the table's, waiting while it is
// being compiled, or else what compile returns, put in the table for the
// askers after (when bounded, as one of at most maxSharedPatterns).
// compiled tells whether compile ran.
func sharedPattern(k patternKey, bounded bool, compile func() (unsafe.Pointer, error)) (q unsafe.Pointer, compiled bool, err error) {
	v, ok := patterns.Load(k)
	if !ok {
		if bounded && sharedPatterns.Load() >= maxSharedPatterns {
			q, err = compile()
			return q, true, err
		}
		e := &patternEntry{done: make(chan struct{})}
		if v, ok = patterns.LoadOrStore(k, e); !ok {
			if bounded {
				sharedPatterns.Add(1)
			}
			defer func() {
				if e.p == nil {
					patterns.CompareAndDelete(k, e)
					if bounded {
						sharedPatterns.Add(-1)
					}
				}
				close(e.done)
			}()
			q, err = compile()
			if err == nil {
				e.p = q
			}
			return q, true, err
		}
	}
	e := v.(*patternEntry)
	<-e.done
	if e.p == nil {
		q, err = compile()
		return q, true, err
	}
	return e.p, false, nil
}

// literalKey is the key of the table for a RegExp of source and flags (as
// RegExp.prototype.flags gives them, in any order); false for flags that
// goja would refuse (unknown or repeated).
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

// SharedPattern returns the compiled pattern for a RegExp of source and
// flags: the pattern of this process's decoded programs' literals of the
// same source and flags, waiting for it while a decoder compiles it, or
// else what compile returns (it must compile new RegExp(source, flags) and
// return a pattern that nothing matches with: see SetRegExpPattern), which
// the programs decoded after, and the later callers, share (up to
// maxSharedPatterns patterns). A pattern is thus compiled once however its
// askers race. compiled tells whether compile ran; the pattern is only
// ever to be read (use it as SetRegExpPattern's pattern).
func SharedPattern(source, flags string, compile func() (RegExpPattern, error)) (p RegExpPattern, compiled bool, err error) {
	own := func() (unsafe.Pointer, error) {
		p, err := compile()
		return unsafe.Pointer(p.p), err
	}
	k, ok := literalKey(source, flags)
	if !ok {
		q, err := own()
		return RegExpPattern{(*regexpPattern)(q)}, true, err
	}
	q, compiled, err := sharedPattern(k, true, own)
	return RegExpPattern{(*regexpPattern)(q)}, compiled, err
}
