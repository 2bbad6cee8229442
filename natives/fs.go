package natives

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// FS is the plugin of the built-in module "fs": a Node-compatible
// synchronous subset (readFileSync, writeFileSync, appendFileSync,
// existsSync, readdirSync, mkdirSync, statSync, lstatSync, unlinkSync,
// renameSync, openSync, readSync, writeSync, fstatSync, closeSync).
//
// Errors are Errors with Node's code, errno, syscall and path, and a message
// such as "ENOENT: no such file or directory, open 'a.txt'". A file
// descriptor is a number from 3 up, mapped to an open file with its path and
// flags. The plugin's state is [{fd, path, flags, position}] for the open
// descriptors: on load each file is opened again with the same flags but
// never created or truncated, at the same position, under the same number.
// A file that cannot be opened again does not fail the load: a warning goes
// to the VM's stderr and every use of the descriptor throws an error naming
// the path and the reason.
type FS struct{}

// Name implements Plugin.
func (*FS) Name() string { return "fs" }

// Version implements Plugin.
func (*FS) Version() int { return 1 }

type fsKey struct{}

type openFile struct {
	fd    int
	path  string // as given to openSync
	abs   string // absolute path, to open it again from any working directory
	flags string
	file  *os.File
	stale error // why the file could not be opened again on load
	// restored is set for a descriptor rebuilt from an image and not yet
	// opened again: Load touches no file; Resume (or its first use) opens
	// it at position, under the world's grants.
	restored bool
	position int64
}

type fsState struct {
	fds   map[int]*openFile
	stats *goja.Object // Stats.prototype
	ops   *asyncState  // readFile, writeFile and fs.promises in flight
}

func fsOf(v *vm.VM) *fsState {
	st, _ := v.Attachment(fsKey{}).(*fsState)
	if st == nil {
		panic(fmt.Errorf("natives: the fs plugin is not installed"))
	}
	return st
}

// Install implements Plugin: it registers the built-in module "fs".
func (p *FS) Install(v *vm.VM) error {
	st := &fsState{fds: map[int]*openFile{}}
	v.SetAttachment(fsKey{}, st)
	intrinsicsOf(v)
	m := v.Runtime().NewObject()
	st.stats = makeStatsClass(v, m)
	p.define(v, m)
	p.defineAsync(v, m)
	return RegisterModule(v, "fs", m)
}

// flagModes maps Node's open flags to os.OpenFile flags.
var flagModes = map[string]int{
	"r": os.O_RDONLY, "rs": os.O_RDONLY, "sr": os.O_RDONLY,
	"r+": os.O_RDWR, "rs+": os.O_RDWR, "sr+": os.O_RDWR,
	"w": os.O_WRONLY | os.O_CREATE | os.O_TRUNC, "wx": os.O_WRONLY | os.O_CREATE | os.O_TRUNC | os.O_EXCL,
	"xw": os.O_WRONLY | os.O_CREATE | os.O_TRUNC | os.O_EXCL,
	"w+": os.O_RDWR | os.O_CREATE | os.O_TRUNC, "wx+": os.O_RDWR | os.O_CREATE | os.O_TRUNC | os.O_EXCL,
	"xw+": os.O_RDWR | os.O_CREATE | os.O_TRUNC | os.O_EXCL,
	"a":   os.O_WRONLY | os.O_CREATE | os.O_APPEND, "ax": os.O_WRONLY | os.O_CREATE | os.O_APPEND | os.O_EXCL,
	"xa": os.O_WRONLY | os.O_CREATE | os.O_APPEND | os.O_EXCL,
	"a+": os.O_RDWR | os.O_CREATE | os.O_APPEND, "ax+": os.O_RDWR | os.O_CREATE | os.O_APPEND | os.O_EXCL,
	"xa+": os.O_RDWR | os.O_CREATE | os.O_APPEND | os.O_EXCL,
	"as":  os.O_WRONLY | os.O_CREATE | os.O_APPEND, "as+": os.O_RDWR | os.O_CREATE | os.O_APPEND,
}

// reopenMode is the mode of a descriptor opened again on load: the same
// access, never creating, truncating or requiring absence.
func reopenMode(flags string) int {
	return flagModes[flags] &^ (os.O_CREATE | os.O_TRUNC | os.O_EXCL)
}

