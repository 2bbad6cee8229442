package heap

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/dop251/goja"
	"github.com/dop251/goja/file"
	"github.com/stasisvm/stasis/internal/pages"
)

// Compiled programs stored as bytes (GOJA-INTERNALS §13), so that a world
// loaded from an image compiles nothing. A program is a tree of Go values:
// instructions of about 250 unexported types behind goja's instruction
// interface, constants, names, source positions and the programs of nested
// functions. EncodeProgram writes the tree by reflection over the types of
// codeTypes' registry; DecodeProgram rebuilds it, building only registered
// types, each where goja's own types allow it.
//
// The bytes of one script's program tree (all integers are varints):
//
//	code     = version base types strings count *len *program     version = 3
//	base     = uint                      the source file's base offset
//	types    = count *(len bytes)        the Go types used, by name ("*goja.newFunc")
//	strings  = count *(len bytes)        the strings used, each once
//	count    = uint                      the programs of the tree (at least 1)
//	len      = uint                      each program's bytes, in program order
//	program  = funcName file len *instruction srcmap
//	file     = 0 (none) | 1 (the script's source file)
//	srcmap   = count *(pc position)      source positions, pc ascending: each pc
//	                                     the increase over the last one, each
//	                                     position the signed difference
//	                                     (zigzag) from the last one
//	instruction = type+1 [ref] value     type: index in types; 0: nil
//	ref      = 0 (a new instruction, its value follows) | n (the nth pointer
//	           instruction written before in the same program: goja emits
//	           one block exit at every break out of the block)
//	value    = as the type's fields, in order: integers as varints (signed
//	           ones zigzagged), booleans 0/1, strings as string refs,
//	           slices and maps as count+1 (0: nil) then elements (map keys
//	           sorted), pointers as 0 (nil) or 1 then the value, interfaces
//	           as type+1 then the value; nested programs as 0 (nil) or the
//	           number of the nested program in the list
//	string   = 2*index (in strings) | 2*offset+1 length (a slice of the
//	           script's source: a function's own text, most names)
//
// Program 0 is the script's own; the others follow in breadth-first order,
// each referred to by exactly one program before it. Every program is a
// run of bytes of its own (the lengths say where each starts), so a
// decoder rebuilds them independently, on several goroutines: TypeScript's
// one script is 21,384 programs.
//
// Special values: a yield marker is the index of goja's singleton (goja
// tells them apart by address); a RegExp literal's compiled pattern is its
// source text and flags, compiled again (once per process); a BigInt is its
// sign and magnitude; a class's private environment type must be absent.
//
// What the decoder checks, so that a crafted code section cannot make it
// build anything goja could not have compiled: every type is a registered
// one that may stand where it is found (an instruction where an instruction
// goes, a primitive constant where a constant goes); every count against
// the bytes left before allocating; every jump target within its program;
// every other integer operand (stack sizes, counts) under maxOperand;
// source positions within the source; strings within their table or the
// source. What cannot be checked cheaply (a stack slot or scope level that
// the running frame must have) makes goja panic when wrong, and the VM turns
// a panic into an error of the call that ran the code.

// minSourceRef is the shortest string written as a slice of the source.
const minSourceRef = 24

// codeVersion is the version of the bytes above. Version 1 wrote nested
// programs inline, version 2 source positions whole (43% of TypeScript's
// code); CodeKey names the version, so a build compiles the scripts of
// images holding another.
const codeVersion = 3

// maxProgramDepth bounds the nesting of functions in a stored program.
const maxProgramDepth = 1000

// minParallelCode is the least stored code worth decoding on more than
// one goroutine (a variable for tests).
var minParallelCode = 256 << 10

// ErrCodeUnsupported reports a program that cannot be stored (its script
// is stored as source instead).
var ErrCodeUnsupported = errors.New("compiled code cannot be stored")

type codeFailure string

// progEncoder writes one script's program tree.
type progEncoder struct {
	r        *codeRegistry
	buf      []byte
	types    map[*codeType]int
	typeList []*codeType
	// cts are the registry's entries looked up so far, by type.
	cts     map[reflect.Type]*codeType
	strs    map[string]int
	strList []string
	// seen numbers the shared instructions written in the current
	// program; owner says which program wrote each.
	seen    map[sharedIns]int
	owner   map[sharedIns]int
	src     string
	srcData uintptr
	file    unsafe.Pointer
	pc, n   int
	// queue lists the programs by number; depths their nesting; cur is
	// the one being written.
	queue  []unsafe.Pointer
	depths []int
	cur    int
}

