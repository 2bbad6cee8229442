package image

import (
	"context"
	"fmt"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// RunSaveHooks calls the functions registered with stasis.onSave, in order.
// Save does not call them: the caller runs them first so that what they
// change is part of the image.
func RunSaveHooks(v *vm.VM) error {
	for i, f := range v.Hooks().OnSave {
		if _, err := v.Call(f, nil); err != nil {
			return fmt.Errorf("stasis.onSave hook %d: %w", i+1, err)
		}
	}
	return nil
}

// RunResumeHooks resumes v's native plugins (files are opened again and
// operations in flight started again, under v's grants: Load itself
// touches nothing outside the JavaScript heap), then calls the functions
// registered with stasis.onResume, in order.
func RunResumeHooks(v *vm.VM) error {
	if err := natives.Resume(v); err != nil {
		return err
	}
	for i, f := range v.Hooks().OnResume {
		if _, err := v.Call(f, nil); err != nil {
			return fmt.Errorf("stasis.onResume hook %d: %w", i+1, err)
		}
	}
	return nil
}

// RunMain calls the function given to stasis.setMain, if any, with args as
// strings. It returns the function's result (undefined without a main).
func RunMain(v *vm.VM, args []string) (goja.Value, error) {
	main := v.Hooks().Main
	if main == nil {
		return goja.Undefined(), nil
	}
	rt := v.Runtime()
	jsArgs := make([]goja.Value, len(args))
	for i, a := range args {
		jsArgs[i] = rt.ToValue(a)
	}
	res, err := v.Call(main, nil, jsArgs...)
	if err != nil {
		return nil, fmt.Errorf("main: %w", err)
	}
	return res, nil
}

// Resume runs a loaded world's resume hooks and then its main function with args.
func Resume(v *vm.VM, args []string) error {
	if err := RunResumeHooks(v); err != nil {
		return err
	}
	_, err := RunMain(v, args)
	return err
}

// Checkpoint runs v's stasis.onSave hooks and then saves v to the image file
// at path, atomically. It is what save-image, the REPL's .save-image and
// stasis.saveImage do.
func Checkpoint(path string, v *vm.VM, opts SaveOptions) error {
	if err := RunSaveHooks(v); err != nil {
		return err
	}
	return SaveFile(path, v, opts)
}

// AttachSaver makes stasis.saveImage(location) in v save with
// CheckpointLocation (a file path, or a world in a database).
func AttachSaver(v *vm.VM) {
	v.SetSaveImage(func(path string) error {
		return CheckpointLocation(context.Background(), path, v, SaveOptions{})
	})
}