// errnoNames gives Node's code for the errors a file operation may meet.
var errnoNames = map[syscall.Errno]string{
	syscall.ENOENT: "ENOENT", syscall.EEXIST: "EEXIST", syscall.EACCES: "EACCES", syscall.EPERM: "EPERM",
	syscall.EISDIR: "EISDIR", syscall.ENOTDIR: "ENOTDIR", syscall.ENOTEMPTY: "ENOTEMPTY",
	syscall.EBADF: "EBADF", syscall.EINVAL: "EINVAL", syscall.EMFILE: "EMFILE", syscall.EXDEV: "EXDEV",
	syscall.EBUSY: "EBUSY", syscall.ENOSPC: "ENOSPC", syscall.EROFS: "EROFS", syscall.ELOOP: "ELOOP",
	syscall.ENAMETOOLONG: "ENAMETOOLONG",
}

// fsError makes a Node-style error for a failed operation on path.
func fsError(v *vm.VM, syscallName, path string, err error) *goja.Object {
	code, errno, reason := "EIO", 0, err.Error()
	var en syscall.Errno
	switch {
	case errors.As(err, &en):
		if name, ok := errnoNames[en]; ok {
			code = name
		}
		errno, reason = -int(en), en.Error()
	case errors.Is(err, fs.ErrNotExist):
		code, errno, reason = "ENOENT", -2, "no such file or directory"
	case errors.Is(err, fs.ErrExist):
		code, errno, reason = "EEXIST", -17, "file already exists"
	case errors.Is(err, fs.ErrPermission):
		code, errno, reason = "EACCES", -13, "permission denied"
	}
	msg := fmt.Sprintf("%s: %s, %s", code, reason, syscallName)
	if path != "" {
		msg += " '" + path + "'"
	}
	e := newError(v, msg)
	_ = e.Set("errno", errno)
	_ = e.Set("code", code)
	_ = e.Set("syscall", syscallName)
	if path != "" {
		_ = e.Set("path", path)
	}
	return e
}

func badFD(v *vm.VM, syscallName string, fd int) *goja.Object {
	e := fsError(v, syscallName, "", syscall.EBADF)
	_ = e.Set("fd", fd)
	return e
}

