package natives_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

type world struct {
	*vm.VM
	t        *testing.T
	out, err *bytes.Buffer
	clock    *vm.ManualClock
}

// newWorld makes a VM with the default plugins and an auto-advancing clock.
func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, out: &bytes.Buffer{}, err: &bytes.Buffer{}}
	v, err := vm.New(vm.Options{Stdout: w.out, Stderr: w.err, Setup: []func(*vm.VM) error{natives.Setup(natives.Default()...)}})
	if err != nil {
		t.Fatal(err)
	}
	w.VM = v
	w.clock = vm.NewManualClock(epoch, true)
	v.Loop().SetClock(w.clock)
	return w
}

// run runs src as the script name, then the loop until idle.
func (w *world) run(name, src string) {
	w.t.Helper()
	if _, err := w.RunScript(name, src); err != nil {
		w.t.Fatalf("%s: %v", name, err)
	}
	if err := w.Loop().Run(context.Background()); err != nil {
		w.t.Fatalf("loop: %v", err)
	}
}

func (w *world) eval(src string) goja.Value {
	w.t.Helper()
	r, err := w.RunScript("<eval>", src)
	if err != nil {
		w.t.Fatalf("%s: %v", src, err)
	}
	return r
}

func (w *world) expectOut(want string) {
	w.t.Helper()
	if got := w.out.String(); got != want {
		w.t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
	}
	w.out.Reset()
}

func TestTimers(t *testing.T) {
	w := newWorld(t)
	w.run("timers.js", `
		const log = (...a) => console.log(...a);
		setTimeout((a, b) => log("t20", a, b), 20, "x", 2);
		setTimeout(() => log("t10a"), 10);
		setTimeout(() => log("t10b"), 10);
		const c = setTimeout(() => log("cleared"), 5);
		clearTimeout(c);
		const byId = setTimeout(() => log("cleared by id"), 5);
		clearTimeout(+byId);
		let n = 0;
		const iv = setInterval(function (tag) { log("iv", tag, ++n, this === iv); if (n === 3) clearInterval(iv) }, 7, "I");
		setImmediate((a) => log("imm", a), "A");
		const im = setImmediate(() => log("imm cleared"));
		clearImmediate(im);
		queueMicrotask(() => log("micro"));
		Promise.resolve().then(() => log("promise"));
		const u = setTimeout(() => log("unref'd never fires"), 1000);
		log("sync", typeof u, typeof +u, u instanceof stasis.Timeout, u.hasRef(), u.unref() === u, u.hasRef());
	`)
	w.expectOut("sync object number true true true false\nmicro\npromise\nimm A\niv I 1 true\nt10a\nt10b\niv I 2 true\nt20 x 2\niv I 3 true\n")
	if p := w.Loop().Pending(); len(p) != 1 || p[0].Ref {
		t.Errorf("pending after run: %+v", p)
	}
	w.eval(`clearTimeout(u)`)
	if natives.HasMarks(w.VM) {
		t.Errorf("fired and cleared timers are still marked")
	}
}

func TestTimerErrors(t *testing.T) {
	w := newWorld(t)
	if _, err := w.RunScript("bad.js", `setTimeout("code", 1)`); err == nil || !strings.Contains(err.Error(), "callback") {
		t.Errorf("string callback: %v", err)
	}
	if _, err := w.RunScript("boom.js", `setTimeout(function boom() { throw new Error("bang") }, 1)`); err != nil {
		t.Fatal(err)
	}
	err := w.Loop().Run(context.Background())
	var ex *goja.Exception
	if err == nil || !strings.Contains(err.Error(), "bang") || !asException(err, &ex) || !strings.Contains(ex.String(), "boom") {
		t.Errorf("uncaught in timer: %v", err)
	}
	if _, err := w.RunScript("qm.js", `queueMicrotask(() => { throw new Error("in microtask") }); setTimeout(() => console.log("later"), 5)`); err != nil {
		t.Fatal(err)
	}
	if err := w.Loop().Run(context.Background()); err == nil || !strings.Contains(err.Error(), "in microtask") {
		t.Errorf("uncaught in microtask: %v", err)
	}
}

func asException(err error, ex **goja.Exception) bool {
	e, ok := err.(*goja.Exception)
	*ex = e
	return ok
}

