// Package natives holds Stasis's host-bound natives: JavaScript objects
// whose real state lives in Go (timers, file descriptors, loaded modules, an
// embedder's Go values), each kind owned by a Plugin.
//
// A plugin installs its globals into a new world (Install, run from
// vm.Options.Setup so that they count as built-ins), marks the objects it
// owns (Mark), and when the world is saved gives a record of "what we need
// to know" for each marked object (Record) and for its own state (SaveState).
// Records are ordinary JavaScript values, stored in the image's object graph,
// so they may refer to any object of the world (a timer's callback). On load
// the image package rebuilds every object, then gives each plugin its
// records back (Rebind, RestoreState) to make live Go state again.
//
// The plugins of this package, which Default returns in the order a standard
// world installs them: Timers (setTimeout & co. on the VM's event loop), FS
// (require("fs") with file descriptors that survive an image), Modules
// (CommonJS require with its module cache, and the built-in modules), Process
// (the globals process and global) and Buffers (Buffer, TextEncoder,
// TextDecoder, atob, btoa). Setup installs plugins from vm.Options.Setup;
// Finish ends a world as Node ends a process. examples/kvstore and the
// Plugin example are plugins of an embedder's own.
package natives

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// Plugin owns one kind of host-bound native.
type Plugin interface {
	// Name identifies the plugin in images ("timers", "fs"). Loading an image
	// that names a plugin the loading world lacks is refused.
	Name() string
	// Version is the version of the plugin's records. An image whose records
	// have a newer version than the plugin is refused.
	Version() int
	// Install adds the plugin's globals and modules to a new world. It runs
	// before the world's built-ins are recorded, so what it defines is part
	// of every fresh world and is stored in images by name.
	Install(v *vm.VM) error
	// Record returns what must be known to rebuild the Go state of o, an
	// object the plugin marked. The record is saved in the same object graph.
	Record(v *vm.VM, o *goja.Object) (goja.Value, error)
	// Rebind gives o, rebuilt as an ordinary object with its saved properties
	// and prototype, its Go state again from the record Record returned.
	Rebind(v *vm.VM, o *goja.Object, record goja.Value) error
	// SaveState returns the plugin's own state (pending timers, open file
	// descriptors, the module cache) as a JS value, or nil for none.
	SaveState(v *vm.VM) (goja.Value, error)
	// RestoreState restores what SaveState returned, after every marked
	// object was rebound. A resource that cannot be had again (a file that
	// vanished) must not fail the load: make it fail when used, and warn.
	RestoreState(v *vm.VM, state goja.Value) error
}

type marksKey struct{}
type pluginsKey struct{}

// marks records which plugin owns each marked object of a world.
type marks map[*goja.Object]Plugin

// Mark records that plugin p owns o: a save asks p for o's record.
func Mark(v *vm.VM, o *goja.Object, p Plugin) {
	m, _ := v.Attachment(marksKey{}).(marks)
	if m == nil {
		m = marks{}
		v.SetAttachment(marksKey{}, m)
	}
	m[o] = p
}

// Unmark forgets o (for example a timer that fired and cannot fire again).
func Unmark(v *vm.VM, o *goja.Object) {
	if m, _ := v.Attachment(marksKey{}).(marks); m != nil {
		delete(m, o)
	}
}

// Owner returns the plugin that marked o, or nil.
func Owner(v *vm.VM, o *goja.Object) Plugin {
	m, _ := v.Attachment(marksKey{}).(marks)
	if m == nil {
		return nil
	}
	return m[o]
}

// HasMarks reports whether any object of v is marked.
func HasMarks(v *vm.VM) bool {
	m, _ := v.Attachment(marksKey{}).(marks)
	return len(m) > 0
}

// Setup returns a vm.Options.Setup function that installs the plugins in
// order and remembers them as the world's plugins.
func Setup(plugins ...Plugin) func(*vm.VM) error {
	return func(v *vm.VM) error {
		seen := map[string]bool{}
		for _, p := range plugins {
			if seen[p.Name()] {
				return fmt.Errorf("plugin %q installed twice", p.Name())
			}
			seen[p.Name()] = true
			if err := p.Install(v); err != nil {
				return fmt.Errorf("install plugin %s: %w", p.Name(), err)
			}
		}
		v.SetAttachment(pluginsKey{}, append([]Plugin(nil), plugins...))
		return nil
	}
}

// Plugins returns the plugins installed in v by Setup, in order.
func Plugins(v *vm.VM) []Plugin {
	ps, _ := v.Attachment(pluginsKey{}).([]Plugin)
	return ps
}

// Rebuilder is implemented by plugins that mark objects which are not
// ordinary objects (native functions, Go-backed objects). Such an object is
// saved only as its record; on load Rebuild makes it anew from the record,
// before the objects that refer to it are filled. The record's objects
// exist then but may not have their properties yet.
type Rebuilder interface {
	// Rebuild makes the object that Record returned record for.
	Rebuild(v *vm.VM, record goja.Value) (*goja.Object, error)
}

// Resumer is implemented by plugins whose restored state reaches outside
// the JavaScript heap: files to open again, operations to start again.
// RestoreState only records such state, so that loading an image touches
// nothing on the host; Resume acts on it when the world is resumed, under
// the world's grants (vm.Options.Permissions).
type Resumer interface {
	// Resume acts on the state RestoreState recorded.
	Resume(v *vm.VM) error
}

type resumedKey struct{}

// Resume calls Resume on every plugin of v that has one, in the order they
// were installed, once per world: later calls do nothing.
func Resume(v *vm.VM) error {
	if done, _ := v.Attachment(resumedKey{}).(bool); done {
		return nil
	}
	v.SetAttachment(resumedKey{}, true)
	for _, p := range Plugins(v) {
		if r, ok := p.(Resumer); ok {
			if err := r.Resume(v); err != nil {
				return fmt.Errorf("resume plugin %s: %w", p.Name(), err)
			}
		}
	}
	return nil
}