func (p *FS) define(v *vm.VM, m *goja.Object) {
	rt := v.Runtime()
	st := fsOf(v)
	pathArg := func(c goja.FunctionCall, i int) string {
		a := c.Argument(i)
		if s, ok := a.Export().(string); ok {
			return s
		}
		if b, ok := bytesOf(v, a); ok {
			return string(b)
		}
		throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"path\" argument must be of type string or an instance of Uint8Array. Received %s", describeArg(a))
		return ""
	}
	fdArg := func(c goja.FunctionCall, syscallName string) *openFile {
		a := c.Argument(0)
		f := a.ToFloat()
		if _, isNum := a.Export().(int64); !isNum && (math.IsNaN(f) || f != math.Trunc(f) || isObjectOrString(a)) {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"fd\" argument must be of type number. Received %s", describeArg(a))
		}
		of := st.fds[int(f)]
		if of == nil {
			panic(badFD(v, syscallName, int(f)))
		}
		if of.restored {
			p.reopen(v, of)
		}
		var denied *vm.AccessDeniedError
		if errors.As(of.stale, &denied) {
			panic(accessError(v, of.stale))
		}
		if of.stale != nil {
			e := fsError(v, syscallName, of.path, of.stale)
			_ = e.Set("message", fmt.Sprintf("file descriptor %d (%s) was not restored: %s", of.fd, of.path, e.Get("message")))
			panic(e)
		}
		return of
	}
	throw := func(syscallName, path string, err error) {
		panic(fsError(v, syscallName, path, err))
	}

	v.DefineFunction(m, "existsSync", 1, func(c goja.FunctionCall) goja.Value {
		s, ok := c.Argument(0).Export().(string)
		if !ok {
			return rt.ToValue(false)
		}
		if v.CheckAccess(vm.FSRead, s) != nil {
			return rt.ToValue(false) // as Node: a denied path does not exist
		}
		_, err := os.Stat(s)
		return rt.ToValue(err == nil)
	})
	v.DefineFunction(m, "readFileSync", 2, func(c goja.FunctionCall) goja.Value {
		enc, flag := encodingOption(v, c.Argument(1), "r")
		var data []byte
		var err error
		if isNumber(c.Argument(0)) {
			of := fdArg(c, "read")
			data, err = io.ReadAll(of.file)
			if err != nil {
				throw("read", of.path, err)
			}
		} else {
			path := pathArg(c, 0)
			mode, ok := flagModes[flag]
			if !ok {
				throwTypef(v, "ERR_INVALID_ARG_VALUE", "The argument 'flags' is invalid. Received '%s'", flag)
			}
			allowOpen(v, path, mode)
			f, err := os.OpenFile(path, mode, 0o666)
			if err != nil {
				throw("open", path, err)
			}
			defer f.Close()
			if data, err = io.ReadAll(f); err != nil {
				throw("read", path, unwrapPathError(err))
			}
		}
		return decode(v, data, enc)
	})
	writeFile := func(name, defFlag string) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			enc, flag := encodingOption(v, c.Argument(2), defFlag)
			data := encode(v, c.Argument(1), enc)
			if isNumber(c.Argument(0)) {
				of := fdArg(c, "write")
				if _, err := of.file.Write(data); err != nil {
					throw("write", of.path, unwrapPathError(err))
				}
				return goja.Undefined()
			}
			path := pathArg(c, 0)
			mode, ok := flagModes[flag]
			if !ok {
				throwTypef(v, "ERR_INVALID_ARG_VALUE", "The argument 'flags' is invalid. Received '%s'", flag)
			}
			allowOpen(v, path, mode)
			f, err := os.OpenFile(path, mode, fileMode(c.Argument(2), 0o666))
			if err != nil {
				throw("open", path, err)
			}
			_, err = f.Write(data)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				throw("write", path, unwrapPathError(err))
			}
			return goja.Undefined()
		}
	}
	v.DefineFunction(m, "writeFileSync", 3, writeFile("writeFileSync", "w"))
	v.DefineFunction(m, "appendFileSync", 3, writeFile("appendFileSync", "a"))
	v.DefineFunction(m, "readdirSync", 2, func(c goja.FunctionCall) goja.Value {
		path := pathArg(c, 0)
		if o, ok := c.Argument(1).(*goja.Object); ok && o.Get("withFileTypes") != nil && o.Get("withFileTypes").ToBoolean() {
			throwTypef(v, "ERR_INVALID_ARG_VALUE", "fs.readdirSync: withFileTypes is not supported")
		}
		allow(v, vm.FSRead, path)
		ents, err := os.ReadDir(path)
		if err != nil {
			throw("scandir", path, unwrapPathError(err))
		}
		names := make([]string, len(ents))
		for i, e := range ents {
			names[i] = e.Name()
		}
		sort.Strings(names)
		out := make([]any, len(names))
		for i, n := range names {
			out[i] = n
		}
		return rt.NewArray(out...)
	})
	v.DefineFunction(m, "mkdirSync", 2, func(c goja.FunctionCall) goja.Value {
		path := pathArg(c, 0)
		recursive := false
		perm := fileMode(c.Argument(1), 0o777)
		if o, ok := c.Argument(1).(*goja.Object); ok {
			if r := o.Get("recursive"); r != nil {
				recursive = r.ToBoolean()
			}
		}
		allow(v, vm.FSWrite, path)
		if !recursive {
			if err := os.Mkdir(path, perm); err != nil {
				throw("mkdir", path, unwrapPathError(err))
			}
			return goja.Undefined()
		}
		first := ""
		abs, _ := filepath.Abs(path)
		for d := abs; ; d = filepath.Dir(d) {
			if _, err := os.Stat(d); err == nil {
				break
			}
			first = d
			if filepath.Dir(d) == d {
				break
			}
		}
		if err := os.MkdirAll(path, perm); err != nil {
			throw("mkdir", path, unwrapPathError(err))
		}
		if first == "" {
			return goja.Undefined()
		}
		return rt.ToValue(first)
	})
	stat := func(name string, statFn func(string) (os.FileInfo, error)) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			path := pathArg(c, 0)
			allow(v, vm.FSRead, path)
			fi, err := statFn(path)
			if err != nil {
				if o, ok := c.Argument(1).(*goja.Object); ok && errors.Is(err, fs.ErrNotExist) {
					if t := o.Get("throwIfNoEntry"); t != nil && !t.ToBoolean() {
						return goja.Undefined()
					}
				}
				throw(name, path, unwrapPathError(err))
			}
			return newStats(v, st.stats, fi)
		}
	}
	v.DefineFunction(m, "statSync", 2, stat("stat", os.Stat))
	v.DefineFunction(m, "lstatSync", 2, stat("lstat", os.Lstat))
	v.DefineFunction(m, "unlinkSync", 1, func(c goja.FunctionCall) goja.Value {
		path := pathArg(c, 0)
		allow(v, vm.FSWrite, path)
		if fi, err := os.Lstat(path); err == nil && fi.IsDir() {
			throw("unlink", path, syscall.EISDIR)
		}
		if err := os.Remove(path); err != nil {
			throw("unlink", path, unwrapPathError(err))
		}
		return goja.Undefined()
	})
	v.DefineFunction(m, "renameSync", 2, func(c goja.FunctionCall) goja.Value {
		from, to := pathArg(c, 0), pathArg(c, 1)
		allow(v, vm.FSWrite, from)
		allow(v, vm.FSWrite, to)
		if err := os.Rename(from, to); err != nil {
			var le *os.LinkError
			if errors.As(err, &le) {
				err = le.Err
			}
			e := fsError(v, "rename", from, err)
			_ = e.Set("dest", to)
			_ = e.Set("message", fmt.Sprintf("%s -> '%s'", e.Get("message").String(), to))
			panic(e)
		}
		return goja.Undefined()
	})
	v.DefineFunction(m, "openSync", 3, func(c goja.FunctionCall) goja.Value {
		path := pathArg(c, 0)
		flags := "r"
		if f := c.Argument(1); !goja.IsUndefined(f) && !goja.IsNull(f) {
			s, ok := f.Export().(string)
			if !ok {
				throwTypef(v, "ERR_INVALID_ARG_VALUE", "fs.openSync: flags must be a string such as 'r', 'w+' or 'a'")
			}
			flags = s
		}
		mode, ok := flagModes[flags]
		if !ok {
			throwTypef(v, "ERR_INVALID_ARG_VALUE", "The argument 'flags' is invalid. Received '%s'", flags)
		}
		allowOpen(v, path, mode)
		f, err := os.OpenFile(path, mode, fileMode(c.Argument(2), 0o666))
		if err != nil {
			throw("open", path, unwrapPathError(err))
		}
		fd := st.freeFD()
		abs, err := filepath.Abs(path)
		if err != nil {
			abs = path
		}
		st.fds[fd] = &openFile{fd: fd, path: path, abs: abs, flags: flags, file: f}
		return rt.ToValue(fd)
	})
	v.DefineFunction(m, "closeSync", 1, func(c goja.FunctionCall) goja.Value {
		a := c.Argument(0)
		fd := int(a.ToInteger())
		of := st.fds[fd]
		if of == nil || !isNumber(a) {
			panic(badFD(v, "close", fd))
		}
		delete(st.fds, fd)
		if of.file != nil {
			if err := of.file.Close(); err != nil {
				throw("close", of.path, unwrapPathError(err))
			}
		}
		return goja.Undefined()
	})
	v.DefineFunction(m, "fstatSync", 1, func(c goja.FunctionCall) goja.Value {
		of := fdArg(c, "fstat")
		fi, err := of.file.Stat()
		if err != nil {
			throw("fstat", of.path, unwrapPathError(err))
		}
		return newStats(v, st.stats, fi)
	})
	v.DefineFunction(m, "readSync", 5, func(c goja.FunctionCall) goja.Value {
		of := fdArg(c, "read")
		buf, ok := bytesOf(v, c.Argument(1))
		if !ok {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"buffer\" argument must be an instance of Buffer, TypedArray, or DataView. Received %s", describeArg(c.Argument(1)))
		}
		offset, length, position := 0, len(buf), goja.Undefined()
		if o, isObj := c.Argument(2).(*goja.Object); isObj && !isView(v, o) {
			// readSync(fd, buffer, {offset, length, position})
			if x := o.Get("offset"); x != nil && !goja.IsUndefined(x) {
				offset = int(x.ToInteger())
			}
			length = len(buf) - offset
			if x := o.Get("length"); x != nil && !goja.IsUndefined(x) {
				length = int(x.ToInteger())
			}
			if x := o.Get("position"); x != nil {
				position = x
			}
		} else {
			if a := c.Argument(2); !goja.IsUndefined(a) {
				offset = int(a.ToInteger())
			}
			length = len(buf) - offset
			if a := c.Argument(3); !goja.IsUndefined(a) {
				length = int(a.ToInteger())
			}
			position = c.Argument(4)
		}
		if offset < 0 || offset > len(buf) {
			throwRange(v, "offset", offset, len(buf))
		}
		if length < 0 || offset+length > len(buf) {
			throwRange(v, "length", length, len(buf)-offset)
		}
		dst := buf[offset : offset+length]
		var n int
		var err error
		if pos, ok := positionOf(position); ok {
			n, err = of.file.ReadAt(dst, pos)
		} else {
			n, err = io.ReadFull(of.file, dst)
		}
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			throw("read", of.path, unwrapPathError(err))
		}
		return rt.ToValue(n)
	})
	v.DefineFunction(m, "writeSync", 5, func(c goja.FunctionCall) goja.Value {
		of := fdArg(c, "write")
		var data []byte
		var position goja.Value = goja.Undefined()
		if buf, ok := bytesOf(v, c.Argument(1)); ok {
			// writeSync(fd, buffer, offset?, length?, position?)
			offset, length := 0, len(buf)
			if a := c.Argument(2); !goja.IsUndefined(a) && !goja.IsNull(a) {
				offset = int(a.ToInteger())
			}
			length = len(buf) - offset
			if a := c.Argument(3); !goja.IsUndefined(a) && !goja.IsNull(a) {
				length = int(a.ToInteger())
			}
			if offset < 0 || offset > len(buf) {
				throwRange(v, "offset", offset, len(buf))
			}
			if length < 0 || offset+length > len(buf) {
				throwRange(v, "length", length, len(buf)-offset)
			}
			data, position = buf[offset:offset+length], c.Argument(4)
		} else {
			// writeSync(fd, string, position?, encoding?)
			enc := "utf8"
			if e, ok := c.Argument(3).Export().(string); ok {
				enc = e
			}
			data, position = encode(v, c.Argument(1), enc), c.Argument(2)
		}
		var n int
		var err error
		if pos, ok := positionOf(position); ok && of.file != nil && reopenMode(of.flags)&os.O_APPEND == 0 {
			n, err = of.file.WriteAt(data, pos)
		} else {
			n, err = of.file.Write(data)
		}
		if err != nil {
			throw("write", of.path, unwrapPathError(err))
		}
		return rt.ToValue(n)
	})
}

