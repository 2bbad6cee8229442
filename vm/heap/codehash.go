package heap

import (
	"encoding/binary"
	"math"
	"math/bits"
	"reflect"
	"runtime"
	"sync"
	"unsafe"
	"weak"

	"github.com/dop251/goja"
)

// Code hashes tell whether two compilations of a script made the same code:
// an image made with one goja is loaded with another only where the state
// it holds (a suspended frame's program counter, stack and try frames; the
// slots of a closure's scopes, which the compiler assigned) means the same
// to the code this goja compiles. They are the one place that reads a
// program's instructions as data; whoever needs to compare or store
// compiled code builds on them.

// CodeHasher computes code hashes, remembering the hash of every program it
// has met (a hash covers the programs nested in it). It is not safe for
// concurrent use; programs themselves may be shared.
type CodeHasher struct {
	memo     map[*goja.Program]uint64
	uncached bool // hash every program anew (tests of the hash itself)
}

// NewCodeHasher returns a CodeHasher that shares the process's cache of
// code hashes.
func NewCodeHasher() *CodeHasher { return &CodeHasher{memo: map[*goja.Program]uint64{}} }

// Code returns the hash of p's code: its function name, the type and
// operands of each instruction, and, for an instruction that makes a
// function or class, the hash of the nested program, so that it covers
// every program that code can make (and run against the same scopes).
// Two programs whose code differs in any instruction or operand have
// different hashes. Left out, as they do not change what the code does:
// source positions, and the text of nested functions (a slice of the
// script's source, which is the same by construction), of which only the
// length counts.
func (h *CodeHasher) Code(p *goja.Program) uint64 {
	if p == nil {
		return 0
	}
	if sum, ok := h.memo[p]; ok {
		return sum
	}
	wp := weak.Make(p)
	if sum, ok := codeCache.Load(wp); ok && !h.uncached {
		h.memo[p] = sum.(uint64)
		return sum.(uint64)
	}
	var m mixer
	m.str(ProgramName(p))
	c := code(p)
	m.word(uint64(c.Len()))
	for pc := 0; pc < c.Len(); pc++ {
		h.operand(&m, c.Index(pc), 0)
	}
	sum := m.sum()
	h.memo[p] = sum
	if h.uncached {
		return sum
	}
	if _, loaded := codeCache.LoadOrStore(wp, sum); !loaded {
		runtime.AddCleanup(p, func(wp weak.Pointer[goja.Program]) { codeCache.Delete(wp) }, wp)
	}
	return sum
}

// codeCache keeps the code hash of every program hashed in this process
// for as long as the program lives (programs never change once compiled),
// so that a world saved again, or a script loaded again from the compile
// cache, is not hashed again.
var codeCache sync.Map // weak.Pointer[goja.Program] -> uint64

// Shape hashes the tree of a script's programs (Programs' list): for each,
// the instruction that makes it, its name and the length of its text. Two
// compilations of one source with the same shape number their functions
// alike, so that a function named by its index in the list is the same
// function in both.
func Shape(infos []ProgramInfo) uint64 {
	var m mixer
	m.word(uint64(len(infos)))
	for _, in := range infos {
		m.str(in.Maker)
		m.str(ProgramName(in.Program))
		m.word(uint64(len(in.Source)))
	}
	return m.sum()
}

var programPtr = reflect.TypeFor[*goja.Program]()

const gojaPkg = "github.com/dop251/goja"

// opaque are goja types reached from instructions whose contents are
// caches or compiled forms of operands hashed elsewhere (a RegExp's
// compiled matchers, from its source and flags).
var opaque = map[string]bool{"regexpWrapper": true, "regexp2Wrapper": true}

// maxOperandDepth bounds how many pointers an operand is followed through.
const maxOperandDepth = 4

