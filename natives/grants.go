package natives

import (
	"errors"
	"os"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// Grants: every plugin that touches the host asks the world's permissions
// (vm.Options.Permissions, given by whoever runs the world, never by an
// image) before it does. A denied access throws, as Node's permission model
// does, an Error with code ERR_ACCESS_DENIED, permission
// ("FileSystemRead" or "FileSystemWrite") and resource (the path).

// accessError makes the JavaScript error for err, an *vm.AccessDeniedError
// (or any other error, which becomes a plain Error).
func accessError(v *vm.VM, err error) *goja.Object {
	e := newError(v, err.Error())
	var denied *vm.AccessDeniedError
	if errors.As(err, &denied) {
		_ = e.Set("code", "ERR_ACCESS_DENIED")
		_ = e.Set("permission", denied.Access.String())
		_ = e.Set("resource", denied.Resource)
	}
	return e
}

// allow throws ERR_ACCESS_DENIED unless the world may access path as a.
func allow(v *vm.VM, a vm.Access, path string) {
	if err := v.CheckAccess(a, path); err != nil {
		panic(accessError(v, err))
	}
}

// checkOpen returns nil when the world may open path with the os.OpenFile
// mode: reading needs a read grant, any of writing, creating, truncating or
// appending a write grant.
func checkOpen(v *vm.VM, path string, mode int) error {
	if mode&(os.O_WRONLY|os.O_RDWR) == 0 || mode&os.O_RDWR != 0 {
		if err := v.CheckAccess(vm.FSRead, path); err != nil {
			return err
		}
	}
	if mode&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_TRUNC|os.O_APPEND) != 0 {
		return v.CheckAccess(vm.FSWrite, path)
	}
	return nil
}

// allowOpen throws ERR_ACCESS_DENIED unless checkOpen allows path and mode.
func allowOpen(v *vm.VM, path string, mode int) {
	if err := checkOpen(v, path, mode); err != nil {
		panic(accessError(v, err))
	}
}