func isNumber(v goja.Value) bool {
	switch v.Export().(type) {
	case int64, float64:
		return true
	}
	return false
}

func isObjectOrString(v goja.Value) bool {
	switch v.(type) {
	case *goja.Object, goja.String:
		return true
	}
	return false
}

func isView(v *vm.VM, o *goja.Object) bool {
	r, err := intrinsicsOf(v).isView(goja.Undefined(), o)
	return err == nil && r.ToBoolean()
}

func throwRange(v *vm.VM, name string, got, max int) {
	msg := fmt.Sprintf("The value of \"%s\" is out of range. It must be >= 0 && <= %d. Received %d", name, max, got)
	e, err := intrinsicsOf(v).rangeErrCtor(nil, v.Runtime().ToValue(msg))
	if err != nil {
		panic(err)
	}
	_ = e.Set("code", "ERR_OUT_OF_RANGE")
	panic(e)
}

// positionOf reads a read or write position: a number >= 0, or none
// (undefined, null, -1) for the descriptor's current position.
func positionOf(p goja.Value) (int64, bool) {
	if p == nil || goja.IsUndefined(p) || goja.IsNull(p) {
		return 0, false
	}
	f := p.ToFloat()
	if math.IsNaN(f) || f < 0 {
		return 0, false
	}
	return int64(f), true
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// encodingOption reads the encoding and flag of an options argument (a
// string is the encoding).
func encodingOption(v *vm.VM, opt goja.Value, defFlag string) (enc, flag string) {
	flag = defFlag
	if s, ok := opt.Export().(string); ok {
		return s, flag
	}
	if o, ok := opt.(*goja.Object); ok {
		if e := o.Get("encoding"); e != nil && !goja.IsUndefined(e) && !goja.IsNull(e) {
			enc = e.String()
		}
		if f := o.Get("flag"); f != nil && !goja.IsUndefined(f) {
			flag = f.String()
		}
	}
	return enc, flag
}

// fileMode reads the mode of an options argument (a number, or {mode}).
func fileMode(opt goja.Value, def os.FileMode) os.FileMode {
	if isNumber(opt) {
		return os.FileMode(opt.ToInteger()) & os.ModePerm
	}
	if o, ok := opt.(*goja.Object); ok {
		if m := o.Get("mode"); m != nil && isNumber(m) {
			return os.FileMode(m.ToInteger()) & os.ModePerm
		}
	}
	return def
}

// decode turns file contents into a string in enc, or a Uint8Array when enc is empty.
func decode(v *vm.VM, data []byte, enc string) goja.Value {
	rt := v.Runtime()
	switch strings.ToLower(enc) {
	case "":
		return newUint8Array(v, data)
	case "utf8", "utf-8":
		return rt.ToValue(string(data))
	case "latin1", "binary":
		r := make([]rune, len(data))
		for i, b := range data {
			r[i] = rune(b)
		}
		return rt.ToValue(string(r))
	case "ascii":
		r := make([]byte, len(data))
		for i, b := range data {
			r[i] = b & 0x7f
		}
		return rt.ToValue(string(r))
	case "base64":
		return rt.ToValue(base64.StdEncoding.EncodeToString(data))
	case "hex":
		return rt.ToValue(hex.EncodeToString(data))
	}
	throwTypef(v, "ERR_UNKNOWN_ENCODING", "Unknown encoding: %s", enc)
	return nil
}

// encode turns data to write (a string in enc, or bytes) into bytes.
func encode(v *vm.VM, data goja.Value, enc string) []byte {
	if b, ok := bytesOf(v, data); ok {
		return b
	}
	if _, ok := data.(*goja.Object); ok || goja.IsUndefined(data) || goja.IsNull(data) {
		throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"data\" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received %s", describeArg(data))
	}
	s := data.String()
	switch strings.ToLower(enc) {
	case "", "utf8", "utf-8":
		return []byte(s)
	case "latin1", "binary", "ascii":
		out := make([]byte, 0, len(s))
		for _, r := range s {
			out = append(out, byte(r))
		}
		return out
	case "base64":
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			b, _ = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
		}
		return b
	case "hex":
		b, _ := hex.DecodeString(s)
		return b
	}
	throwTypef(v, "ERR_UNKNOWN_ENCODING", "Unknown encoding: %s", enc)
	return nil
}

