package natives

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/dop251/goja"
	"github.com/dop251/goja_nodejs/buffer"
	"github.com/stasisvm/stasis/vm"
	xunicode "golang.org/x/text/encoding/unicode"
)

// Buffers is the plugin of Node's Buffer (global, and require("buffer")),
// TextEncoder, TextDecoder, atob and btoa.
//
// Buffer comes from goja_nodejs (package buffer): a Buffer is a Uint8Array
// whose prototype is Buffer.prototype, so an image holds it as it holds any
// typed array, with its bytes and its place in a shared ArrayBuffer. This
// plugin completes goja_nodejs's Buffer with what Node has and it lacks
// (isBuffer, compare, byteLength, the latin1, ascii and utf16le
// encodings, case-insensitive encoding names, slice as a view, toJSON,
// copy, species for map and filter) and gives its methods Node's names and
// attributes.
//
// A TextDecoder keeps its options and the bytes of an unfinished character
// (decode(bytes, {stream: true})) in an ordinary object under the
// registered symbol Symbol.for("stasis.state"), so that it too is saved as
// it is. The plugin marks no objects and has no state of its own.
type Buffers struct{}

// Name implements Plugin.
func (*Buffers) Name() string { return "buffer" }

// Version implements Plugin.
func (*Buffers) Version() int { return 1 }