func (e *progEncoder) failf(format string, args ...any) {
	panic(codeFailure(fmt.Sprintf(format, args...)))
}

func (e *progEncoder) byte(b byte)      { e.buf = append(e.buf, b) }
func (e *progEncoder) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *progEncoder) varint(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }
func (e *progEncoder) bytes(b []byte)   { e.uvarint(uint64(len(b))); e.buf = append(e.buf, b...) }

// codeType returns the registry's entry of type t (nil: none).
func (e *progEncoder) codeType(t reflect.Type) *codeType {
	ct, ok := e.cts[t]
	if !ok {
		ct = e.r.typed(t)
		e.cts[t] = ct
	}
	return ct
}

func (e *progEncoder) typeIndex(ct *codeType) int {
	i, ok := e.types[ct]
	if !ok {
		i = len(e.typeList)
		e.types[ct] = i
		e.typeList = append(e.typeList, ct)
	}
	return i
}

// string writes a long string as a slice of the source when it is one (it
// shares the source's memory: a function's own text), else as an index in
// the string table (names, which repeat).
func (e *progEncoder) string(s string) {
	if n := len(s); n >= minSourceRef {
		d := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		if d >= e.srcData && d+uintptr(n) <= e.srcData+uintptr(len(e.src)) {
			e.uvarint(uint64(d-e.srcData)<<1 | 1)
			e.uvarint(uint64(n))
			return
		}
	}
	i, ok := e.strs[s]
	if !ok {
		i = len(e.strList)
		e.strs[s] = i
		e.strList = append(e.strList, s)
	}
	e.uvarint(uint64(i) << 1)
}

func (e *progEncoder) checkInt(v int64, check intCheck, where string) {
	if err := intOK(v, check, e.pc, e.n); err != "" {
		e.failf("%s: %s", where, err)
	}
}

func intOK(v int64, check intCheck, pc, n int) string {
	switch check {
	case checkBound:
		if v > maxOperand || v < -maxOperand {
			return fmt.Sprintf("operand %d out of range", v)
		}
	case checkJump:
		if t := int64(pc) + v; v != 0 && (t < 0 || t > int64(n)) {
			return fmt.Sprintf("a jump to %d outside the program (%d instructions)", t, n)
		}
	}
	return ""
}

// progTree is what the decoders of one script's programs share: read
// only, but for parents, which they set with atomic operations.
type progTree struct {
	types []*codeType
	strs  []string
	// boxes[i] is where strs[i] is boxed for the instructions that hold
	// it (nil until the first; no boxes when the tree has no string
	// instruction types).
	boxes []unsafe.Pointer
	src   string
	file  *file.File
	// slabTypes are the registry's slab types when the tree's types were
	// looked up: they cover the slabs of every codec the tree uses.
	slabTypes []slabType
	// progs are the programs, made before any is decoded (a program
	// refers to its nested ones by number): one array.
	progs  unsafe.Pointer
	size   uintptr
	nprogs int
	// parents[k] is the program that refers to program k (-1: none yet).
	parents []int32
}

func (t *progTree) prog(k int) unsafe.Pointer { return unsafe.Add(t.progs, uintptr(k)*t.size) }

// progDecoder reads programs of one script's tree, one at a time.
type progDecoder struct {
	r *codeRegistry
	*progTree
	d     []byte
	i     int
	pc, n int
	cur   int
	// word receives an integer instruction's value before it is placed
	// (codeType.small).
	word   uint64
	shared []sharedIns
	// slabs hold the memory the decoder hands out, by slab id: values of
	// one type are allocated a chunk at a time, not one by one.
	slabs []slab
}

// slab is a chunk of values of one type, used from i on.
type slab struct {
	base unsafe.Pointer
	i, n int
}

// slabBytes is the most bytes a chunk grows to (from 8 values, doubling);
// a request of more than a quarter of that gets an array of its own.
// TypeScript's programs take 30 MB of such memory, all of it fresh: a
// chunk or array of many pages is populated at once (internal/pages)
// rather than faulted in page by page as it is filled.
const slabBytes = 64 << 10