func (st *fsState) freeFD() int {
	fd := 3
	for st.fds[fd] != nil {
		fd++
	}
	return fd
}

// makeStatsClass makes fs.Stats (not constructible from JavaScript) and
// returns its prototype, whose methods read the mode of a stats object.
func makeStatsClass(v *vm.VM, m *goja.Object) *goja.Object {
	rt := v.Runtime()
	ctor := v.NewFunction("Stats", 0, func(goja.FunctionCall) goja.Value {
		panic(rt.NewTypeError("Illegal constructor"))
	})
	proto := rt.NewObject()
	defineHidden(proto, "constructor", ctor)
	_ = ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	defineHidden(m, "Stats", ctor)
	is := func(name string, want uint32) {
		v.DefineFunction(proto, name, 0, func(c goja.FunctionCall) goja.Value {
			o, ok := c.This.(*goja.Object)
			if !ok {
				return rt.ToValue(false)
			}
			return rt.ToValue(uint32(o.Get("mode").ToInteger())&sIFMT == want)
		})
	}
	is("isFile", sIFREG)
	is("isDirectory", sIFDIR)
	is("isSymbolicLink", sIFLNK)
	is("isFIFO", sIFIFO)
	is("isSocket", sIFSOCK)
	is("isCharacterDevice", sIFCHR)
	is("isBlockDevice", sIFBLK)
	return proto
}