// Install implements Plugin.
func (p *Buffers) Install(v *vm.VM) error {
	rt := v.Runtime()
	module := rt.NewObject()
	exports := rt.NewObject()
	_ = module.Set("exports", exports)
	if err := v.Try("install Buffer", func() error {
		buffer.Require(rt, module)
		return nil
	}); err != nil {
		return err
	}
	ctor, ok := exports.Get("Buffer").(*goja.Object)
	if !ok {
		return fmt.Errorf("goja_nodejs made no Buffer")
	}
	// goja_nodejs keeps its Go side under a private symbol of Buffer, for Go
	// callers (buffer.GetApi): a Go value no image could hold.
	for _, sym := range ctor.Symbols() {
		if _, isAPI := ctor.GetSymbol(sym).Export().(*buffer.Buffer); isAPI {
			if err := ctor.DeleteSymbol(sym); err != nil {
				return err
			}
		}
	}
	// goja_nodejs's constructor is named after its Go method; Node's is
	// "Buffer" (and the printer shows <Buffer ..> by that name).
	_ = ctor.DefineDataProperty("name", rt.ToValue("Buffer"), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_TRUE)
	proto := ctor.Get("prototype").(*goja.Object)
	b := &bufferKit{v: v, ctor: ctor, proto: proto}
	b.complete()
	nodeLike(v, ctor)
	nodeLike(v, proto)

	g := rt.GlobalObject()
	_ = g.DefineDataProperty("Buffer", ctor, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	atob := v.NewFunction("atob", 1, b.atob)
	btoa := v.NewFunction("btoa", 1, b.btoa)
	_ = g.DefineDataProperty("atob", atob, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	_ = g.DefineDataProperty("btoa", btoa, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	enc, dec := b.textEncoder(), b.textDecoder()
	_ = g.DefineDataProperty("TextEncoder", enc, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = g.DefineDataProperty("TextDecoder", dec, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)

	if err := installStructuredClone(v); err != nil {
		return err
	}
	mod := rt.NewObject()
	_ = mod.Set("Buffer", ctor)
	_ = mod.Set("atob", atob)
	_ = mod.Set("btoa", btoa)
	_ = mod.Set("kMaxLength", 1<<32)
	if err := RegisterModule(v, "buffer", mod); err != nil {
		return err
	}
	if u := BuiltinModule(v, "util"); u != nil {
		_ = u.Set("TextEncoder", enc)
		_ = u.Set("TextDecoder", dec)
	}
	return nil
}

// nodeLike makes o's function-valued properties look like Node's built-in
// methods: named after their key, not enumerable.
func nodeLike(v *vm.VM, o *goja.Object) {
	rt := v.Runtime()
	for _, k := range o.Keys() {
		f, ok := o.Get(k).(*goja.Object)
		if !ok {
			continue
		}
		if _, isFn := goja.AssertFunction(f); !isFn {
			continue
		}
		if name := f.Get("name"); name == nil || strings.Contains(name.String(), ".") || name.String() == "" {
			_ = f.DefineDataProperty("name", rt.ToValue(k), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
		}
		_ = o.DefineDataProperty(k, f, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	}
}

// Record implements Plugin; the plugin marks no objects.
func (p *Buffers) Record(v *vm.VM, o *goja.Object) (goja.Value, error) {
	return nil, fmt.Errorf("buffer: marks no objects")
}

// Rebind implements Plugin; the plugin marks no objects.
func (p *Buffers) Rebind(v *vm.VM, o *goja.Object, record goja.Value) error {
	return fmt.Errorf("buffer: marks no objects")
}

// SaveState implements Plugin: the plugin has no state.
func (p *Buffers) SaveState(v *vm.VM) (goja.Value, error) { return nil, nil }

// RestoreState implements Plugin.
func (p *Buffers) RestoreState(v *vm.VM, state goja.Value) error { return nil }

type bufferKit struct {
	v           *vm.VM
	ctor, proto *goja.Object
}

// encodingName returns Node's canonical name of an encoding, or "".
func encodingName(val goja.Value) string {
	if val == nil || goja.IsUndefined(val) || goja.IsNull(val) {
		return "utf8"
	}
	switch strings.ToLower(val.String()) {
	case "utf8", "utf-8":
		return "utf8"
	case "hex":
		return "hex"
	case "base64":
		return "base64"
	case "base64url":
		return "base64url"
	case "latin1", "binary":
		return "latin1"
	case "ascii":
		return "ascii"
	case "ucs2", "ucs-2", "utf16le", "utf-16le":
		return "utf16le"
	}
	return ""
}

func (b *bufferKit) encoding(val goja.Value) string {
	enc := encodingName(val)
	if enc == "" {
		throwTypef(b.v, "ERR_UNKNOWN_ENCODING", "Unknown encoding: %s", val.String())
	}
	return enc
}

// codeUnits returns the UTF-16 code units of a JavaScript string.
func codeUnits(s goja.Value) []uint16 {
	return utf16.Encode([]rune(s.String()))
}

// encodeString returns the bytes of s in enc.
func encodeString(s goja.Value, enc string) []byte {
	switch enc {
	case "hex":
		str := s.String()
		out := make([]byte, 0, len(str)/2)
		for i := 0; i+1 < len(str); i += 2 {
			x, err := hex.DecodeString(str[i : i+2])
			if err != nil {
				break
			}
			out = append(out, x[0])
		}
		return out
	case "base64", "base64url":
		return decodeBase64Loose(s.String())
	case "latin1", "ascii":
		u := codeUnits(s)
		out := make([]byte, len(u))
		for i, c := range u {
			out[i] = byte(c)
		}
		return out
	case "utf16le":
		u := codeUnits(s)
		out := make([]byte, 2*len(u))
		for i, c := range u {
			out[2*i], out[2*i+1] = byte(c), byte(c>>8)
		}
		return out
	}
	return []byte(s.String())
}

// decodeBase64Loose decodes base64 or base64url as Node does: it skips
// characters outside both alphabets and stops at padding.
func decodeBase64Loose(s string) []byte {
	var clean strings.Builder
	for _, c := range s {
		switch {
		case c == '=':
			goto done
		case c == '-':
			clean.WriteByte('+')
		case c == '_':
			clean.WriteByte('/')
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
			clean.WriteRune(c)
		}
	}
done:
	str := clean.String()
	if len(str)%4 == 1 {
		str = str[:len(str)-1]
	}
	out, err := base64.RawStdEncoding.DecodeString(str)
	if err != nil {
		return nil
	}
	return out
}

// decodeBytes returns the string that data encodes in enc.
func decodeBytes(rt *goja.Runtime, data []byte, enc string) goja.Value {
	switch enc {
	case "hex":
		return rt.ToValue(hex.EncodeToString(data))
	case "base64":
		return rt.ToValue(base64.StdEncoding.EncodeToString(data))
	case "base64url":
		return rt.ToValue(base64.RawURLEncoding.EncodeToString(data))
	case "latin1", "ascii":
		u := make([]uint16, len(data))
		for i, c := range data {
			if enc == "ascii" {
				c &= 0x7f
			}
			u[i] = uint16(c)
		}
		return rt.ToValue(string(utf16.Decode(u)))
	case "utf16le":
		u := make([]uint16, len(data)/2)
		for i := range u {
			u[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
		}
		return rt.ToValue(string(utf16.Decode(u)))
	}
	s, _ := xunicode.UTF8.NewDecoder().Bytes(data)
	return rt.ToValue(string(s))
}

// wrap makes a Buffer over a copy-free view of data.
func (b *bufferKit) wrap(data []byte) *goja.Object {
	o := newUint8Array(b.v, data)
	_ = o.SetPrototype(b.proto)
	return o
}

func (b *bufferKit) isBuffer(val goja.Value) bool {
	o, ok := val.(*goja.Object)
	if !ok {
		return false
	}
	for p := o.Prototype(); p != nil; p = p.Prototype() {
		if p == b.proto {
			_, ok := bytesOf(b.v, o)
			return ok
		}
	}
	return false
}

// bytesArg returns the bytes of a Buffer or Uint8Array argument, or throws.
func (b *bufferKit) bytesArg(val goja.Value, name string) []byte {
	if data, ok := bytesOf(b.v, val); ok {
		if o := val.(*goja.Object); o.Export() != nil {
			if _, isAB := o.Export().(goja.ArrayBuffer); !isAB {
				return data
			}
		}
	}
	throwTypef(b.v, "ERR_INVALID_ARG_TYPE", "The \"%s\" argument must be an instance of Buffer or Uint8Array. Received %s", name, describeArg(val))
	return nil
}

func (b *bufferKit) thisBytes(c goja.FunctionCall) []byte {
	return b.bytesArg(c.This, "this")
}

// complete adds to goja_nodejs's Buffer what Node has and it lacks.
func (b *bufferKit) complete() {
	v, rt := b.v, b.v.Runtime()
	origFrom, _ := goja.AssertFunction(b.ctor.Get("from"))
	v.DefineFunction(b.ctor, "from", 3, func(c goja.FunctionCall) goja.Value {
		if _, ok := c.Argument(0).Export().(string); ok {
			return b.wrap(encodeString(c.Argument(0), b.encoding(c.Argument(1))))
		}
		res, err := origFrom(b.ctor, c.Arguments...)
		if err != nil {
			rethrow(v, err)
		}
		return res
	})
	origAlloc, _ := goja.AssertFunction(b.ctor.Get("alloc"))
	v.DefineFunction(b.ctor, "alloc", 3, func(c goja.FunctionCall) goja.Value {
		if _, isStr := c.Argument(1).Export().(string); isStr {
			res, err := origAlloc(b.ctor, c.Argument(0))
			if err != nil {
				rethrow(v, err)
			}
			buf := b.bytesArg(res, "buffer")
			fill := encodeString(c.Argument(1), b.encoding(c.Argument(2)))
			if len(fill) > 0 {
				for i := 0; i < len(buf); i += copy(buf[i:], fill) {
				}
			}
			return res
		}
		res, err := origAlloc(b.ctor, c.Arguments...)
		if err != nil {
			rethrow(v, err)
		}
		return res
	})
	allocUnsafe := func(c goja.FunctionCall) goja.Value {
		res, err := origAlloc(b.ctor, c.Argument(0))
		if err != nil {
			rethrow(v, err)
		}
		return res
	}
	v.DefineFunction(b.ctor, "allocUnsafe", 1, allocUnsafe)
	v.DefineFunction(b.ctor, "allocUnsafeSlow", 1, allocUnsafe)
	v.DefineFunction(b.ctor, "isBuffer", 1, func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(b.isBuffer(c.Argument(0)))
	})
	v.DefineFunction(b.ctor, "isEncoding", 1, func(c goja.FunctionCall) goja.Value {
		_, isStr := c.Argument(0).Export().(string)
		return rt.ToValue(isStr && encodingName(c.Argument(0)) != "")
	})
	v.DefineFunction(b.ctor, "byteLength", 2, func(c goja.FunctionCall) goja.Value {
		if data, ok := bytesOf(v, c.Argument(0)); ok {
			return rt.ToValue(len(data))
		}
		if _, isStr := c.Argument(0).Export().(string); !isStr {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"string\" argument must be of type string or an instance of Buffer or ArrayBuffer. Received %s", describeArg(c.Argument(0)))
		}
		return rt.ToValue(len(encodeString(c.Argument(0), b.encoding(c.Argument(1)))))
	})
	v.DefineFunction(b.ctor, "compare", 2, func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(bytes.Compare(b.bytesArg(c.Argument(0), "buf1"), b.bytesArg(c.Argument(1), "buf2")))
	})
	// Species: what map, filter and the like make from a Buffer.
	species := rt.ToValue(func(c goja.ConstructorCall) *goja.Object {
		if _, ok := c.Argument(0).Export().(goja.ArrayBuffer); ok {
			o, err := intrinsicsOf(v).uint8ArrayCtor(nil, c.Arguments...)
			if err != nil {
				rethrow(v, err)
			}
			_ = o.SetPrototype(b.proto)
			return o
		}
		return b.wrap(make([]byte, max(0, c.Argument(0).ToInteger())))
	}).(*goja.Object)
	_ = species.DefineDataProperty("name", rt.ToValue("Buffer"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = species.DefineDataProperty("prototype", b.proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	_ = b.ctor.DefineDataPropertySymbol(goja.SymSpecies, species, goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)

	v.DefineFunction(b.proto, "toString", 3, func(c goja.FunctionCall) goja.Value {
		data := b.thisBytes(c)
		enc := b.encoding(c.Argument(0))
		start, end := int64(0), int64(len(data))
		if a := c.Argument(1); !goja.IsUndefined(a) {
			start = min(max(a.ToInteger(), 0), end)
		}
		if a := c.Argument(2); !goja.IsUndefined(a) {
			end = min(max(a.ToInteger(), 0), end)
		}
		if start >= end {
			return rt.ToValue("")
		}
		return decodeBytes(rt, data[start:end], enc)
	})
	v.DefineFunction(b.proto, "toJSON", 0, func(c goja.FunctionCall) goja.Value {
		data := b.thisBytes(c)
		items := make([]any, len(data))
		for i, x := range data {
			items[i] = int64(x)
		}
		o := rt.NewObject()
		_ = o.Set("type", "Buffer")
		_ = o.Set("data", rt.NewArray(items...))
		return o
	})
	v.DefineFunction(b.proto, "compare", 1, func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(bytes.Compare(b.thisBytes(c), b.bytesArg(c.Argument(0), "target")))
	})
	// Node's slice is a view, as subarray is; a function of its own, so that
	// %TypedArray%.prototype.subarray keeps its name among the built-ins.
	subarray, _ := goja.AssertFunction(b.proto.Prototype().Get("subarray"))
	v.DefineFunction(b.proto, "slice", 2, func(c goja.FunctionCall) goja.Value {
		res, err := subarray(c.This, c.Arguments...)
		if err != nil {
			rethrow(v, err)
		}
		return res
	})
	v.DefineFunction(b.proto, "copy", 4, func(c goja.FunctionCall) goja.Value {
		src := b.thisBytes(c)
		dst := b.bytesArg(c.Argument(0), "target")
		arg := func(i int, def int64, limit int) int64 {
			if a := c.Argument(i); !goja.IsUndefined(a) {
				return min(max(a.ToInteger(), 0), int64(limit))
			}
			return min(def, int64(limit))
		}
		ts, ss, se := arg(1, 0, len(dst)), arg(2, 0, len(src)), arg(3, int64(len(src)), len(src))
		if ss >= se {
			return rt.ToValue(0)
		}
		return rt.ToValue(copy(dst[ts:], src[ss:se]))
	})
	v.DefineFunction(b.proto, "write", 4, func(c goja.FunctionCall) goja.Value {
		dst := b.thisBytes(c)
		offset, length, encArg := int64(0), int64(len(dst)), goja.Undefined()
		args := c.Arguments[1:]
		if len(args) > 0 {
			if _, isStr := args[0].Export().(string); isStr {
				encArg = args[0]
				args = nil
			}
		}
		if len(args) > 0 && !goja.IsUndefined(args[0]) {
			offset = args[0].ToInteger()
		}
		if offset < 0 || offset > int64(len(dst)) {
			e := newRangeError(v, fmt.Sprintf("The value of \"offset\" is out of range. It must be >= 0 && <= %d. Received %d", len(dst), offset))
			_ = e.Set("code", "ERR_OUT_OF_RANGE")
			panic(e)
		}
		length = int64(len(dst)) - offset
		if len(args) > 1 {
			if _, isStr := args[1].Export().(string); isStr {
				encArg = args[1]
			} else if !goja.IsUndefined(args[1]) {
				length = min(max(args[1].ToInteger(), 0), length)
			}
		}
		if len(args) > 2 {
			encArg = args[2]
		}
		enc := b.encoding(encArg)
		data := encodeString(c.Argument(0), enc)
		if int64(len(data)) > length {
			data = data[:length]
			if enc == "utf8" {
				for len(data) > 0 && !validUTF8Tail(data) {
					data = data[:len(data)-1]
				}
			}
		}
		return rt.ToValue(copy(dst[offset:], data))
	})
}

// validUTF8Tail reports whether data does not end inside a character.
func validUTF8Tail(data []byte) bool {
	i := len(data) - 1
	for i >= 0 && len(data)-i <= 4 && data[i]&0xC0 == 0x80 {
		i--
	}
	if i < 0 {
		return true
	}
	c, n := data[i], len(data)-i
	switch {
	case c < 0x80:
		return n == 1
	case c>>5 == 0x6:
		return n == 2
	case c>>4 == 0xE:
		return n == 3
	case c>>3 == 0x1E:
		return n == 4
	}
	return true
}

// atob and btoa, as in Node (and browsers): btoa takes a string of
// characters up to U+00FF; atob ignores ASCII white space.
func (b *bufferKit) btoa(c goja.FunctionCall) goja.Value {
	if len(c.Arguments) == 0 {
		throwTypef(b.v, "ERR_MISSING_ARGS", "The \"data\" argument must be specified")
	}
	u := codeUnits(c.Argument(0).ToString())
	data := make([]byte, len(u))
	for i, x := range u {
		if x > 0xFF {
			b.invalidCharacter("Invalid character")
		}
		data[i] = byte(x)
	}
	return b.v.Runtime().ToValue(base64.StdEncoding.EncodeToString(data))
}

func (b *bufferKit) atob(c goja.FunctionCall) goja.Value {
	if len(c.Arguments) == 0 {
		throwTypef(b.v, "ERR_MISSING_ARGS", "The \"data\" argument must be specified")
	}
	var clean strings.Builder
	for _, r := range c.Argument(0).ToString().String() {
		switch r {
		case ' ', '\t', '\n', '\f', '\r':
			continue
		}
		clean.WriteRune(r)
	}
	s := clean.String()
	if len(s)%4 == 0 && strings.HasSuffix(s, "==") {
		s = s[:len(s)-2]
	} else if len(s)%4 == 0 && strings.HasSuffix(s, "=") {
		s = s[:len(s)-1]
	}
	if len(s)%4 == 1 || strings.ContainsAny(s, "=-_") {
		b.invalidCharacter("The string to be decoded is not correctly encoded.")
	}
	data, err := base64.RawStdEncoding.Strict().DecodeString(s)
	if err != nil {
		// Node accepts non-zero padding bits.
		data, err = base64.RawStdEncoding.DecodeString(s)
		if err != nil {
			b.invalidCharacter("The string to be decoded is not correctly encoded.")
		}
	}
	return decodeBytes(b.v.Runtime(), data, "latin1")
}

// invalidCharacter throws what Node throws for bad atob/btoa input: a
// DOMException named InvalidCharacterError (here an Error with that name).
func (b *bufferKit) invalidCharacter(msg string) {
	e := newError(b.v, msg)
	_ = e.Set("name", "InvalidCharacterError")
	_ = e.Set("code", 5)
	panic(e)
}