func TestTimerRefresh(t *testing.T) {
	w := newWorld(t)
	w.run("refresh.js", `
		const a = setTimeout(() => console.log("a"), 10);
		setTimeout(() => console.log("b"), 10);
		setTimeout(() => a.refresh(), 5);
	`)
	w.expectOut("b\na\n")
	if got := w.clock.Now().Sub(epoch); got != 15*time.Millisecond {
		t.Errorf("clock at %v, want 15ms", got)
	}
}

func plugin(v *vm.VM, name string) natives.Plugin {
	for _, p := range natives.Plugins(v) {
		if p.Name() == name {
			return p
		}
	}
	return nil
}

// A timer recorded in one world and rebound on an equal object in a fresh
// world fires there with its args after its remaining time, in order.
func TestTimerRecordRebind(t *testing.T) {
	a := newWorld(t)
	a.eval(`
		var cb = (x, y) => console.log("fired", x, y);
		var t1 = setTimeout(cb, 100, "x", 1);
		var t2 = setTimeout(cb, 100, "y", 2);
		var t3 = setInterval(cb, 30, "iv", 3);
		var t4 = setImmediate(cb, "imm", 4);
		t2.unref();
	`)
	a.clock.Advance(40 * time.Millisecond)
	tp := plugin(a.VM, "timers")
	rt := a.Runtime()
	names := []string{"t1", "t2", "t3", "t4"}
	var recs []string
	for _, n := range names {
		o := rt.Get(n).ToObject(rt)
		if natives.Owner(a.VM, o) != tp {
			t.Fatalf("%s is not marked by timers", n)
		}
		rec, err := tp.Record(a.VM, o)
		if err != nil {
			t.Fatal(err)
		}
		_ = rt.Set("rec", rec)
		recs = append(recs, a.eval(`JSON.stringify({...rec, callback: undefined})`).String())
	}
	if !strings.Contains(recs[0], `"remaining":60`) || !strings.Contains(recs[2], `"interval":30`) ||
		!strings.Contains(recs[1], `"ref":false`) || !strings.Contains(recs[3], `"kind":"immediate"`) {
		t.Errorf("records: %v", recs)
	}
	state, err := tp.SaveState(a.VM)
	if err != nil {
		t.Fatal(err)
	}
	_ = rt.Set("state", state)
	if got := a.eval(`state.timers.map(o => [t1, t2, t3, t4].indexOf(o)).join(",") + " " + state.nextId`).String(); got != "2,0,1,3 5" {
		t.Errorf("state order: %s", got)
	}

	// World B: equal values, ordinary objects with the timer prototypes.
	b := newWorld(t)
	clk := vm.NewManualClock(epoch.Add(time.Hour), false)
	b.Loop().SetClock(clk)
	b.eval(`var cb = (x, y) => console.log("fired", x, y);
		var objs = [0, 1, 2, 3].map(i => Object.create(i === 3 ? stasis.Immediate.prototype : stasis.Timeout.prototype));`)
	btp := plugin(b.VM, "timers")
	brt := b.Runtime()
	for i, js := range recs {
		_ = brt.Set("json", js)
		rec := b.eval(`(() => { const r = JSON.parse(json); r.callback = cb; return r })()`)
		o := b.eval(`objs[` + string(rune('0'+i)) + `]`).(*goja.Object)
		if err := btp.Rebind(b.VM, o, rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := btp.RestoreState(b.VM, b.eval(`({timers: objs, nextId: 5})`)); err != nil {
		t.Fatal(err)
	}
	step := func() {
		t.Helper()
		if _, err := b.Loop().Step(); err != nil {
			t.Fatal(err)
		}
	}
	if got := b.eval(`[+objs[0], +objs[2], objs[1].hasRef(), objs[2].hasRef(), +setTimeout(() => {}, 1)].join()`).String(); got != "1,3,false,true,5" {
		t.Errorf("ids and refs after rebind: %s", got)
	}
	step()
	b.expectOut("fired iv 3\nfired imm 4\n")
	clk.Advance(29 * time.Millisecond)
	step()
	b.expectOut("")
	clk.Advance(time.Millisecond)
	step()
	b.expectOut("fired iv 3\n")
	clk.Advance(30 * time.Millisecond) // 60ms after the load
	step()
	b.expectOut("fired x 1\nfired y 2\nfired iv 3\n")
}

func TestFS(t *testing.T) {
	dir := t.TempDir()
	w := newWorld(t)
	_ = w.Runtime().Set("dir", dir)
	w.run(filepath.Join(dir, "fs.js"), `
		const fs = require("fs"), path = require("node:path");
		const p = path.join(dir, "a.txt");
		console.log(fs.existsSync(p));
		fs.writeFileSync(p, "hello");
		fs.appendFileSync(p, " world");
		console.log(fs.readFileSync(p, "utf8"), fs.readFileSync(p, {encoding: "utf-8"}).length);
		const bytes = fs.readFileSync(p);
		console.log(bytes instanceof Uint8Array, bytes.length, bytes[0]);
		fs.writeFileSync(path.join(dir, "b.bin"), new Uint8Array([1, 2, 3]));
		console.log(Array.from(fs.readFileSync(path.join(dir, "b.bin"))).join());
		console.log(fs.mkdirSync(path.join(dir, "x", "y"), {recursive: true}) === path.join(dir, "x"));
		fs.mkdirSync(path.join(dir, "z"));
		console.log(fs.readdirSync(dir).join());
		const s = fs.statSync(p);
		console.log(s.size, s.isFile(), s.isDirectory(), typeof s.mtimeMs, fs.statSync(dir).isDirectory());
		fs.renameSync(p, path.join(dir, "c.txt"));
		fs.unlinkSync(path.join(dir, "b.bin"));
		console.log(fs.readdirSync(dir).join());
		const fd = fs.openSync(path.join(dir, "c.txt"), "r+");
		const buf = new Uint8Array(5);
		console.log(fd, fs.readSync(fd, buf, 0, 5, null), TextDecoderLike(buf));
		console.log(fs.writeSync(fd, "!!"), fs.readSync(fd, buf, 0, 2, 0), fs.fstatSync(fd).size);
		fs.writeSync(fd, new Uint8Array([72, 73]), 0, 2, 0);
		fs.closeSync(fd);
		console.log(fs.readFileSync(path.join(dir, "c.txt"), "utf8"));
		for (const f of [() => fs.readFileSync(path.join(dir, "nope")), () => fs.closeSync(fd), () => fs.mkdirSync(dir),
		                 () => fs.readdirSync(path.join(dir, "c.txt"))]) {
			try { f() } catch (e) { console.log(e instanceof Error, e.code, e.message.replace(dir, "DIR")) }
		}
		const fa = fs.openSync(path.join(dir, "c.txt"), "a");
		fs.writeSync(fa, "+");
		fs.closeSync(fa);
		console.log(fs.readFileSync(path.join(dir, "c.txt"), "latin1"));
		function TextDecoderLike(b) { return String.fromCharCode(...b) }
	`)
	w.expectOut(`false
hello world 11
true 11 104
1,2,3
true
a.txt,b.bin,x,z
11 true false number true
c.txt,x,z
3 5 hello
2 2 11
HIllo!!orld
true ENOENT ENOENT: no such file or directory, open 'DIR/nope'
true EBADF EBADF: bad file descriptor, close
true EEXIST EEXIST: file exists, mkdir 'DIR'
true ENOTDIR ENOTDIR: not a directory, scandir 'DIR/c.txt'
HIllo!!orld+
`)
}

// Open descriptors survive a save and load of the fs plugin's state: same
// number, same position, no truncation; a vanished file gives a warning and
// an error naming it on every use.
func TestFSStateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	a := newWorld(t)
	_ = a.Runtime().Set("dir", dir)
	a.eval(`
		var fs = require("fs");
		var w = fs.openSync(dir + "/w.txt", "w");
		fs.writeSync(w, "abc");
		var r = fs.openSync(dir + "/r.txt", "w+");
		fs.writeSync(r, "0123456789");
		fs.readSync(r, new Uint8Array(1), 0, 1, 0);
		var gone = fs.openSync(dir + "/gone.txt", "a");
		fs.closeSync(fs.openSync(dir + "/closed.txt", "w"));
	`)
	fp := plugin(a.VM, "fs")
	state, err := fp.SaveState(a.VM)
	if err != nil {
		t.Fatal(err)
	}
	_ = a.Runtime().Set("state", state)
	js := a.eval(`JSON.stringify(state)`).String()
	want := `[{"fd":3,"path":"DIR/w.txt","abs":"DIR/w.txt","flags":"w","position":3},{"fd":4,"path":"DIR/r.txt","abs":"DIR/r.txt","flags":"w+","position":10},{"fd":5,"path":"DIR/gone.txt","abs":"DIR/gone.txt","flags":"a","position":0}]`
	if got := strings.ReplaceAll(js, dir, "DIR"); got != want {
		t.Fatalf("state:\n%s\nwant\n%s", got, want)
	}
	if err := os.Remove(filepath.Join(dir, "gone.txt")); err != nil {
		t.Fatal(err)
	}

	b := newWorld(t)
	_ = b.Runtime().Set("json", js)
	if err := plugin(b.VM, "fs").RestoreState(b.VM, b.eval(`JSON.parse(json)`)); err != nil {
		t.Fatal(err)
	}
	// Restoring touches no file: a file that vanishes after the restore
	// and before the resume is missed only then.
	if s := b.err.String(); s != "" {
		t.Errorf("restoring the state printed %q; it must touch no file", s)
	}
	if err := natives.Resume(b.VM); err != nil {
		t.Fatal(err)
	}
	if s := b.err.String(); !strings.Contains(s, "gone.txt") || !strings.Contains(s, "no such file") {
		t.Errorf("warning: %q", s)
	}
	_ = b.Runtime().Set("dir", dir)
	b.run("b.js", `
		var fs = require("fs");
		fs.writeSync(3, "def");
		fs.writeSync(4, "X");
		console.log(fs.readFileSync(dir + "/w.txt", "utf8"), fs.readFileSync(dir + "/r.txt", "utf8"));
		try { fs.writeSync(5, "x") } catch (e) { console.log(e.code, e.message.split(dir).join("DIR")) }
		try { fs.fstatSync(5) } catch (e) { console.log(e.code, e.message.split(dir).join("DIR")) }
		console.log(fs.openSync(dir + "/new.txt", "w"));
		fs.closeSync(5);
		console.log(fs.existsSync(dir + "/gone.txt"));
	`)
	b.expectOut("abcdef 0123456789X\n" +
		"ENOENT file descriptor 5 (DIR/gone.txt) was not restored: ENOENT: no such file or directory, write 'DIR/gone.txt'\n" +
		"ENOENT file descriptor 5 (DIR/gone.txt) was not restored: ENOENT: no such file or directory, fstat 'DIR/gone.txt'\n6\nfalse\n")
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestModules(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"app/lib/counter.js":                   `let n = 0; exports.next = () => ++n; exports.file = __filename; exports.dir = __dirname;`,
		"app/lib/data.json":                    `{"name": "data", "list": [1, 2]}`,
		"app/lib/index.js":                     `module.exports = { counter: require("./counter"), helper: require("helper") };`,
		"app/a.js":                             `exports.early = "a"; const b = require("./b"); exports.late = "a2"; exports.fromB = b.seen;`,
		"app/b.js":                             `const a = require("./a.js"); exports.seen = JSON.stringify(a);`,
		"app/node_modules/helper/package.json": `{"name": "helper", "main": "lib/main"}`,
		"app/node_modules/helper/lib/main.js":  `module.exports = function helper(x) { return "helped " + x + " " + require("dep").v }`,
		"app/node_modules/dep/index.js":        `exports.v = "dep1"`,
		"node_modules/toplevel/index.js":       `module.exports = "from the root node_modules"`,
		"app/node_modules/exp/package.json":    `{"exports": {".": {"require": "./cjs.js"}}}`,
		"app/node_modules/exp/cjs.js":          `module.exports = "exports field"`,
		"app/lib/bad.js":                       `this is not javascript`,
		"app/lib/throws.js":                    `throw new Error("module failed")`,
	})
	w := newWorld(t)
	_ = w.Runtime().Set("root", root)
	w.run(filepath.Join(root, "app", "main.js"), `
		const lib = require("./lib");
		console.log(lib.counter.next(), lib.counter.next(), require("./lib/counter").next());
		console.log(require("./lib/counter") === lib.counter, lib.helper("me"));
		console.log(require("./lib/data.json").list.length, require("./lib/data").name);
		const a = require("./a");
		console.log(JSON.stringify(a));
		console.log(require("toplevel"), require("exp"));
		console.log(lib.counter.file.endsWith("counter.js"), require("path").basename(lib.counter.dir));
		for (const id of ["./missing", "nothing-here", "./lib/bad", "./lib/throws", "node:nope"]) {
			try { require(id); console.log("loaded", id) } catch (e) { console.log(e.name, e.code || "", e.message.split("\n")[0].replace(/'[^']*'\)?$/, "").replace(root, "ROOT").slice(0, 50)) }
		}
		const keys = Object.keys(require.cache).map(k => require("path").relative(root, k)).sort();
		console.log(keys.join(" "));
		console.log(typeof require.resolve, require.resolve("./lib/counter") === lib.counter.file, require.resolve("fs"));
	`)
	w.expectOut(`1 2 3
true helped me dep1
2 data
{"early":"a","late":"a2","fromB":"{\"early\":\"a\"}"}
from the root node_modules exports field
true lib
Error MODULE_NOT_FOUND Cannot find module './missing' from 
Error MODULE_NOT_FOUND Cannot find module 'nothing-here' from 
SyntaxError  ROOT/app/lib/bad.js: Line 1:6 Unexpected identifie
Error  module failed
Error MODULE_NOT_FOUND Cannot find module 'node:nope' from 
app/a.js app/b.js app/lib/counter.js app/lib/data.json app/lib/index.js app/node_modules/dep/index.js app/node_modules/exp/cjs.js app/node_modules/helper/lib/main.js node_modules/toplevel/index.js
function true fs
`)
	// Module code is compiled through the registry, named by absolute path.
	names := map[string]bool{}
	for _, s := range w.Scripts().All() {
		names[s.Name] = true
	}
	if !names[filepath.Join(root, "app", "lib", "counter.js")] || names[filepath.Join(root, "app", "lib", "data.json")] {
		t.Errorf("registry: %v", names)
	}
}