// POSIX file type bits, as Node reports them in Stats.mode on every system.
const (
	sIFMT   = 0o170000
	sIFSOCK = 0o140000
	sIFLNK  = 0o120000
	sIFREG  = 0o100000
	sIFBLK  = 0o060000
	sIFDIR  = 0o040000
	sIFCHR  = 0o020000
	sIFIFO  = 0o010000
)

func newStats(v *vm.VM, proto *goja.Object, fi os.FileInfo) goja.Value {
	rt := v.Runtime()
	o := rt.NewObject()
	_ = o.SetPrototype(proto)
	mode := uint32(fi.Mode().Perm())
	switch t := fi.Mode().Type(); {
	case t&fs.ModeDir != 0:
		mode |= sIFDIR
	case t&fs.ModeSymlink != 0:
		mode |= sIFLNK
	case t&fs.ModeNamedPipe != 0:
		mode |= sIFIFO
	case t&fs.ModeSocket != 0:
		mode |= sIFSOCK
	case t&fs.ModeCharDevice != 0:
		mode |= sIFCHR
	case t&fs.ModeDevice != 0:
		mode |= sIFBLK
	default:
		mode |= sIFREG
	}
	if fi.Mode()&fs.ModeSetuid != 0 {
		mode |= 0o4000
	}
	if fi.Mode()&fs.ModeSetgid != 0 {
		mode |= 0o2000
	}
	if fi.Mode()&fs.ModeSticky != 0 {
		mode |= 0o1000
	}
	mtime := fi.ModTime()
	sys := statSys(fi)
	atime, ctime, birth := mtime, mtime, mtime
	if !sys.atime.IsZero() {
		atime = sys.atime
	}
	if !sys.ctime.IsZero() {
		ctime, birth = sys.ctime, sys.ctime
	}
	msOf := func(t time.Time) float64 { return float64(t.UnixNano()) / 1e6 }
	date := func(t time.Time) goja.Value {
		d, err := rt.New(rt.Get("Date"), rt.ToValue(math.Floor(msOf(t))))
		if err != nil {
			return goja.Undefined()
		}
		return d
	}
	for _, kv := range []struct {
		k string
		v any
	}{
		{"dev", sys.dev}, {"mode", mode}, {"nlink", sys.nlink}, {"uid", sys.uid}, {"gid", sys.gid},
		{"rdev", 0}, {"blksize", sys.blksize}, {"ino", sys.ino}, {"size", fi.Size()}, {"blocks", sys.blocks},
		{"atimeMs", msOf(atime)}, {"mtimeMs", msOf(mtime)}, {"ctimeMs", msOf(ctime)}, {"birthtimeMs", msOf(birth)},
		{"atime", date(atime)}, {"mtime", date(mtime)}, {"ctime", date(ctime)}, {"birthtime", date(birth)},
	} {
		_ = o.Set(kv.k, kv.v)
	}
	return o
}

