package stasis_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// Logs is a native plugin: logs.open(name) makes a log object whose lines
// live in a Go buffer. Its state in each world is kept in the VM, so one
// Logs value serves every world made or loaded with the same Options.
type Logs struct{}

type logsKey struct{}

// logsState is the plugin's state in one world: the log objects it marked.
type logsState struct {
	plugin *Logs
	proto  *goja.Object
	logs   map[*goja.Object]*bytes.Buffer
}

func (*Logs) Name() string { return "logs" }
func (*Logs) Version() int { return 1 }

// Install defines the global logs, with open(name) and the prototype of log
// objects (made here, so that it is a built-in of every world).
func (p *Logs) Install(v *vm.VM) error {
	rt := v.Runtime()
	st := &logsState{plugin: p, proto: rt.NewObject(), logs: map[*goja.Object]*bytes.Buffer{}}
	v.SetAttachment(logsKey{}, st)
	buffer := func(c goja.FunctionCall) *bytes.Buffer {
		if b := st.logs[c.This.ToObject(rt)]; b != nil {
			return b
		}
		panic(rt.NewTypeError("not a log"))
	}
	v.DefineFunction(st.proto, "write", 1, func(c goja.FunctionCall) goja.Value {
		fmt.Fprintln(buffer(c), c.Argument(0).String())
		return goja.Undefined()
	})
	v.DefineFunction(st.proto, "text", 0, func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(buffer(c).String())
	})
	logs := rt.NewObject()
	if err := logs.Set("prototype", st.proto); err != nil {
		return err
	}
	v.DefineFunction(logs, "open", 0, func(c goja.FunctionCall) goja.Value {
		o := rt.NewObject()
		if err := o.SetPrototype(st.proto); err != nil {
			panic(err)
		}
		st.bind(v, o, new(bytes.Buffer))
		return o
	})
	return rt.Set("logs", logs)
}

// bind gives o its Go state and marks it as the plugin's, so that a save
// asks the plugin for its record instead of refusing its hidden state.
func (st *logsState) bind(v *vm.VM, o *goja.Object, b *bytes.Buffer) {
	st.logs[o] = b
	natives.Mark(v, o, st.plugin)
}

// Record is what a save keeps of a log object: its text.
func (*Logs) Record(v *vm.VM, o *goja.Object) (goja.Value, error) {
	st := v.Attachment(logsKey{}).(*logsState)
	return v.Runtime().ToValue(st.logs[o].String()), nil
}

// Rebind gives a loaded log object a Go buffer holding the saved text.
func (*Logs) Rebind(v *vm.VM, o *goja.Object, record goja.Value) error {
	st := v.Attachment(logsKey{}).(*logsState)
	st.bind(v, o, bytes.NewBufferString(record.String()))
	return nil
}

func (*Logs) SaveState(v *vm.VM) (goja.Value, error)        { return nil, nil }
func (*Logs) RestoreState(v *vm.VM, state goja.Value) error { return nil }

// A native plugin's objects keep their Go state across an image: the log's
// lines, held in Go, are saved through the plugin's record and bound again
// on load. The loading world is given the same plugins as the saved one.
func Example_plugin() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "app")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "logs.img")
	opts := stasis.Options{Plugins: []stasis.Plugin{&Logs{}}}

	world, err := stasis.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	_, err = world.RunScript("app.js", `
		const audit = logs.open();
		audit.write("opened");
	`)
	if err != nil {
		log.Fatal(err)
	}
	if err := world.SaveImage(ctx, path); err != nil {
		log.Fatal(err)
	}

	resumed, err := stasis.Load(ctx, path, opts)
	if err != nil {
		log.Fatal(err)
	}
	if err := resumed.Resume(); err != nil {
		log.Fatal(err)
	}
	text, err := resumed.RunScript("more.js", `audit.write("resumed"); audit.text()`)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(text)
	// Output:
	// opened
	// resumed
}
