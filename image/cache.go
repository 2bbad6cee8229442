package image

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// Compiled programs belong to no runtime and may be shared by many, also
// concurrently (goja documents this; GOJA-INTERNALS §9). A process that
// loads images again and again (a server making a fresh world per request,
// a test suite) keeps the scripts it compiled here, so a warm load compiles
// nothing. An entry is found by the script's name, mode and lengths, and
// taken only if its source and stored code are equal to the script's: a
// hash of them (SHA-256, then maphash) cost more than comparing them with
// the one entry that is almost always there.

type compiled struct {
	prg   *goja.Program
	infos []heap.ProgramInfo
	size  int
	key   cacheKey
	// What the entry was made from, compared on every hit: the program
	// holds the source anyway, and the code is held by the cache alone.
	name   string
	src    string
	strict bool
	code   []byte // nil for a compiled source
}

// same reports whether e was made from this script.
func (e *compiled) same(name, src string, strict bool, code []byte) bool {
	return e.name == name && e.strict == strict && (e.code == nil) == (code == nil) && e.src == src && bytes.Equal(e.code, code)
}

// cacheKey is what the cache finds entries by: scripts that share it (the
// same name, mode and lengths) are told apart by comparing them.
type cacheKey struct {
	name            string
	strict, stored  bool
	srcLen, codeLen int
}

func scriptKey(name, src string, strict bool, code []byte) cacheKey {
	return cacheKey{name: name, strict: strict, stored: code != nil, srcLen: len(src), codeLen: len(code)}
}

type scriptCache struct {
	mu    sync.Mutex
	m     map[cacheKey][]*compiled
	order []*compiled // insertion order, for eviction
	bytes int
	limit int // the source and code bytes whose compiled form is kept
}

// maxCacheBytes bounds the source and code bytes whose compiled form is kept.
const maxCacheBytes = 64 << 20

// entrySize is what an entry counts against the cache's limit: its source
// and code, or, when they are read in place from a payload (held: its
// share of the payload's size, split among the payload's scripts; 0 when
// they are not), the payload, which they keep alive for as long as the
// entry (and its program, which holds its source) is kept.
// Copying them out of the payload instead cost a fault per page of fresh
// memory on every cold load (TypeScript's are megabytes); counting the
// payload bounds what the cache keeps, in a process that loads many
// images, by the limit.
func entrySize(own, held int) int { return max(own, held) }

var programCache = &scriptCache{m: map[cacheKey][]*compiled{}, limit: maxCacheBytes}

// compile returns the compiled script and its program tree, from the cache
// when it was compiled before. held is the bytes that src keeps alive (see
// entrySize).
func (c *scriptCache) compile(name, src string, strict bool, held int) (*compiled, error) {
	e := &compiled{name: name, src: src, strict: strict, size: entrySize(len(src), held)}
	return c.getOrMake(e, func() (*goja.Program, []heap.ProgramInfo, error) {
		p, err := goja.Compile(name, src, strict)
		if err != nil {
			return nil, nil, err
		}
		return p, heap.Programs(p), nil
	})
}

// decode returns the program tree stored as code (heap.DecodeProgram) for
// a script, from the cache when the same script was decoded from the same
// bytes before. Decoded programs are kept apart from compiled ones (the
// entry's code is compared): a crafted image's code never stands in for a
// script's source in another world.
func (c *scriptCache) decode(name, src string, strict bool, code []byte, held int) (*compiled, error) {
	if code == nil {
		code = []byte{}
	}
	e := &compiled{name: name, src: src, strict: strict, code: code, size: entrySize(len(src)+len(code), held)}
	return c.getOrMake(e, func() (*goja.Program, []heap.ProgramInfo, error) {
		infos, err := heap.DecodeProgramTree(name, src, code)
		if err != nil {
			return nil, nil, err
		}
		return infos[0].Program, infos, nil
	})
}

// getOrMake returns the entry made from what e describes, or builds its
// program (outside the lock: compiling is slow) and keeps e.
func (c *scriptCache) getOrMake(e *compiled, build func() (*goja.Program, []heap.ProgramInfo, error)) (*compiled, error) {
	k := scriptKey(e.name, e.src, e.strict, e.code)
	e.key = k
	if old := c.get(k, e); old != nil {
		return old, nil
	}
	p, infos, err := build()
	if err != nil {
		return nil, err
	}
	e.prg, e.infos = p, infos
	return c.add(k, e), nil
}

// get returns the entry under k made from what e describes, or nil.
func (c *scriptCache) get(k cacheKey, e *compiled) *compiled {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.findLocked(k, e)
}