// alloc returns n zeroed, consecutive values of slab id's type.
func (d *progDecoder) alloc(id, n int) unsafe.Pointer {
	st := &d.slabTypes[id]
	most := st.most
	if n > most/4 {
		return fresh(st, n)
	}
	s := &d.slabs[id]
	if s.n-s.i < n {
		size := max(min(s.n*2, most), 8, n)
		s.base, s.i, s.n = fresh(st, size), 0, size
	}
	q := unsafe.Add(s.base, uintptr(s.i)*st.size)
	s.i += n
	return q
}

// fresh returns a new array of n values of st's type.
func fresh(st *slabType, n int) unsafe.Pointer {
	p := reflect.MakeSlice(st.slice, n, n).UnsafePointer()
	if size := uintptr(n) * st.size; size >= slabBytes {
		pages.Populate(unsafe.Slice((*byte)(p), size))
	}
	return p
}

// sharedIns is a pointer instruction already decoded, which a later place
// may refer to.
type sharedIns struct {
	ct *codeType
	p  unsafe.Pointer
}

func (d *progDecoder) failf(format string, args ...any) {
	panic(codeFailure(fmt.Sprintf(format, args...)))
}

func (d *progDecoder) uvarint() uint64 {
	// Most numbers of a program are below 128: one byte.
	if d.i < len(d.d) && d.d[d.i] < 0x80 {
		d.i++
		return uint64(d.d[d.i-1])
	}
	v, k := binary.Uvarint(d.d[d.i:])
	if k <= 0 {
		d.failf("a number at byte %d is cut short or too long", d.i)
	}
	d.i += k
	return v
}

func (d *progDecoder) varint() int64 {
	if d.i < len(d.d) && d.d[d.i] < 0x80 {
		u := d.d[d.i]
		d.i++
		return int64(u>>1) ^ -int64(u&1)
	}
	v, k := binary.Varint(d.d[d.i:])
	if k <= 0 {
		d.failf("a number at byte %d is cut short or too long", d.i)
	}
	d.i += k
	return v
}

func (d *progDecoder) bytes() []byte {
	n := d.uvarint()
	if n > uint64(len(d.d)-d.i) {
		d.failf("%d bytes where %d remain", n, len(d.d)-d.i)
	}
	b := d.d[d.i : d.i+int(n)]
	d.i += int(n)
	return b
}

// boxString returns where a string of type ct is, read as string reads
// it: a string of the table is boxed once per tree (the decoders of a tree
// share its boxes through atomic operations; two that box the same string
// at once each keep their own), a slice of the source each time.
func (d *progDecoder) boxString(ct *codeType) unsafe.Pointer {
	i := d.i
	if v := d.uvarint(); v&1 == 0 && v>>1 < uint64(len(d.boxes)) {
		box := &d.boxes[v>>1]
		q := atomic.LoadPointer(box)
		if q == nil {
			q = d.alloc(ct.slab, 1)
			*(*string)(q) = d.strs[v>>1]
			atomic.StorePointer(box, q)
		}
		return q
	}
	d.i = i
	q := d.alloc(ct.slab, 1)
	*(*string)(q) = d.string()
	return q
}

func (d *progDecoder) string() string {
	v := d.uvarint()
	if v&1 == 1 {
		off, n := v>>1, d.uvarint()
		if off > uint64(len(d.src)) || n > uint64(len(d.src))-off {
			d.failf("a string at %d of %d bytes outside the source (%d bytes)", off, n, len(d.src))
		}
		return d.src[off : off+n]
	}
	if v>>1 >= uint64(len(d.strs)) {
		d.failf("string %d out of range", v>>1)
	}
	return d.strs[v>>1]
}

// count reads a slice or map length (count+1; -1 for nil), refusing one
// that the remaining bytes cannot hold (every element takes a byte, but for
// elements of no bytes, which are bounded by maxOperand).
func (d *progDecoder) count(zero bool) int {
	v := d.uvarint()
	if v == 0 {
		return -1
	}
	n := v - 1
	if zero && n > maxOperand || !zero && n > uint64(len(d.d)-d.i) {
		d.failf("%d elements where %d bytes remain", n, len(d.d)-d.i)
	}
	return int(n)
}

func (d *progDecoder) checkInt(v int64, check intCheck, where string) {
	if err := intOK(v, check, d.pc, d.n); err != "" {
		d.failf("%s: %s", where, err)
	}
}