// After a load, modules are served from the cache even when their files
// are gone; a module's require, rebuilt from its record in a fresh world,
// resolves against the module's directory.
func TestModuleCacheAndRebuild(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"lib/a.js":     `exports.req = require; exports.b = require("./b")`,
		"lib/b.js":     `exports.n = 1`,
		"lib/c.js":     `exports.c = "c"`,
		"lib/pkg.json": `{"ok": true}`,
	})
	w := newWorld(t)
	w.run(filepath.Join(root, "main.js"), `var a = require("./lib/a"); require("./lib/pkg.json")`)
	if err := os.RemoveAll(filepath.Join(root, "lib", "b.js")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(root, "lib", "pkg.json")); err != nil {
		t.Fatal(err)
	}
	w.run(filepath.Join(root, "main2.js"), `console.log(require("./lib/b") === a.b, a.req("./b").n, require("./lib/pkg").ok)`)
	w.expectOut("true 1 true\n")

	mp := plugin(w.VM, "modules")
	req := w.eval(`a.req`).(*goja.Object)
	if natives.Owner(w.VM, req) != mp {
		t.Fatal("a module's require is not marked")
	}
	rec, err := mp.Record(w.VM, req)
	if err != nil {
		t.Fatal(err)
	}
	js := rec.String()
	if js != filepath.Join(root, "lib", "a.js") {
		t.Errorf("record %q", js)
	}
	state, err := mp.SaveState(w.VM)
	if err != nil {
		t.Fatal(err)
	}
	_ = w.Runtime().Set("state", state)
	if got := w.eval(`Object.keys(state.cache).length + " " + (state.cache === require.cache)`).String(); got != "3 true" {
		t.Errorf("state: %s", got)
	}

	b := newWorld(t)
	_ = b.Runtime().Set("json", js)
	rb, ok := mp.(natives.Rebuilder)
	if !ok {
		t.Fatal("modules is not a Rebuilder")
	}
	fresh, err := rb.Rebuild(b.VM, b.eval(`json`))
	if err != nil {
		t.Fatal(err)
	}
	_ = b.Runtime().Set("req", fresh)
	b.run("probe.js", `console.log(req("./c").c, req.cache === require.cache, typeof req.resolve, req.resolve("./c").endsWith("c.js"))`)
	b.expectOut("c true function true\n")
}

