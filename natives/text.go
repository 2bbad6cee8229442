package natives

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// TextEncoder and TextDecoder (WHATWG Encoding), made by the Buffers
// plugin. A TextEncoder's state is an empty object under the registered
// symbol Symbol.for("stasis.state") (a mark of a real one), a TextDecoder's
// an ordinary object:
//
//	{encoding: "utf-8"|"utf-16le"|"latin1", fatal, ignoreBOM, bomSeen,
//	 pending: [bytes of an unfinished character]}
//
// so that a decoder in the middle of a stream is saved in an image as it is.

// stateSymbol returns Symbol.for("stasis.state").
func (b *bufferKit) stateSymbol() *goja.Symbol {
	rt := b.v.Runtime()
	symFor, _ := goja.AssertFunction(rt.Get("Symbol").ToObject(rt).Get("for"))
	s, err := symFor(goja.Undefined(), rt.ToValue("stasis.state"))
	if err != nil {
		panic(err)
	}
	return s.(*goja.Symbol)
}

func (b *bufferKit) textEncoder() *goja.Object {
	v, rt := b.v, b.v.Runtime()
	sym := b.stateSymbol()
	ctor := rt.ToValue(func(c goja.ConstructorCall) *goja.Object {
		// An encoder has no state but this mark, which tells it from an
		// object that only has its prototype (printing one throws, as in
		// Node).
		_ = c.This.DefineDataPropertySymbol(sym, rt.NewObject(), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
		return nil
	}).(*goja.Object)
	_ = ctor.DefineDataProperty("name", rt.ToValue("TextEncoder"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = ctor.DefineDataProperty("length", rt.ToValue(0), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	proto := ctor.Get("prototype").(*goja.Object)
	encGetter := v.NewFunction("get encoding", 0, func(goja.FunctionCall) goja.Value { return rt.ToValue("utf-8") })
	_ = proto.DefineAccessorProperty("encoding", encGetter, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
	v.DefineFunction(proto, "encode", 0, func(c goja.FunctionCall) goja.Value {
		s := c.Argument(0)
		if goja.IsUndefined(s) {
			return newUint8Array(v, []byte{})
		}
		return newUint8Array(v, []byte(s.String()))
	})
	v.DefineFunction(proto, "encodeInto", 2, func(c goja.FunctionCall) goja.Value {
		dst, ok := bytesOf(v, c.Argument(1))
		if !ok {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"dest\" argument must be an instance of Uint8Array. Received %s", describeArg(c.Argument(1)))
		}
		read, written := 0, 0
		for _, r := range c.Argument(0).String() {
			n := utf8.RuneLen(r)
			if n < 0 {
				r, n = utf8.RuneError, 3
			}
			if written+n > len(dst) {
				break
			}
			utf8.EncodeRune(dst[written:], r)
			written += n
			read += len(utf16.Encode([]rune{r}))
		}
		res := rt.NewObject()
		_ = res.Set("read", read)
		_ = res.Set("written", written)
		return res
	})
	_ = proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("TextEncoder"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	v.SetView(proto, encoderView(v))
	return ctor
}

// decoderEncodings maps the labels TextDecoder accepts to its encodings.
var decoderEncodings = map[string]string{
	"utf-8": "utf-8", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
	"utf-16le": "utf-16le", "utf-16": "utf-16le",
	"latin1": "windows-1252", "iso-8859-1": "windows-1252", "windows-1252": "windows-1252", "ascii": "windows-1252", "us-ascii": "windows-1252",
}

func (b *bufferKit) textDecoder() *goja.Object {
	v, rt := b.v, b.v.Runtime()
	sym := b.stateSymbol()
	ctor := rt.ToValue(func(c goja.ConstructorCall) *goja.Object {
		label := "utf-8"
		if a := c.Argument(0); !goja.IsUndefined(a) {
			label = a.String()
		}
		enc, ok := decoderEncodings[normalizeLabel(label)]
		if !ok {
			e := newRangeError(v, fmt.Sprintf("The \"%s\" encoding is not supported", label))
			_ = e.Set("code", "ERR_ENCODING_NOT_SUPPORTED")
			panic(e)
		}
		st := rt.NewObject()
		_ = st.Set("encoding", enc)
		fatal, ignoreBOM := false, false
		if o, ok := c.Argument(1).(*goja.Object); ok {
			fatal = o.Get("fatal") != nil && o.Get("fatal").ToBoolean()
			ignoreBOM = o.Get("ignoreBOM") != nil && o.Get("ignoreBOM").ToBoolean()
		}
		_ = st.Set("fatal", fatal)
		_ = st.Set("ignoreBOM", ignoreBOM)
		_ = st.Set("bomSeen", false)
		_ = st.Set("pending", rt.NewArray())
		_ = c.This.DefineDataPropertySymbol(sym, st, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
		return nil
	}).(*goja.Object)
	_ = ctor.DefineDataProperty("name", rt.ToValue("TextDecoder"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = ctor.DefineDataProperty("length", rt.ToValue(0), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	proto := ctor.Get("prototype").(*goja.Object)
	state := func(this goja.Value) *goja.Object {
		if o, ok := this.(*goja.Object); ok {
			if st, ok := o.GetSymbol(sym).(*goja.Object); ok {
				return st
			}
		}
		throwTypef(v, "ERR_INVALID_THIS", "Value of \"this\" must be of type TextDecoder")
		return nil
	}
	for _, name := range []string{"encoding", "fatal", "ignoreBOM"} {
		name := name
		getter := v.NewFunction("get "+name, 0, func(c goja.FunctionCall) goja.Value { return state(c.This).Get(name) })
		_ = proto.DefineAccessorProperty(name, getter, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	v.DefineFunction(proto, "decode", 0, func(c goja.FunctionCall) goja.Value {
		st := state(c.This)
		var input []byte
		if a := c.Argument(0); !goja.IsUndefined(a) {
			data, ok := bytesOf(v, a)
			if !ok {
				throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"input\" argument must be an instance of ArrayBuffer or ArrayBufferView. Received %s", describeArg(a))
			}
			input = data
		}
		stream := false
		if o, ok := c.Argument(1).(*goja.Object); ok {
			stream = o.Get("stream") != nil && o.Get("stream").ToBoolean()
		}
		pendingArr := st.Get("pending").ToObject(rt)
		var data []byte
		for i := int64(0); i < pendingArr.Get("length").ToInteger(); i++ {
			data = append(data, byte(pendingArr.Get(fmt.Sprint(i)).ToInteger()))
		}
		data = append(data, input...)
		enc := st.Get("encoding").String()
		fatal := st.Get("fatal").ToBoolean()
		var keep []byte
		if stream {
			keep = incompleteTail(data, enc)
			data = data[:len(data)-len(keep)]
		}
		out, bad := decodeText(data, enc)
		if bad && fatal {
			_ = st.Set("pending", rt.NewArray())
			_ = st.Set("bomSeen", false)
			throwTypef(v, "ERR_ENCODING_INVALID_ENCODED_DATA", "The encoded data was not valid for encoding %s", enc)
		}
		units := utf16.Encode([]rune(out))
		if !st.Get("ignoreBOM").ToBoolean() && !st.Get("bomSeen").ToBoolean() && len(units) > 0 && enc != "windows-1252" && units[0] == 0xFEFF {
			units = units[1:]
		}
		if len(data) > 0 {
			_ = st.Set("bomSeen", stream)
		}
		if !stream {
			_ = st.Set("bomSeen", false)
		}
		items := make([]any, len(keep))
		for i, x := range keep {
			items[i] = int64(x)
		}
		_ = st.Set("pending", rt.NewArray(items...))
		return rt.ToValue(string(utf16.Decode(units)))
	})
	_ = proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("TextDecoder"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	v.SetView(proto, decoderView(v))
	return ctor
}

func normalizeLabel(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != ' ' && c != '\t' && c != '\n' {
			out = append(out, c)
		}
	}
	return string(out)
}

// incompleteTail returns the bytes at the end of data that begin a
// character not yet complete.
func incompleteTail(data []byte, enc string) []byte {
	switch enc {
	case "utf-8":
		for n := 1; n <= 3 && n <= len(data); n++ {
			c := data[len(data)-n]
			if c&0xC0 == 0x80 {
				continue
			}
			need := 0
			switch {
			case c>>5 == 0x6:
				need = 2
			case c>>4 == 0xE:
				need = 3
			case c>>3 == 0x1E:
				need = 4
			}
			if need > n {
				return data[len(data)-n:]
			}
			return nil
		}
	case "utf-16le":
		if len(data)%2 == 1 {
			return data[len(data)-1:]
		}
		if len(data) >= 2 {
			u := uint16(data[len(data)-2]) | uint16(data[len(data)-1])<<8
			if u >= 0xD800 && u < 0xDC00 {
				return data[len(data)-2:]
			}
		}
	}
	return nil
}

// decodeText decodes data in enc, replacing what is malformed with U+FFFD
// (bad reports whether anything was).
func decodeText(data []byte, enc string) (out string, bad bool) {
	switch enc {
	case "utf-16le":
		u := make([]uint16, 0, len(data)/2)
		for i := 0; i+1 < len(data); i += 2 {
			u = append(u, uint16(data[i])|uint16(data[i+1])<<8)
		}
		if len(data)%2 == 1 {
			bad = true
		}
		runes := utf16.Decode(u)
		for _, r := range runes {
			if r == utf8.RuneError {
				bad = true
			}
		}
		s := string(runes)
		if len(data)%2 == 1 {
			s += "\uFFFD"
		}
		return s, bad
	case "windows-1252":
		runes := make([]rune, len(data))
		for i, c := range data {
			runes[i] = windows1252(c)
		}
		return string(runes), false
	}
	bad = !utf8.Valid(data)
	return string(decodeUTF8(data)), bad
}

// decodeUTF8 decodes as WHATWG does: each maximal ill-formed subsequence
// becomes one U+FFFD.
func decodeUTF8(data []byte) []rune {
	var out []rune
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r != utf8.RuneError || n > 1 {
			out = append(out, r)
			i += n
			continue
		}
		out = append(out, utf8.RuneError)
		i += maximalSubpart(data[i:])
	}
	return out
}

// maximalSubpart returns the length of the ill-formed sequence at the start
// of b that one U+FFFD replaces (Unicode's "maximal subpart"): the lead
// byte and the continuation bytes that could still have completed it.
func maximalSubpart(b []byte) int {
	lo, hi, need := byte(0x80), byte(0xBF), 0
	switch c := b[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		lo, need = 0xA0, 2
	case c == 0xED:
		hi, need = 0x9F, 2
	case c >= 0xE1 && c <= 0xEF:
		need = 2
	case c == 0xF0:
		lo, need = 0x90, 3
	case c == 0xF4:
		hi, need = 0x8F, 3
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	}
	n := 1
	for ; n <= need && n < len(b); n++ {
		if b[n] < lo || b[n] > hi {
			break
		}
		lo, hi = 0x80, 0xBF
	}
	return n
}

var cp1252 = [32]rune{0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
	0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178}

func windows1252(c byte) rune {
	if c >= 0x80 && c < 0xA0 {
		return cp1252[c-0x80]
	}
	return rune(c)
}