// The layout of goja.Program, found by checkProgramCodec.
var progLayout struct {
	code, funcName, src, srcMap uintptr
	mapItem                     reflect.Type
	mapPC, mapPos               uintptr
	fileSourceMap               uintptr
	reName                      []uintptr // regexpPattern: src, then the six flags
}

// checkProgramCodec finds the fields of Program, srcMapItem, file.File and
// regexpPattern that the program codec reads, refusing any it does not know.
func checkProgramCodec(r *codeRegistry, b *codecBuilder) error {
	pt := r.programType.Elem()
	if pt.NumField() != 4 {
		return fmt.Errorf("goja.Program has %d fields, want code, funcName, src and srcMap", pt.NumField())
	}
	offs := map[string]uintptr{}
	for _, name := range []string{"code", "funcName", "src", "srcMap"} {
		f, ok := pt.FieldByName(name)
		if !ok {
			return fmt.Errorf("goja.Program has no field %s", name)
		}
		offs[name] = f.Offset
	}
	progLayout.code, progLayout.funcName, progLayout.src, progLayout.srcMap = offs["code"], offs["funcName"], offs["src"], offs["srcMap"]
	if f, _ := pt.FieldByName("funcName"); f.Type.Kind() != reflect.String {
		return fmt.Errorf("goja.Program.funcName is not a string")
	}
	sm, _ := pt.FieldByName("srcMap")
	it := sm.Type.Elem()
	if sm.Type.Kind() != reflect.Slice || it.Kind() != reflect.Struct || it.NumField() != 2 {
		return fmt.Errorf("goja.Program.srcMap is %s", sm.Type)
	}
	pcF, ok1 := it.FieldByName("pc")
	posF, ok2 := it.FieldByName("srcPos")
	if !ok1 || !ok2 || pcF.Type.Kind() != reflect.Int || posF.Type.Kind() != reflect.Int {
		return fmt.Errorf("goja.Program.srcMap items are %s", it)
	}
	progLayout.mapItem, progLayout.mapPC, progLayout.mapPos = it, pcF.Offset, posF.Offset
	if r.fileType != reflect.TypeOf((*file.File)(nil)) {
		return fmt.Errorf("goja.Program.src is %s", r.fileType)
	}
	smF, ok := r.fileType.Elem().FieldByName("sourceMap")
	if !ok || smF.Type.Kind() != reflect.Ptr {
		return fmt.Errorf("file.File has no sourceMap pointer")
	}
	progLayout.fileSourceMap = smF.Offset
	rp := r.regexpType.Elem()
	progLayout.reName = nil
	for i, name := range []string{"src", "global", "ignoreCase", "multiline", "dotAll", "sticky", "unicode"} {
		f, ok := rp.FieldByName(name)
		want := reflect.Bool
		if i == 0 {
			want = reflect.String
		}
		if !ok || f.Type.Kind() != want {
			return fmt.Errorf("goja.regexpPattern has no %s field %s", want, name)
		}
		progLayout.reName = append(progLayout.reName, f.Offset)
	}
	c, ok := b.codecFor(r.insIface, checkBound, "code")
	if !ok {
		return fmt.Errorf("goja's instructions cannot be stored")
	}
	r.insCodec = c
	r.codeSlab, r.mapSlab = b.slabFor(r.insIface), b.slabFor(it)
	return nil
}

// A nested program is numbered when its maker is written, and written
// itself after the programs numbered before it.
func encProgramPtr(e *progEncoder, p unsafe.Pointer) {
	q := *(*unsafe.Pointer)(p)
	if q == nil {
		e.uvarint(0)
		return
	}
	depth := e.depths[e.cur] + 1
	if depth > maxProgramDepth {
		e.failf("functions nested deeper than %d", maxProgramDepth)
	}
	e.uvarint(uint64(len(e.queue)))
	e.queue = append(e.queue, q)
	e.depths = append(e.depths, depth)
}