func TestBuiltinModules(t *testing.T) {
	w := newWorld(t)
	w.run("builtins.js", `
		const path = require("path"), util = require("util"), EventEmitter = require("events");
		console.log(path.join("a", "b", "../c"), path.dirname("/x/y/z.js"), path.basename("/x/y/z.js", ".js"),
			path.extname("a/b.tar.gz"), path.extname(".bashrc"), path.isAbsolute("/a"), path.normalize("a//b/./c/"),
			path.relative("/a/b", "/a/c/d"), path.sep, path.resolve("/a", "b", "../c"));
		console.log(util.format("%s=%d %j", "x", 42, {a: 1}), util.inspect({a: [1, {b: 2}]}), util.inspect("s"));
		class Bus extends EventEmitter {}
		const bus = new Bus();
		const seen = [];
		const h = (x) => seen.push("on:" + x);
		bus.on("ev", h);
		bus.once("ev", (x) => seen.push("once:" + x));
		console.log(bus.emit("ev", 1), bus.emit("ev", 2), bus.listenerCount("ev"), bus.off("ev", h) === bus, bus.emit("ev", 3));
		console.log(seen.join(), bus instanceof EventEmitter, Object.keys(bus).length, EventEmitter.EventEmitter === EventEmitter);
		function Old() { EventEmitter.call(this) }
		util.inherits(Old, EventEmitter);
		const o = new Old();
		o.on("x", function () { seen.push(this === o) });
		o.emit("x");
		try { o.emit("error", new Error("unhandled")) } catch (e) { seen.push(e.message) }
		console.log(seen.slice(-2).join(), o.eventNames().join());
	`)
	w.expectOut(`a/c /x/y z .gz  true a/b/c/ ../c/d / /a/c
x=42 {"a":1} { a: [ 1, { b: 2 } ] } 's'
true true 1 true false
on:1,once:1,on:2 true 0 true
true,unhandled x
`)
}