// operand mixes one instruction or operand into m.
func (h *CodeHasher) operand(m *mixer, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			m.word(0)
			return
		}
		e := v.Elem()
		m.str(e.Type().Name())
		h.operand(m, e, depth)
	case reflect.Pointer:
		if v.Type() == programPtr {
			m.word(h.Code((*goja.Program)(v.UnsafePointer())))
			return
		}
		t := v.Type().Elem()
		if opaque[t.Name()] && t.PkgPath() == gojaPkg {
			// Which of goja's engines compiled a RegExp (and when) is
			// goja's business; the pattern's source and flags are hashed.
			m.word(2)
			return
		}
		if v.IsNil() {
			m.word(0)
			return
		}
		if depth >= maxOperandDepth || t.PkgPath() != gojaPkg {
			m.word(1)
			return
		}
		h.operand(m, v.Elem(), depth+1)
	case reflect.Struct:
		for i, how := range fieldsOf(v.Type()) {
			switch how {
			case fieldLength:
				m.word(uint64(v.Field(i).Len()))
			case fieldHashed:
				h.operand(m, v.Field(i), depth)
			}
		}
	case reflect.Slice, reflect.Array:
		m.word(uint64(v.Len()))
		for i := 0; i < v.Len(); i++ {
			h.operand(m, v.Index(i), depth)
		}
	case reflect.Map:
		// Entries in any order: each is hashed alone and the sums added.
		m.word(uint64(v.Len()))
		var sum uint64
		it := v.MapRange()
		for it.Next() {
			var e mixer
			h.operand(&e, it.Key(), depth)
			h.operand(&e, it.Value(), depth)
			sum += e.sum()
		}
		m.word(sum)
	case reflect.String:
		m.str(v.String())
	case reflect.Bool:
		if v.Bool() {
			m.word(1)
		} else {
			m.word(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		m.word(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		m.word(v.Uint())
	case reflect.Float32, reflect.Float64:
		m.word(math.Float64bits(v.Float()))
	default:
		// funcs, channels, unsafe pointers: only whether there is one
		if v.IsZero() {
			m.word(0)
		} else {
			m.word(1)
		}
	}
}

// How a field of an operand counts in its hash.
const (
	fieldHashed = iota
	fieldLength // only its length: a function's text, a slice of the script's source
	fieldLeftOut
)

// fieldPlans caches fieldsOf (reflect's StructField allocates).
var fieldPlans sync.Map // reflect.Type -> []uint8

// fieldsOf says how each field of the struct type t counts.
func fieldsOf(t reflect.Type) []uint8 {
	if plan, ok := fieldPlans.Load(t); ok {
		return plan.([]uint8)
	}
	plan := make([]uint8, t.NumField())
	for i := range plan {
		f := t.Field(i)
		switch {
		case f.Name == "source" && f.Type.Kind() == reflect.String:
			plan[i] = fieldLength
		case f.Name == "scanned" && t.Name() == "importedString":
			plan[i] = fieldLeftOut // a cache of what the string holds
		}
	}
	fieldPlans.Store(t, plan)
	return plan
}

// mixer is a 64-bit hash of a sequence of words and strings (a
// multiply-rotate mix in the manner of xxHash's rounds). It is not
// cryptographic: it tells compilations of the same source apart, which no
// one crafts.
type mixer struct{ h, n uint64 }

const (
	mix1 = 0x9E3779B185EBCA87
	mix2 = 0xC2B2AE3D27D4EB4F
	mix3 = 0x165667B19E3779F9
)

func (m *mixer) word(w uint64) {
	m.n++
	m.h = bits.RotateLeft64(m.h^(w*mix2), 31)*mix1 + mix3
}

func (m *mixer) str(s string) {
	m.word(uint64(len(s)) | 1<<63)
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	for len(b) >= 8 {
		m.word(binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	var last [8]byte
	copy(last[:], b)
	m.word(binary.LittleEndian.Uint64(last[:]))
}

func (m *mixer) sum() uint64 {
	h := m.h ^ m.n
	h ^= h >> 33
	h *= mix2
	h ^= h >> 29
	h *= mix3
	h ^= h >> 32
	return h
}