func (e *progEncoder) program(q unsafe.Pointer) {
	e.string(*(*string)(unsafe.Add(q, progLayout.funcName)))
	switch f := *(*unsafe.Pointer)(unsafe.Add(q, progLayout.src)); f {
	case nil:
		e.uvarint(0)
	case e.file:
		e.uvarint(1)
	default:
		e.failf("a nested program of another source file")
	}
	code := (*sliceHeader)(unsafe.Add(q, progLayout.code))
	e.n = code.len
	e.uvarint(uint64(code.len))
	for pc := 0; pc < code.len; pc++ {
		e.pc = pc
		e.r.insCodec.enc(e, unsafe.Add(code.data, uintptr(pc)*2*unsafe.Sizeof(uintptr(0))))
	}
	sm := (*sliceHeader)(unsafe.Add(q, progLayout.srcMap))
	e.uvarint(uint64(sm.len))
	size := progLayout.mapItem.Size()
	last, lastPos := 0, 0
	for i := 0; i < sm.len; i++ {
		it := unsafe.Add(sm.data, uintptr(i)*size)
		pc, pos := *(*int)(unsafe.Add(it, progLayout.mapPC)), *(*int)(unsafe.Add(it, progLayout.mapPos))
		if pc < last || pc > code.len || pos < 0 || pos > len(e.src)+1 {
			e.failf("a source position (%d at %d) out of order or range", pos, pc)
		}
		e.uvarint(uint64(pc - last))
		e.varint(int64(pos - lastPos))
		last, lastPos = pc, pos
	}
}

// decProgramPtr links a nested program: one after the current one, which
// no other program refers to (so the programs form a tree).
func decProgramPtr(d *progDecoder, p unsafe.Pointer) {
	k := d.uvarint()
	if k == 0 {
		*(*unsafe.Pointer)(p) = nil
		return
	}
	if k <= uint64(d.cur) || k >= uint64(d.nprogs) {
		d.failf("program %d refers to program %d of %d", d.cur, k, d.nprogs)
	}
	if !atomic.CompareAndSwapInt32(&d.parents[k], -1, int32(d.cur)) {
		d.failf("program %d is nested in two programs", k)
	}
	*(*unsafe.Pointer)(p) = d.prog(int(k))
}

// program decodes the current program's bytes into program d.cur.
func (d *progDecoder) program() {
	q := d.prog(d.cur)
	*(*string)(unsafe.Add(q, progLayout.funcName)) = d.string()
	switch d.uvarint() {
	case 0:
	case 1:
		*(**file.File)(unsafe.Add(q, progLayout.src)) = d.file
	default:
		d.failf("a bad source file reference")
	}
	n := d.uvarint()
	if n > uint64(len(d.d)-d.i) {
		d.failf("%d instructions where %d bytes remain", n, len(d.d)-d.i)
	}
	d.n = int(n)
	code := (*sliceHeader)(unsafe.Add(q, progLayout.code))
	if n > 0 {
		*code = sliceHeader{d.alloc(d.r.codeSlab, int(n)), int(n), int(n)}
	}
	for pc := 0; pc < int(n); pc++ {
		d.pc = pc
		d.r.insCodec.dec(d, unsafe.Add(code.data, uintptr(pc)*2*unsafe.Sizeof(uintptr(0))))
	}
	m := d.uvarint()
	if m > uint64(len(d.d)-d.i)/2 {
		d.failf("%d source positions where %d bytes remain", m, len(d.d)-d.i)
	}
	if m > 0 {
		sm := (*sliceHeader)(unsafe.Add(q, progLayout.srcMap))
		*sm = sliceHeader{d.alloc(d.r.mapSlab, int(m)), int(m), int(m)}
		size := progLayout.mapItem.Size()
		pc, pos := uint64(0), int64(0)
		for i := 0; i < int(m); i++ {
			dpc, dpos := d.uvarint(), d.varint()
			if dpc > n-pc || dpos < -pos || dpos > int64(len(d.src))+1-pos {
				d.failf("a source position (%+d after %d, at %+d after %d) out of range", dpos, pos, dpc, pc)
			}
			pc, pos = pc+dpc, pos+dpos
			it := unsafe.Add(sm.data, uintptr(i)*size)
			*(*int)(unsafe.Add(it, progLayout.mapPC)) = int(pc)
			*(*int)(unsafe.Add(it, progLayout.mapPos)) = int(pos)
		}
	}
}

// A script's source file is written once (name and source are the
// script's; base here), and shared by all its programs.
func encFile(e *progEncoder, p unsafe.Pointer) {
	switch *(*unsafe.Pointer)(p) {
	case nil:
		e.uvarint(0)
	case e.file:
		e.uvarint(1)
	default:
		e.failf("a program of another source file")
	}
}

