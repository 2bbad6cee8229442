package natives_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// account is Go state behind a JavaScript object: what a plugin owns.
type account struct{ balance int }

// bank is a plugin: bank.open() makes an account object whose balance lives
// in Go, marked so that a save asks the plugin for its record. Its methods
// are on a prototype made at Install, so they are built-ins of every world.
type bank struct {
	accounts map[*goja.Object]*account
	proto    *goja.Object
}

func (b *bank) Name() string { return "bank" }
func (b *bank) Version() int { return 1 }

func (b *bank) Install(v *vm.VM) error {
	rt := v.Runtime()
	b.proto = rt.NewObject()
	err := b.proto.Set("deposit", func(call goja.FunctionCall) goja.Value {
		a := b.accounts[call.This.ToObject(rt)]
		if a == nil {
			panic(rt.NewTypeError("not an account"))
		}
		a.balance += int(call.Argument(0).ToInteger())
		return rt.ToValue(a.balance)
	})
	if err != nil {
		return err
	}
	// bank.proto makes the prototype reachable from the globals, where the
	// walk that names every built-in of a fresh world finds it.
	obj := rt.NewObject()
	err = obj.Set("proto", b.proto)
	if err == nil {
		err = obj.Set("open", func(call goja.FunctionCall) goja.Value {
			o := rt.NewObject()
			if err := o.SetPrototype(b.proto); err != nil {
				panic(err)
			}
			b.bind(v, o, &account{balance: int(call.Argument(0).ToInteger())})
			return o
		})
	}
	if err != nil {
		return err
	}
	return rt.Set("bank", obj)
}

// bind gives o its Go state and marks it.
func (b *bank) bind(v *vm.VM, o *goja.Object, a *account) {
	b.accounts[o] = a
	natives.Mark(v, o, b)
}

func (b *bank) Record(v *vm.VM, o *goja.Object) (goja.Value, error) {
	return v.Runtime().ToValue(b.accounts[o].balance), nil
}

func (b *bank) Rebind(v *vm.VM, o *goja.Object, record goja.Value) error {
	b.bind(v, o, &account{balance: int(record.ToInteger())})
	return nil
}

func (b *bank) SaveState(v *vm.VM) (goja.Value, error)        { return nil, nil }
func (b *bank) RestoreState(v *vm.VM, state goja.Value) error { return nil }

// A plugin's objects keep their Go state across an image: the account's
// balance is saved through the plugin's record and bound again on load.
// The loading world must have the same plugins as the saved one.
func ExamplePlugin() {
	options := func() vm.Options {
		return vm.Options{Setup: []func(*vm.VM) error{
			natives.Setup(append(natives.Default(), &bank{accounts: map[*goja.Object]*account{}})...),
		}}
	}
	world, err := image.NewWorld(options())
	if err != nil {
		log.Fatal(err)
	}
	if _, err := world.RunScript("app.js", `
		const acct = bank.open(10);
		console.log("balance", acct.deposit(5));
	`); err != nil {
		log.Fatal(err)
	}
	var img bytes.Buffer
	if err := image.Save(&img, world, image.SaveOptions{}); err != nil {
		log.Fatal(err)
	}
	resumed, _, err := image.Load(&img, image.LoadOptions{VM: options()})
	if err != nil {
		log.Fatal(err)
	}
	if err := image.Resume(resumed, nil); err != nil {
		log.Fatal(err)
	}
	v, err := resumed.RunScript("more.js", `acct.deposit(1)`)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("balance after the load", v)
	// Output:
	// balance 15
	// balance after the load 16
}
