package natives

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// Modules is the plugin of CommonJS modules: the global require(id), each
// module's own require, the module cache, and the built-in modules path,
// util and events (other plugins register more, such as fs).
//
// The global require resolves relative ids against the directory of the
// script that calls it (the current directory for the REPL and for code
// whose script name is not a path). Resolution follows Node: built-in
// names first (also as "node:name"), then for "./", "../" and "/" ids the
// file, the file with .js or .json, the directory's package.json "main" or
// its index.js; for bare ids the same in each node_modules directory from
// the requiring directory up to the root.
//
// A module's code is compiled through the VM's script registry, named by
// its absolute path, as the function
//
//	(function (exports, require, module, __filename, __dirname) {…})
//
// so that its functions and private state are saved in images like any
// other. The module objects live in require.cache, keyed by absolute path:
// after a load, require() of a cached path is served from the cache even
// if the file is gone. Each module's require is a native function marked
// by this plugin; its record is the module's file name and Rebuild makes
// it anew.
// The plugin's state is {cache, resolved}: the cache object and the
// resolutions made so far ({candidate path: module file}), which serve
// when a package.json is gone.
type Modules struct{}

// Name implements Plugin.
func (*Modules) Name() string { return "modules" }

// Version implements Plugin.
func (*Modules) Version() int { return 1 }

type modulesKey struct{}

type moduleState struct {
	p        *Modules
	global   *goja.Object // the global require
	cache    *goja.Object // require.cache
	resolve  *goja.Object // require.resolve, shared by every require
	requires map[*goja.Object]moduleDir
	resolved map[string]string
}

type moduleDir struct{ dir, filename string }

func modulesOf(v *vm.VM) *moduleState {
	st, _ := v.Attachment(modulesKey{}).(*moduleState)
	if st == nil {
		panic(fmt.Errorf("natives: the modules plugin is not installed"))
	}
	return st
}

// Install implements Plugin: it defines the global require and registers
// the built-in modules path, util and events.
func (p *Modules) Install(v *vm.VM) error {
	rt := v.Runtime()
	intrinsicsOf(v)
	st := &moduleState{p: p, requires: map[*goja.Object]moduleDir{}, resolved: map[string]string{}}
	v.SetAttachment(modulesKey{}, st)
	st.cache = rt.NewObject()
	_ = st.cache.SetPrototype(nil)
	st.resolve = v.NewFunction("resolve", 1, func(c goja.FunctionCall) goja.Value {
		dir := st.callerDir(v)
		if o, ok := c.This.(*goja.Object); ok {
			if d, ok := st.requires[o]; ok {
				dir = d.dir
			}
		}
		id := moduleID(v, c.Argument(0))
		if BuiltinModule(v, id) != nil && isBuiltinID(id) {
			return rt.ToValue(id)
		}
		return rt.ToValue(st.resolvePath(v, dir, id))
	})
	st.global = v.NewFunction("require", 1, func(c goja.FunctionCall) goja.Value {
		return st.require(v, st.callerDir(v), c.Argument(0))
	})
	st.decorate(st.global)
	defineHidden(st.global, "builtin", builtinTable(v))
	if err := rt.GlobalObject().DefineDataProperty("require", st.global, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
		return err
	}
	for _, m := range []struct {
		name string
		make func(*vm.VM) *goja.Object
	}{{"path", makePath}, {"util", makeUtil}, {"events", makeEvents}} {
		if err := RegisterModule(v, m.name, m.make(v)); err != nil {
			return err
		}
	}
	return nil
}