func decFile(d *progDecoder, p unsafe.Pointer) {
	switch d.uvarint() {
	case 0:
		*(**file.File)(p) = nil
	case 1:
		*(**file.File)(p) = d.file
	default:
		d.failf("a bad source file reference")
	}
}

var reFlags = "gimsyu"

// RegExp literals: the pattern's source and flags.
func encRegexp(e *progEncoder, p unsafe.Pointer) {
	q := *(*unsafe.Pointer)(p)
	if q == nil {
		e.uvarint(0)
		return
	}
	e.uvarint(1)
	e.string(*(*string)(unsafe.Add(q, progLayout.reName[0])))
	flags := uint64(0)
	for i, off := range progLayout.reName[1:] {
		if *(*bool)(unsafe.Add(q, off)) {
			flags |= 1 << i
		}
	}
	e.uvarint(flags)
}

func decRegexp(d *progDecoder, p unsafe.Pointer) {
	switch d.uvarint() {
	case 0:
		*(*unsafe.Pointer)(p) = nil
		return
	case 1:
	default:
		d.failf("a bad RegExp pattern")
	}
	k := patternKey{d.string(), d.uvarint()}
	if k.flags >= 1<<len(reFlags) {
		d.failf("RegExp flags %#x", k.flags)
	}
	// Compiled once per process (a pattern in a program is only read:
	// goja clones it for every RegExp the literal makes), and shared with
	// an image's RegExp objects (SharedPattern).
	q, _, err := sharedPattern(k, false, func() (unsafe.Pointer, error) { return compilePattern(k) })
	if err != nil {
		d.failf("RegExp /%s/: %v", k.src, err)
	}
	*(*unsafe.Pointer)(p) = q
}

// compilePattern compiles a RegExp literal of the given source and flags
// and returns its pattern, checking that the literal is exactly that.
func compilePattern(k patternKey) (unsafe.Pointer, error) {
	lit := "/" + k.src + "/"
	for i := 0; i < len(reFlags); i++ {
		if k.flags&(1<<i) != 0 {
			lit += reFlags[i : i+1]
		}
	}
	prg, err := goja.Compile("regexp", lit, false)
	if err != nil {
		return nil, err
	}
	c := code(prg)
	for pc := 0; pc < c.Len(); pc++ {
		ins := c.Index(pc).Elem()
		if ins.Kind() != reflect.Ptr || ins.Elem().Type().Name() != "newRegexp" {
			continue
		}
		q := field(ins, "pattern").UnsafePointer()
		got := patternKey{src: *(*string)(unsafe.Add(q, progLayout.reName[0]))}
		for i, off := range progLayout.reName[1:] {
			if *(*bool)(unsafe.Add(q, off)) {
				got.flags |= 1 << i
			}
		}
		if got != k {
			return nil, fmt.Errorf("not a single literal")
		}
		return q, nil
	}
	return nil, fmt.Errorf("not a literal")
}

// EncodeProgram returns the bytes of p's program tree (see the grammar
// above). p must be the root program of a script compiled as name from
// src. An error wrapping ErrCodeUnsupported says why p cannot be stored
// (the script is then stored as source): a type missing from this build's
// registry, a source map, code bound to a class's private names.
func EncodeProgram(p *goja.Program, name, src string) (out []byte, err error) {
	return encodeProgram(codeTypes(), p, name, src)
}

