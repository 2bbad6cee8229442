package vm

import (
	"fmt"

	"github.com/dop251/goja"
)

// The members of the `stasis` object that work through the event loop:
// stasis.saveImage(path), stasis.checkpoint() and stasis.exit(code).

type saveImageKey struct{}
type savingKey struct{}

// SaveImageFunc writes the world to an image file at path. It runs at a
// safe point of the event loop, on the VM's goroutine.
type SaveImageFunc func(path string) error

// SetSaveImage sets the function that stasis.saveImage calls at the next
// safe point (the CLI and the image package wire it). When none is set,
// stasis.saveImage rejects its promise.
func (v *VM) SetSaveImage(f func(path string) error) {
	v.SetAttachment(saveImageKey{}, SaveImageFunc(f))
}

// saving is the stasis.saveImage call whose save is in progress.
type saving struct {
	promise *goja.Object
	path    string
}

// SavingPromise returns the promise of the stasis.saveImage call whose save
// is in progress, and its path; nil outside a save. An image saved then
// holds the promise pending: the loader resolves it with
// {resumed: true, path} in the resumed world.
func (v *VM) SavingPromise() (promise *goja.Object, path string) {
	if s, ok := v.Attachment(savingKey{}).(*saving); ok && s != nil {
		return s.promise, s.path
	}
	return nil, ""
}

// ExitCode returns the code given to stasis.exit, and whether it was called.
func (v *VM) ExitCode() (int, bool) {
	if l, ok := v.Attachment(loopKey{}).(*Loop); ok {
		return l.ExitCode()
	}
	return 0, false
}

// SetupLoop defines stasis.saveImage, stasis.checkpoint and stasis.exit. It is a Setup
// function (vm.Options.Setup) and must run before the world's built-ins are
// recorded; running it twice does nothing more.
func SetupLoop(v *VM) error {
	o := v.Stasis()
	if o == nil {
		return fmt.Errorf("stasis object is missing")
	}
	if f := o.Get("saveImage"); f != nil && !goja.IsUndefined(f) {
		return nil
	}
	rt := v.rt
	v.DefineFunction(o, "saveImage", 1, func(c goja.FunctionCall) goja.Value {
		p, ok := c.Argument(0).Export().(string)
		if !ok || p == "" {
			panic(rt.NewTypeError("stasis.saveImage: path must be a non-empty string"))
		}
		promise, resolve, reject := rt.NewPromise()
		pobj := rt.ToValue(promise).(*goja.Object)
		v.Loop().RequestSave(func() error {
			// An image is written where the world's grants allow, as any file.
			if err := v.CheckAccess(FSWrite, p); err != nil {
				return reject(errorValue(rt, fmt.Errorf("stasis.saveImage: %w", err)))
			}
			save, _ := v.Attachment(saveImageKey{}).(SaveImageFunc)
			if save == nil {
				return reject(errorValue(rt, fmt.Errorf("stasis.saveImage: this world cannot save images (no image writer is attached)")))
			}
			v.SetAttachment(savingKey{}, &saving{promise: pobj, path: p})
			err := save(p)
			v.SetAttachment(savingKey{}, (*saving)(nil))
			if err != nil {
				return reject(errorValue(rt, fmt.Errorf("stasis.saveImage: %w", err)))
			}
			res := rt.NewObject()
			_ = res.Set("resumed", false)
			_ = res.Set("path", p)
			return resolve(res)
		})
		return pobj
	})
	v.defineCheckpoint(o)
	v.DefineFunction(o, "exit", 1, func(c goja.FunctionCall) goja.Value {
		code := 0
		if a := c.Argument(0); !goja.IsUndefined(a) {
			code = int(a.ToInteger())
		}
		v.Loop().Exit(code)
		return goja.Undefined()
	})
	return nil
}

// errorValue makes a plain JavaScript Error with err's message.
func errorValue(rt *goja.Runtime, err error) goja.Value {
	ctor, ok := goja.AssertConstructor(rt.Get("Error"))
	if !ok {
		return rt.ToValue(err.Error())
	}
	e, cerr := ctor(nil, rt.ToValue(err.Error()))
	if cerr != nil {
		return rt.ToValue(err.Error())
	}
	return e
}