// The global require resolves against the calling script's directory: a
// relative script name against the current directory's subdirectory, a
// REPL input against the current directory.
func TestGlobalRequireBase(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"x/m.js": `exports.where = "x"`, "m.js": `exports.where = "root"`})
	t.Chdir(root)
	w := newWorld(t)
	w.run("x/y.js", `console.log(require("./m").where)`)
	w.run("<repl:1>", `console.log(require("./m").where)`)
	w.expectOut("x\nroot\n")
}

// Asynchronous reads and writes deliver their results as tasks of the
// event loop, with Node's callback and promise conventions.
func TestFSAsync(t *testing.T) {
	dir := t.TempDir()
	w := newWorld(t)
	_ = w.Runtime().Set("dir", dir)
	w.run("async.js", `
		const fs = require("fs");
		const log = (...a) => console.log(...a.map(x => typeof x === "string" ? x.split(dir).join("DIR") : x));
		async function main() {
			await fs.promises.writeFile(dir + "/a.txt", "hello");
			log("read", await fs.promises.readFile(dir + "/a.txt", "utf8"));
			const bytes = await fs.promises.readFile(dir + "/a.txt");
			log("bytes", bytes instanceof Uint8Array, bytes.length, bytes[0]);
			try { await fs.promises.readFile(dir + "/missing") } catch (e) { log("rejected", e.code, e.message) }
			await new Promise((resolve) => fs.writeFile(dir + "/b.txt", new Uint8Array([104, 105]), (err) => { log("written", err); resolve() }));
			await new Promise((resolve) => fs.readFile(dir + "/b.txt", { encoding: "utf8" }, (err, data) => { log("callback", err, data); resolve() }));
			await new Promise((resolve) => fs.readFile(dir, (err, data) => { log("directory", err.code, data); resolve() }));
			try { fs.readFile(dir + "/a.txt") } catch (e) { log("no callback", e.code) }
			try { fs.readFile(dir + "/a.txt", "w", () => log("read with encoding w")) } catch (e) { log("bad encoding", e.code) }
			try { await fs.promises.readFile(dir + "/a.txt", { encoding: "nope" }) } catch (e) { log("bad encoding", e.code) }
		}
		main().then(() => log("done"));
	`)
	w.expectOut(`read hello
bytes true 5 104
rejected ENOENT ENOENT: no such file or directory, open 'DIR/missing'
written null
callback null hi
directory EISDIR undefined
no callback ERR_INVALID_ARG_TYPE
bad encoding ERR_UNKNOWN_ENCODING
bad encoding ERR_UNKNOWN_ENCODING
done
`)
}

// TestProcessVersions: process.versions holds strings, as node's does;
// goja's is the version this build was linked with.
func TestProcessVersions(t *testing.T) {
	w := newWorld(t)
	w.run("v.js", `console.log(typeof process.versions.goja, typeof process.versions.stasis, typeof process.versions.node)`)
	w.expectOut("string string string\n")
	if got, want := w.eval(`process.versions.goja`).String(), heap.GojaVersion(); got != want {
		t.Errorf("process.versions.goja is %q, want %q", got, want)
	}
}