// encodeProgram is EncodeProgram with the registry r.
func encodeProgram(r *codeRegistry, p *goja.Program, name, src string) (out []byte, err error) {
	if r.err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCodeUnsupported, r.err)
	}
	fv := field(reflect.ValueOf(p), "src")
	if fv.IsNil() {
		return nil, fmt.Errorf("%w: the program has no source file", ErrCodeUnsupported)
	}
	f := fv.Interface().(*file.File)
	if f.Name() != name || f.Source() != src {
		return nil, fmt.Errorf("%w: the program was not compiled from this script", ErrCodeUnsupported)
	}
	if *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(f), progLayout.fileSourceMap)) != nil {
		return nil, fmt.Errorf("%w: the script has a source map", ErrCodeUnsupported)
	}
	if f.Base() < 0 || f.Base() > maxOperand {
		return nil, fmt.Errorf("%w: source base %d", ErrCodeUnsupported, f.Base())
	}
	// The file's own copy of the source: the one function texts are
	// slices of.
	src = f.Source()
	e := &progEncoder{r: r, types: map[*codeType]int{}, cts: map[reflect.Type]*codeType{}, strs: map[string]int{}, seen: map[sharedIns]int{},
		owner: map[sharedIns]int{}, src: src, file: unsafe.Pointer(f)}
	if len(src) > 0 {
		e.srcData = uintptr(unsafe.Pointer(unsafe.StringData(src)))
	}
	e.buf = make([]byte, 0, len(src)/2+64)
	defer func() {
		if x := recover(); x != nil {
			msg, ok := x.(codeFailure)
			if !ok {
				panic(x)
			}
			out, err = nil, fmt.Errorf("%w: %s", ErrCodeUnsupported, string(msg))
		}
	}()
	e.queue, e.depths = []unsafe.Pointer{unsafe.Pointer(p)}, []int{1}
	var ends []int
	for e.cur = 0; e.cur < len(e.queue); e.cur++ {
		clear(e.seen)
		e.program(e.queue[e.cur])
		ends = append(ends, len(e.buf))
	}
	body := e.buf
	e.buf = make([]byte, 0, len(body)+len(e.typeList)*24+len(e.strList)*8+len(ends)*3+16)
	e.uvarint(codeVersion)
	e.uvarint(uint64(f.Base()))
	e.uvarint(uint64(len(e.typeList)))
	for _, ct := range e.typeList {
		e.bytes([]byte(ct.name))
	}
	e.uvarint(uint64(len(e.strList)))
	for _, s := range e.strList {
		e.bytes([]byte(s))
	}
	e.uvarint(uint64(len(ends)))
	last := 0
	for _, end := range ends {
		e.uvarint(uint64(end - last))
		last = end
	}
	return append(e.buf, body...), nil
}

// DecodeProgram rebuilds the program tree that EncodeProgram wrote for the
// script name with source src, as goja.Compile(name, src, ...) would have
// made it. Bytes that this build's registry cannot read, or that fail a
// check (see above), are refused with an error; nothing of them is used.
// A large tree is decoded on up to GOMAXPROCS goroutines.
func DecodeProgram(name, src string, data []byte) (*goja.Program, error) {
	p, _, err := decodeProgram(codeTypes(), name, src, data)
	return p, err
}

// DecodeProgramTree is DecodeProgram, returning the tree as Programs
// lists it (the script's program first).
func DecodeProgramTree(name, src string, data []byte) ([]ProgramInfo, error) {
	p, n, err := decodeProgram(codeTypes(), name, src, data)
	if err != nil {
		return nil, err
	}
	return programs(p, n), nil
}

// decodeProgram decodes a program tree with the registry r and returns
// its size.
func decodeProgram(r *codeRegistry, name, src string, data []byte) (*goja.Program, int, error) {
	if r.err != nil {
		return nil, 0, r.err
	}
	t, lens, err := decodeHeader(r, name, src, data)
	if err != nil {
		return nil, 0, err
	}
	body := data[len(data)-sum(lens):]
	starts := make([]int, len(lens)+1)
	for i, n := range lens {
		starts[i+1] = starts[i] + n
	}
	workers := 1
	if len(body) >= minParallelCode {
		workers = min(runtime.GOMAXPROCS(0), t.nprogs)
	}
	var (
		next    atomic.Int64
		failed  atomic.Bool
		mu      sync.Mutex
		first   error
		firstAt int
		wg      sync.WaitGroup
	)
	work := func() {
		defer wg.Done()
		d := &progDecoder{r: r, progTree: t, slabs: make([]slab, len(t.slabTypes))}
		for !failed.Load() {
			k := int(next.Add(1) - 1)
			if k >= t.nprogs {
				return
			}
			if err := d.piece(k, body[starts[k]:starts[k+1]]); err != nil {
				mu.Lock()
				if first == nil || k < firstAt {
					first, firstAt = err, k
				}
				mu.Unlock()
				failed.Store(true)
				return
			}
		}
	}
	wg.Add(workers)
	for i := 1; i < workers; i++ {
		go work()
	}
	work()
	wg.Wait()
	if first != nil {
		return nil, 0, first
	}
	// Every program but the first is nested in one before it; so they
	// form a tree, whose depth is bounded.
	depth := make([]int32, t.nprogs)
	depth[0] = 1
	for k := 1; k < t.nprogs; k++ {
		parent := t.parents[k]
		if parent < 0 {
			return nil, 0, fmt.Errorf("program %d is nested in no program", k)
		}
		if depth[k] = depth[parent] + 1; depth[k] > maxProgramDepth {
			return nil, 0, fmt.Errorf("functions nested deeper than %d", maxProgramDepth)
		}
	}
	return (*goja.Program)(t.prog(0)), t.nprogs, nil
}