// Record implements Plugin. FS marks no objects: descriptors are numbers.
func (p *FS) Record(v *vm.VM, o *goja.Object) (goja.Value, error) {
	return nil, fmt.Errorf("fs marks no objects")
}

// Rebind implements Plugin. FS marks no objects.
func (p *FS) Rebind(v *vm.VM, o *goja.Object, record goja.Value) error {
	return fmt.Errorf("fs marks no objects")
}

// SaveState implements Plugin: [{fd, path, flags, position}] for each open
// descriptor, in order of number.
func (p *FS) SaveState(v *vm.VM) (goja.Value, error) {
	rt := v.Runtime()
	st := fsOf(v)
	fds, err := p.saveFDs(v)
	if err != nil {
		return nil, err
	}
	pending := st.savePending(rt)
	if pending == nil {
		return fds, nil
	}
	state := rt.NewObject()
	if fds != nil {
		_ = state.Set("fds", fds)
	}
	_ = state.Set("pending", pending)
	return state, nil
}

// saveFDs returns [{fd, path, abs, flags, position}] for each open
// descriptor, in order of number, or nil for none.
func (p *FS) saveFDs(v *vm.VM) (goja.Value, error) {
	rt := v.Runtime()
	st := fsOf(v)
	if len(st.fds) == 0 {
		return nil, nil
	}
	fds := make([]int, 0, len(st.fds))
	for fd := range st.fds {
		fds = append(fds, fd)
	}
	sort.Ints(fds)
	var list []any
	for _, fd := range fds {
		of := st.fds[fd]
		pos := of.position
		if of.file != nil {
			var err error
			if pos, err = of.file.Seek(0, io.SeekCurrent); err != nil {
				return nil, fmt.Errorf("file descriptor %d (%s): %w", fd, of.path, err)
			}
		}
		rec := rt.NewObject()
		_ = rec.Set("fd", fd)
		_ = rec.Set("path", of.path)
		_ = rec.Set("abs", of.abs)
		_ = rec.Set("flags", of.flags)
		_ = rec.Set("position", pos)
		var denied *vm.AccessDeniedError
		if of.stale != nil && !errors.As(of.stale, &denied) {
			// A descriptor denied by this run's grants is not stale for good:
			// a run with the grant opens it again.
			_ = rec.Set("stale", of.stale.Error())
		}
		list = append(list, rec)
	}
	return rt.NewArray(list...), nil
}

