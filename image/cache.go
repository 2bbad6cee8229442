package image

import (
	"crypto/sha256"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// Compiled programs belong to no runtime and may be shared by many, also
// concurrently (goja documents this; GOJA-INTERNALS §9). A process that
// loads images again and again (a server making a fresh world per request,
// a test suite) keeps the scripts it compiled here, keyed by a hash of
// their name, mode and source, so a warm load compiles nothing.

type compiled struct {
	prg   *goja.Program
	infos []heap.ProgramInfo
	size  int
}

type scriptCache struct {
	mu    sync.Mutex
	m     map[[32]byte]*compiled
	order [][32]byte // insertion order, for eviction
	bytes int
}

// maxCacheBytes bounds the source bytes whose compiled form is kept.
const maxCacheBytes = 64 << 20

var programCache = &scriptCache{m: map[[32]byte]*compiled{}}

// cacheKey identifies a script compiled from its source (code nil) or
// decoded from stored code.
func cacheKey(name, src string, strict bool, code []byte) [32]byte {
	h := sha256.New()
	mode := "sloppy\x00"
	if strict {
		mode = "strict\x00"
	}
	if code != nil {
		mode = "code\x00" + mode
	}
	// The strings are hashed in place: copying a 9 MB source to hash it
	// was a twentieth of loading a world holding TypeScript.
	h.Write(stringBytes(mode))
	h.Write(stringBytes(name))
	h.Write([]byte{0})
	h.Write(stringBytes(src))
	if code != nil {
		h.Write([]byte{0})
		h.Write(code)
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// stringBytes returns the bytes of s without copying them; the hash only
// reads them.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// compile returns the compiled script and its program tree, from the cache
// when it was compiled before.
func (c *scriptCache) compile(name, src string, strict bool) (*compiled, error) {
	return c.getOrMake(cacheKey(name, src, strict, nil), len(src), func() (*goja.Program, []heap.ProgramInfo, error) {
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
// key covers the bytes): a crafted image's code never stands in for a
// script's source in another world.
func (c *scriptCache) decode(name, src string, strict bool, code []byte) (*compiled, error) {
	return c.getOrMake(cacheKey(name, src, strict, code), len(src)+len(code), func() (*goja.Program, []heap.ProgramInfo, error) {
		infos, err := heap.DecodeProgramTree(name, src, code)
		if err != nil {
			return nil, nil, err
		}
		return infos[0].Program, infos, nil
	})
}

// getOrMake returns the entry under k, or builds its program (outside
// the lock: compiling is slow) and keeps it, counted as size bytes.
func (c *scriptCache) getOrMake(k [32]byte, size int, build func() (*goja.Program, []heap.ProgramInfo, error)) (*compiled, error) {
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return e, nil
	}
	p, infos, err := build()
	if err != nil {
		return nil, err
	}
	return c.add(k, &compiled{prg: p, infos: infos, size: size}), nil
}

// add keeps e under k, unless another goroutine did first.
func (c *scriptCache) add(k [32]byte, e *compiled) *compiled {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[k]; ok {
		return old
	}
	c.m[k] = e
	c.order = append(c.order, k)
	c.bytes += e.size
	for c.bytes > maxCacheBytes && len(c.order) > 1 {
		old := c.order[0]
		c.order = c.order[1:]
		c.bytes -= c.m[old].size
		delete(c.m, old)
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
// pattern compiled at most once per process.
func (c *regexpCache) newRegExp(rt *goja.Runtime, ctor *goja.Object, source, flags goja.Value) (*goja.Object, error) {
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
	if hit {
		o, err := rt.New(ctor)
		if err != nil {
			return nil, err
		}
		heap.SetRegExpPattern(o, p, src)
		return o, nil
	}
	o, err := rt.New(ctor, source, flags)
	if err != nil {
		return nil, err
	}
	// The cache keeps o's pattern; o gets its own copy, so what the cache
	// holds is only ever read.
	p = heap.RegExpPatternOf(o)
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