func sum(ns []int) int {
	s := 0
	for _, n := range ns {
		s += n
	}
	return s
}

// piece decodes program k from its bytes b.
func (d *progDecoder) piece(k int, b []byte) (err error) {
	defer func() {
		if x := recover(); x != nil {
			msg, ok := x.(codeFailure)
			if !ok {
				msg = codeFailure(fmt.Sprint("internal error: ", x))
			}
			err = errors.New(string(msg))
		}
	}()
	d.d, d.i, d.cur, d.shared = b, 0, k, d.shared[:0]
	d.program()
	if d.i != len(d.d) {
		d.failf("%d bytes after program %d", len(d.d)-d.i, k)
	}
	return nil
}

// decodeHeader reads everything before the programs' bytes: the types and
// strings they use, and their lengths, which must add up to the rest.
func decodeHeader(r *codeRegistry, name, src string, data []byte) (t *progTree, lens []int, err error) {
	d := &progDecoder{r: r, d: data, progTree: &progTree{src: src}}
	defer func() {
		if x := recover(); x != nil {
			msg, ok := x.(codeFailure)
			if !ok {
				msg = codeFailure(fmt.Sprint("internal error: ", x))
			}
			t, lens, err = nil, nil, errors.New(string(msg))
		}
	}()
	if v := d.uvarint(); v != codeVersion {
		d.failf("code version %d, want %d", v, codeVersion)
	}
	base := d.uvarint()
	if base > maxOperand {
		d.failf("source base %d", base)
	}
	d.file = file.NewFile(name, src, int(base))
	n := d.uvarint()
	if n > uint64(len(d.d)-d.i) {
		d.failf("%d types where %d bytes remain", n, len(d.d)-d.i)
	}
	d.types = make([]*codeType, n)
	for i := range d.types {
		name := string(d.bytes())
		ct := r.named(name)
		if ct == nil || ct.codec == nil {
			d.failf("type %s unknown to this build", name)
		}
		d.types[i] = ct
	}
	n = d.uvarint()
	if n > uint64(len(d.d)-d.i) {
		d.failf("%d strings where %d bytes remain", n, len(d.d)-d.i)
	}
	// The strings are slices of one copy of their table: read once to
	// find (and check) its end, then again to slice the copy.
	start := d.i
	for i := uint64(0); i < n; i++ {
		d.bytes()
	}
	table := string(d.d[start:d.i])
	d.strs = make([]string, n)
	for i, at := 0, 0; i < len(d.strs); i++ {
		l, k := binary.Uvarint(d.d[start+at:])
		at += k
		d.strs[i] = table[at : at+int(l)]
		at += int(l)
	}
	for _, ct := range d.types {
		if ct.small == smallString {
			d.boxes = make([]unsafe.Pointer, n)
			break
		}
	}
	n = d.uvarint()
	if n == 0 || n > uint64(len(d.d)-d.i) {
		d.failf("%d programs where %d bytes remain", n, len(d.d)-d.i)
	}
	lens = make([]int, n)
	total := uint64(0)
	for i := range lens {
		// A program takes at least four bytes (name, file, length,
		// source positions).
		l := d.uvarint()
		if l < 4 || l > uint64(len(d.d)-d.i)-total {
			d.failf("a program of %d bytes where %d remain", l, uint64(len(d.d)-d.i)-total)
		}
		total += l
		lens[i] = int(l)
	}
	if total != uint64(len(d.d)-d.i) {
		d.failf("%d bytes after the programs", uint64(len(d.d)-d.i)-total)
	}
	t = d.progTree
	t.slabTypes = r.slabs()
	t.nprogs = int(n)
	t.size = r.programType.Elem().Size()
	t.progs = reflect.MakeSlice(reflect.SliceOf(r.programType.Elem()), t.nprogs, t.nprogs).UnsafePointer()
	t.parents = make([]int32, n)
	for i := range t.parents {
		t.parents[i] = -1
	}
	return t, lens, nil
}