// RestoreState implements Plugin. It touches no file: the descriptors and
// the operations in flight are recorded, and Resume opens and starts them.
func (p *FS) RestoreState(v *vm.VM, state goja.Value) error {
	o, ok := state.(*goja.Object)
	if !ok {
		return nil
	}
	if pending := o.Get("pending"); pending != nil {
		if err := p.restoreFDs(v, o.Get("fds")); err != nil {
			return err
		}
		return p.restorePending(v, pending)
	}
	return p.restoreFDs(v, o)
}

// restoreFDs records the saved descriptors, to be opened again by Resume.
func (p *FS) restoreFDs(v *vm.VM, state goja.Value) error {
	st := fsOf(v)
	list, ok := state.(*goja.Object)
	if !ok {
		return nil
	}
	n := list.Get("length").ToInteger()
	for i := int64(0); i < n; i++ {
		rec, ok := list.Get(fmt.Sprint(i)).(*goja.Object)
		if !ok {
			return fmt.Errorf("file descriptor record %d is not an object", i)
		}
		of := &openFile{fd: int(rec.Get("fd").ToInteger()), path: rec.Get("path").String(), flags: rec.Get("flags").String()}
		of.abs = of.path
		if a := rec.Get("abs"); a != nil && !goja.IsUndefined(a) {
			of.abs = a.String()
		}
		if _, ok := flagModes[of.flags]; !ok {
			return fmt.Errorf("file descriptor %d: unknown flags %q", of.fd, of.flags)
		}
		if old := st.fds[of.fd]; old != nil && old.file != nil {
			_ = old.file.Close()
		}
		st.fds[of.fd] = of
		of.position = rec.Get("position").ToInteger()
		if of.position < 0 {
			return fmt.Errorf("file descriptor %d: negative position %d", of.fd, of.position)
		}
		if s := rec.Get("stale"); s != nil && !goja.IsUndefined(s) {
			of.stale = errors.New(s.String())
		} else {
			of.restored = true
		}
	}
	return nil
}

// Resume implements Resumer: the descriptors restored from an image are
// opened again, never created or truncated, at their position (one that
// cannot be is kept as a stale descriptor, with a warning), and the
// operations that were in flight are started again, all under the
// world's grants.
func (p *FS) Resume(v *vm.VM) error {
	st := fsOf(v)
	fds := make([]int, 0, len(st.fds))
	for fd, of := range st.fds {
		if of.restored {
			fds = append(fds, fd)
		}
	}
	sort.Ints(fds)
	for _, fd := range fds {
		p.reopen(v, st.fds[fd])
	}
	if st.ops != nil {
		restarts := st.ops.restarts
		st.ops.restarts = nil
		for _, op := range restarts {
			if err := v.Try("restart fs operation", func() error { p.launch(v, op); return nil }); err != nil {
				return err
			}
		}
	}
	return nil
}

// reopen opens a descriptor restored from an image again.
func (p *FS) reopen(v *vm.VM, of *openFile) {
	of.restored = false
	mode := reopenMode(of.flags)
	if err := checkOpen(v, of.abs, mode); err != nil {
		of.stale = err
	} else if f, err := os.OpenFile(of.abs, mode, 0); err != nil {
		of.stale = unwrapPathError(err)
	} else if _, err := f.Seek(of.position, io.SeekStart); err != nil {
		_ = f.Close()
		of.stale = err
	} else {
		of.file = f
	}
	if of.stale != nil {
		fmt.Fprintf(v.Stderr(), "stasis: warning: file descriptor %d (%s) cannot be opened again: %v\n", of.fd, of.path, of.stale)
	}
}
