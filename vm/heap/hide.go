package heap

import (
	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
)

// HideOwn takes o's own string-keyed properties named names (the ones it
// has; the names must be ASCII) out of its property table, and returns them
// by name, as the table holds them (see AsProperty), with what puts them
// back. In between, goja finds no such property on o when it looks one up
// by name, though o's list of keys still names them: until restore runs,
// nothing may list o's keys or change o. o must be an ordinary object (not
// a Proxy, an array or a host object, which keep properties elsewhere).
//
// The value printer uses it on Object.prototype, so that the descriptor
// objects Object.getOwnPropertyDescriptor makes (whose fields goja sets as
// an assignment would, through Object.prototype) neither run a setter
// that the world put there under a descriptor field's name nor lose the
// field to a getter without a setter.
func HideOwn(o *goja.Object, names []string) (hidden map[string]goja.Value, restore func()) {
	values := BaseOf(o).Values()
	for _, name := range names {
		if v, ok := (*values)[unistring.String(name)]; ok {
			if hidden == nil {
				hidden = map[string]goja.Value{}
			}
			hidden[name] = v
			delete(*values, unistring.String(name))
		}
	}
	if hidden == nil {
		return nil, func() {}
	}
	return hidden, func() {
		for name, v := range hidden {
			(*values)[unistring.String(name)] = v
		}
	}
}