// findLocked is get with c.mu held.
func (c *scriptCache) findLocked(k cacheKey, e *compiled) *compiled {
	for _, old := range c.m[k] {
		if old.same(e.name, e.src, e.strict, e.code) {
			return old
		}
	}
	return nil
}

// add keeps e under k, unless another goroutine kept the same first.
func (c *scriptCache) add(k cacheKey, e *compiled) *compiled {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.findLocked(k, e); old != nil {
		return old
	}
	c.m[k] = append(c.m[k], e)
	c.order = append(c.order, e)
	c.bytes += e.size
	for c.bytes > c.limit && len(c.order) > 1 {
		old := c.order[0]
		c.order = c.order[1:]
		c.bytes -= old.size
		c.m[old.key] = slices.DeleteFunc(c.m[old.key], func(x *compiled) bool { return x == old })
		if len(c.m[old.key]) == 0 {
			delete(c.m, old.key)
		}
	}
	return e
}

type programsKey struct{}

// programsOf returns the program tree of a registered script, listed once
// per world: every save needs it, and scripts never change.
func programsOf(v *vm.VM, s *vm.Script) []heap.ProgramInfo {
	m, _ := v.Attachment(programsKey{}).(map[*vm.Script][]heap.ProgramInfo)
	if m == nil {
		m = map[*vm.Script][]heap.ProgramInfo{}
		v.SetAttachment(programsKey{}, m)
	}
	infos, ok := m[s]
	if !ok {
		infos = heap.Programs(s.Program)
		m[s] = infos
	}
	return infos
}

// Compiled RegExp patterns are shared the same way: loading an image makes
// each of its RegExps anew, and compiling their patterns was a fifth of a
// warm load of a world with lodash and marked. The cache is keyed by source and flags
// as the image stores them.

type regexpKey struct{ source, flags string }

type regexpCache struct {
	mu    sync.Mutex
	m     map[regexpKey]heap.RegExpPattern
	order []regexpKey
}

// maxCachedRegExps bounds the patterns kept.
const maxCachedRegExps = 1 << 14

var patternCache = &regexpCache{m: map[regexpKey]heap.RegExpPattern{}}

// newRegExp makes a RegExp in rt as new RegExp(source, flags) would, with a
// pattern compiled at most once per process. *blank is a RegExp of rt
// that is never handed out, made by the first call that finds its pattern
// in the cache: each later one is made as new RegExp(*blank) makes a copy
// (goja's clone: its object, lastIndex and fast-path flag, but not its
// pattern compiled again, which new RegExp() with no pattern would), and
// then given its own pattern.
func (c *regexpCache) newRegExp(rt *goja.Runtime, ctor *goja.Object, source, flags goja.Value, blank **goja.Object) (*goja.Object, error) {
	src, ok1 := source.(goja.String)
	fl, ok2 := flags.(goja.String)
	if !ok1 || !ok2 {
		return rt.New(ctor, source, flags)
	}
	k := regexpKey{src.String(), fl.String()}
	if strings.ContainsRune(k.source, utf8.RuneError) {
		// Lone surrogates all read as U+FFFD in Go: not a key that tells patterns apart.
		return rt.New(ctor, source, flags)
	}
	c.mu.Lock()
	p, hit := c.m[k]
	c.mu.Unlock()
	var o *goja.Object
	if !hit {
		// A literal of the image's scripts made most RegExps: its decoded
		// program holds the same pattern, compiled once whether the
		// program's decoder or this asks first.
		var made bool
		var err error
		p, made, err = heap.SharedPattern(k.source, k.flags, func() (heap.RegExpPattern, error) {
			var err error
			if o, err = rt.New(ctor, source, flags); err != nil {
				return heap.RegExpPattern{}, err
			}
			return heap.RegExpPatternOf(o), nil
		})
		if err != nil {
			return nil, err
		}
		hit = !made
	}
	if hit {
		if *blank == nil {
			b, err := rt.New(ctor)
			if err != nil {
				return nil, err
			}
			*blank = b
		}
		o, err := rt.New(ctor, *blank)
		if err != nil {
			return nil, err
		}
		heap.SetRegExpPattern(o, p, src)
		return o, nil
	}
	// The cache keeps o's pattern; o gets its own copy, so what the cache
	// holds is only ever read.
	heap.SetRegExpPattern(o, p, src)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[k]; !ok {
		c.m[k] = p
		c.order = append(c.order, k)
		if len(c.order) > maxCachedRegExps {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
	}
	return o, nil
}