// decorate gives a require function its cache and resolve properties.
func (st *moduleState) decorate(req *goja.Object) {
	_ = req.DefineDataProperty("cache", st.cache, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	_ = req.DefineDataProperty("resolve", st.resolve, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// callerDir is the directory against which the global require resolves:
// that of the script whose code called it.
func (st *moduleState) callerDir(v *vm.VM) string {
	cwd, _ := os.Getwd()
	for _, f := range v.Runtime().CaptureCallStack(0, nil) {
		name := f.SrcName()
		if name == "<native>" {
			continue
		}
		if name == "" || strings.HasPrefix(name, "<") {
			return cwd
		}
		if abs, err := filepath.Abs(name); err == nil {
			return filepath.Dir(abs)
		}
		return cwd
	}
	return cwd
}

func moduleID(v *vm.VM, val goja.Value) string {
	id, ok := val.Export().(string)
	if !ok {
		throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"id\" argument must be of type string. Received %s", describeArg(val))
	}
	if id == "" {
		throwTypef(v, "ERR_INVALID_ARG_VALUE", "The argument 'id' must be a non-empty string. Received ''")
	}
	return id
}

func isRelativeID(id string) bool {
	return id == "." || id == ".." || strings.HasPrefix(id, "./") || strings.HasPrefix(id, "../") ||
		filepath.IsAbs(id) || strings.HasPrefix(id, "/")
}

func isBuiltinID(id string) bool { return !isRelativeID(id) }

// require returns the exports of module id, required from dir.
func (st *moduleState) require(v *vm.VM, dir string, idv goja.Value) goja.Value {
	id := moduleID(v, idv)
	if isBuiltinID(id) {
		if b := BuiltinModule(v, id); b != nil {
			return b
		}
		if strings.HasPrefix(id, "node:") {
			st.notFound(v, id, dir)
		}
	}
	path := st.resolvePath(v, dir, id)
	if m, ok := st.cache.Get(path).(*goja.Object); ok {
		return m.Get("exports")
	}
	return st.load(v, path)
}

func (st *moduleState) notFound(v *vm.VM, id, dir string) {
	e := newError(v, fmt.Sprintf("Cannot find module '%s' from '%s'", id, dir))
	_ = e.Set("code", "MODULE_NOT_FOUND")
	panic(e)
}

// resolvePath finds the absolute path of module id required from dir, or throws.
func (st *moduleState) resolvePath(v *vm.VM, dir, id string) string {
	var found string
	if isRelativeID(id) {
		base := id
		if !filepath.IsAbs(base) {
			base = filepath.Join(dir, filepath.FromSlash(id))
		}
		found = st.tryBase(base)
	} else {
		for d := dir; ; {
			if filepath.Base(d) != "node_modules" {
				if found = st.tryBase(filepath.Join(d, "node_modules", filepath.FromSlash(id))); found != "" {
					break
				}
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	if found == "" {
		st.notFound(v, id, dir)
	}
	return found
}

// tryBase resolves a candidate path (without extension) to a module file:
// as resolved before, if that module is still there or in the cache (its
// package.json may be gone), else as a file, else as a directory.
func (st *moduleState) tryBase(base string) string {
	if p, ok := st.resolved[base]; ok && st.isFile(p) {
		return p
	}
	found := st.loadAsFile(base)
	if found == "" {
		found = st.loadAsDirectory(base)
	}
	if found == "" {
		return ""
	}
	if real, err := filepath.EvalSymlinks(found); err == nil {
		found = real
	}
	st.resolved[base] = found
	return found
}

// isFile reports whether p is a module: in the cache, or a regular file.
func (st *moduleState) isFile(p string) bool {
	if m := st.cache.Get(p); m != nil && !goja.IsUndefined(m) {
		return true
	}
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func (st *moduleState) loadAsFile(x string) string {
	for _, p := range []string{x, x + ".js", x + ".json"} {
		if st.isFile(p) {
			return p
		}
	}
	return ""
}

func (st *moduleState) loadIndex(x string) string {
	for _, p := range []string{filepath.Join(x, "index.js"), filepath.Join(x, "index.json")} {
		if st.isFile(p) {
			return p
		}
	}
	return ""
}

func (st *moduleState) loadAsDirectory(x string) string {
	if data, err := os.ReadFile(filepath.Join(x, "package.json")); err == nil {
		var pkg struct {
			Main    string          `json:"main"`
			Exports json.RawMessage `json:"exports"`
		}
		if json.Unmarshal(data, &pkg) == nil {
			if pkg.Main != "" {
				m := filepath.Join(x, filepath.FromSlash(pkg.Main))
				if p := st.loadAsFile(m); p != "" {
					return p
				}
				if p := st.loadIndex(m); p != "" {
					return p
				}
			}
			if p := st.loadIndex(x); p != "" {
				return p
			}
			if e := mainExport(pkg.Exports); e != "" {
				if p := st.loadAsFile(filepath.Join(x, filepath.FromSlash(e))); p != "" {
					return p
				}
			}
			return ""
		}
	}
	return st.loadIndex(x)
}

// mainExport reads the main entry of a package.json "exports" field: a
// string, or the "require" or "default" condition of the "." entry.
func mainExport(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	if dot, ok := m["."]; ok {
		return mainExport(dot)
	}
	for _, cond := range []string{"require", "node", "default"} {
		if c, ok := m[cond]; ok {
			if s := mainExport(c); s != "" {
				return s
			}
		}
	}
	return ""
}

// moduleHeader opens the function around a module's code: the code keeps
// its line numbers.
const moduleHeader = "(function (exports, require, module, __filename, __dirname) {"

var firstLineColumn = regexp.MustCompile(`Line 1:[0-9]+`)

// load runs the module at path (a .json file is parsed) and returns its exports.
func (st *moduleState) load(v *vm.VM, path string) goja.Value {
	rt := v.Runtime()
	dir := filepath.Dir(path)
	module := rt.NewObject()
	exports := rt.NewObject()
	for _, kv := range []struct {
		k string
		v any
	}{{"id", path}, {"path", dir}, {"exports", exports}, {"filename", path}, {"loaded", false}, {"children", rt.NewArray()}} {
		_ = module.Set(kv.k, kv.v)
	}
	_ = st.cache.Set(path, module)
	ok := false
	defer func() {
		if !ok {
			_ = st.cache.Delete(path)
		}
	}()
	allow(v, vm.FSRead, path)
	src, err := os.ReadFile(path)
	if err != nil {
		throwf(v, "Cannot load module '%s': %v", path, errors.Unwrap(err))
	}
	text := strings.TrimPrefix(string(src), "\uFEFF")
	if strings.EqualFold(filepath.Ext(path), ".json") {
		parsed, err := intrinsicsOf(v).jsonParse(goja.Undefined(), rt.ToValue(text))
		if err != nil {
			if ex, isEx := err.(*goja.Exception); isEx {
				throwf(v, "%s: %s", path, ex.Value().String())
			}
			throwf(v, "%s: %v", path, err)
		}
		_ = module.Set("exports", parsed)
	} else {
		if strings.HasPrefix(text, "#!") {
			text = "//" + text
		}
		wrapper := moduleHeader + text + "\n})"
		script, err := v.Scripts().Add(path, wrapper)
		if err != nil {
			msg := strings.TrimPrefix(err.Error(), "SyntaxError: ")
			// Columns on the first line count the wrapper's header; take it off.
			msg = firstLineColumn.ReplaceAllStringFunc(msg, func(s string) string {
				col, _ := strconv.Atoi(s[len("Line 1:"):])
				return "Line 1:" + strconv.Itoa(max(col-len(moduleHeader), 1))
			})
			e, cerr := intrinsicsOf(v).syntaxErrCtor(nil, rt.ToValue(msg))
			if cerr != nil {
				panic(cerr)
			}
			panic(e)
		}
		fn, err := v.RunProgram(script.Program)
		if err != nil {
			rethrow(v, err)
		}
		req := st.moduleRequire(v, dir, path)
		if _, err := v.Call(fn, exports, exports, req, module, rt.ToValue(path), rt.ToValue(dir)); err != nil {
			rethrow(v, err)
		}
	}
	_ = module.Set("loaded", true)
	ok = true
	return module.Get("exports")
}

// rethrow throws err, an error from a call into JavaScript, again.
func rethrow(v *vm.VM, err error) {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		panic(ex)
	}
	var ie *goja.InterruptedError
	if errors.As(err, &ie) {
		panic(ie)
	}
	throwf(v, "%v", err)
}

// moduleRequire makes the require function of a module in dir.
func (st *moduleState) moduleRequire(v *vm.VM, dir, filename string) *goja.Object {
	req := v.NewFunction("require", 1, func(c goja.FunctionCall) goja.Value {
		return st.require(v, dir, c.Argument(0))
	})
	st.decorate(req)
	st.requires[req] = moduleDir{dir, filename}
	Mark(v, req, st.p)
	return req
}

// Record implements Plugin: the record of a module's require is the
// module's absolute file name, a string, since Rebuild runs before the
// image's objects have their properties.
func (p *Modules) Record(v *vm.VM, o *goja.Object) (goja.Value, error) {
	d, ok := modulesOf(v).requires[o]
	if !ok {
		return nil, fmt.Errorf("object is not a module's require function")
	}
	return v.Runtime().ToValue(d.filename), nil
}

// Rebuild implements Rebuilder: a module's require is made anew.
func (p *Modules) Rebuild(v *vm.VM, record goja.Value) (*goja.Object, error) {
	filename, ok := record.Export().(string)
	if !ok || !filepath.IsAbs(filename) {
		return nil, fmt.Errorf("require record is not an absolute file name: %v", record)
	}
	return modulesOf(v).moduleRequire(v, filepath.Dir(filename), filename), nil
}

// Rebind implements Plugin. The plugin marks only require functions, which
// are rebuilt (Rebuild), never rebound.
func (p *Modules) Rebind(v *vm.VM, o *goja.Object, record goja.Value) error {
	return fmt.Errorf("modules: an ordinary object cannot be rebound as a require function")
}

// SaveState implements Plugin.
func (p *Modules) SaveState(v *vm.VM) (goja.Value, error) {
	rt := v.Runtime()
	st := modulesOf(v)
	state := rt.NewObject()
	_ = state.Set("cache", st.cache)
	res := rt.NewObject()
	keys := make([]string, 0, len(st.resolved))
	for k := range st.resolved {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same world gives the same image
	for _, k := range keys {
		_ = res.Set(k, st.resolved[k])
	}
	_ = state.Set("resolved", res)
	return state, nil
}

// RestoreState implements Plugin.
func (p *Modules) RestoreState(v *vm.VM, state goja.Value) error {
	st := modulesOf(v)
	so, ok := state.(*goja.Object)
	if !ok {
		return nil
	}
	if c, ok := so.Get("cache").(*goja.Object); ok && c != st.cache {
		st.cache = c
		_ = st.global.Set("cache", c)
		for req := range st.requires {
			_ = req.Set("cache", c)
		}
	}
	if r, ok := so.Get("resolved").(*goja.Object); ok {
		for _, k := range r.Keys() {
			st.resolved[k] = r.Get(k).String()
		}
	}
	return nil
}
