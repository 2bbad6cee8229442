// Command kvstore shows how an embedder writes a native plugin for its own
// Go objects: a key-value store whose handles live in Go maps, exposed to
// JavaScript as kv.open(name), and surviving an image.
//
//	go run ./examples/kvstore
//
// A handle is an ordinary JavaScript object (its prototype, with the
// methods get, set, delete and keys, is made when the plugin is installed,
// so it is a built-in of every world) that the plugin marks. On save the
// plugin records a handle as {name, entries}; on load it rebinds the
// rebuilt object to a new Go map filled from the record.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// KV is the plugin. Its per-world state lives in a VM attachment, so one KV
// value can serve any number of worlds.
type KV struct{}

type kvKey struct{}

// store is the Go side of one handle.
type store struct {
	name string
	data map[string]string
}

// kvState is the plugin's state in one world.
type kvState struct {
	proto   *goja.Object            // the handles' prototype
	handles map[*goja.Object]*store // marked handle -> its store
	byName  map[string]*goja.Object // kv.open returns the same handle for a name
}

func stateOf(v *vm.VM) *kvState { return v.Attachment(kvKey{}).(*kvState) }

// Name implements natives.Plugin.
func (*KV) Name() string { return "kv" }

// Version implements natives.Plugin.
func (*KV) Version() int { return 1 }

// Install defines the global kv with open(name), and the handles' prototype.
func (p *KV) Install(v *vm.VM) error {
	rt := v.Runtime()
	st := &kvState{proto: rt.NewObject(), handles: map[*goja.Object]*store{}, byName: map[string]*goja.Object{}}
	v.SetAttachment(kvKey{}, st)

	self := func(c goja.FunctionCall) *store {
		if o, ok := c.This.(*goja.Object); ok {
			if s := st.handles[o]; s != nil {
				return s
			}
		}
		panic(rt.NewTypeError("not a kv handle"))
	}
	v.DefineFunction(st.proto, "get", 1, func(c goja.FunctionCall) goja.Value {
		if val, ok := self(c).data[c.Argument(0).String()]; ok {
			return rt.ToValue(val)
		}
		return goja.Undefined()
	})
	v.DefineFunction(st.proto, "set", 2, func(c goja.FunctionCall) goja.Value {
		self(c).data[c.Argument(0).String()] = c.Argument(1).String()
		return c.This
	})
	v.DefineFunction(st.proto, "delete", 1, func(c goja.FunctionCall) goja.Value {
		s, k := self(c), c.Argument(0).String()
		_, had := s.data[k]
		delete(s.data, k)
		return rt.ToValue(had)
	})
	v.DefineFunction(st.proto, "keys", 0, func(c goja.FunctionCall) goja.Value {
		var keys []any
		for _, k := range sortedKeys(self(c).data) {
			keys = append(keys, k)
		}
		return rt.NewArray(keys...)
	})

	kv := rt.NewObject()
	_ = kv.DefineDataProperty("Handle", st.proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	v.DefineFunction(kv, "open", 1, func(c goja.FunctionCall) goja.Value {
		name := c.Argument(0).String()
		if h := st.byName[name]; h != nil {
			return h
		}
		h := rt.NewObject()
		_ = h.SetPrototype(st.proto)
		_ = h.Set("name", name)
		p.bind(v, h, &store{name: name, data: map[string]string{}})
		return h
	})
	return rt.GlobalObject().DefineDataProperty("kv", kv, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// bind gives handle h its Go store and marks it, so that a save asks for its record.
func (p *KV) bind(v *vm.VM, h *goja.Object, s *store) {
	st := stateOf(v)
	st.handles[h] = s
	st.byName[s.name] = h
	natives.Mark(v, h, p)
}

// Record returns {name, entries}: all that is needed to rebuild the store.
func (p *KV) Record(v *vm.VM, o *goja.Object) (goja.Value, error) {
	s := stateOf(v).handles[o]
	if s == nil {
		return nil, fmt.Errorf("not a kv handle")
	}
	rt := v.Runtime()
	entries := rt.NewObject()
	for _, k := range sortedKeys(s.data) { // sorted: the same world saves the same bytes
		_ = entries.Set(k, s.data[k])
	}
	rec := rt.NewObject()
	_ = rec.Set("name", s.name)
	_ = rec.Set("entries", entries)
	return rec, nil
}

// Rebind gives a rebuilt handle a new Go map filled from its record.
func (p *KV) Rebind(v *vm.VM, o *goja.Object, record goja.Value) error {
	rec, ok := record.(*goja.Object)
	if !ok {
		return fmt.Errorf("kv record is not an object")
	}
	s := &store{name: rec.Get("name").String(), data: map[string]string{}}
	if e, ok := rec.Get("entries").(*goja.Object); ok {
		for _, k := range e.Keys() {
			s.data[k] = e.Get(k).String()
		}
	}
	p.bind(v, o, s)
	return nil
}

// SaveState implements natives.Plugin: the handles are all the state there is.
func (p *KV) SaveState(v *vm.VM) (goja.Value, error) { return nil, nil }

// RestoreState implements natives.Plugin.
func (p *KV) RestoreState(v *vm.VM, state goja.Value) error { return nil }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// options are the same for the world that saves and the one that loads:
// a loaded world must have every plugin the image names.
func options(out io.Writer) vm.Options {
	plugins := append(natives.Default(), &KV{})
	return vm.Options{Stdout: out, Setup: []func(*vm.VM) error{natives.Setup(plugins...)}}
}

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run builds a world with a store and a pending timer, saves it, loads it
// again, uses the store and runs the event loop; the worlds print to out.
func run(out io.Writer) error {
	world, err := image.NewWorld(options(out))
	if err != nil {
		return err
	}
	_, err = world.RunScript("setup.js", `
		const users = kv.open("users");
		users.set("ada", "Lovelace").set("alan", "Turing");
		// A timer that is pending at the save fires after the load.
		setTimeout(() => console.log("timer set before the save sees", users.keys().join(", ")), 50);
	`)
	if err != nil {
		return err
	}

	dir, err := os.MkdirTemp("", "stasis-kvstore")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "kv.img")
	if err := image.SaveFile(path, world, image.SaveOptions{}); err != nil {
		return err
	}

	resumed, _, err := image.LoadFile(path, image.LoadOptions{VM: options(out)})
	if err != nil {
		return err
	}
	if err := image.Resume(resumed, nil); err != nil {
		return err
	}
	_, err = resumed.RunScript("probe.js", `
		users.set("grace", "Hopper");
		console.log("resumed:", users.get("ada"), users.keys().length, "users;",
			"same handle:", kv.open("users") === users);
	`)
	if err != nil {
		return err
	}
	return resumed.Loop().Run(context.Background())
}
