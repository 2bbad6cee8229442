package image

import (
	"fmt"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// Native plugins on save: every plugin installed in the world is listed in
// the image with its state; a marked object is saved with its plugin's record.

func (s *saver) pluginIndex(p natives.Plugin) uint64 {
	for i, q := range s.plugins {
		if q == p {
			return uint64(i)
		}
	}
	s.fail("object owned by plugin %q, which is not installed in this world", p.Name())
	return 0
}

// nativeRecord asks o's plugin for its record; nil when o is not marked.
func (s *saver) nativeRecord(o *goja.Object) (natives.Plugin, goja.Value) {
	if !s.hasMarks {
		return nil, nil
	}
	p := natives.Owner(s.v, o)
	if p == nil {
		return nil, nil
	}
	rec, err := p.Record(s.v, o)
	if err != nil {
		s.fail("plugin %s cannot record this object: %v", p.Name(), err)
	}
	if rec == nil {
		rec = goja.Undefined()
	}
	return p, rec
}

// pluginStates saves each installed plugin's own state as a root.
func (s *saver) pluginStates() {
	for _, p := range s.plugins {
		st, err := p.SaveState(s.v)
		if err != nil {
			s.fail("plugin %s cannot save its state: %v", p.Name(), err)
		}
		c := codeNone
		if st != nil {
			c = s.rootValue(st, lRootPlugin, uint64(len(s.p.Plugins)))
		}
		s.p.Plugins = append(s.p.Plugins, pluginRecord{Name: p.Name(), Version: p.Version(), State: c})
	}
}

// PluginInfos lists the plugins of a world, for the image metadata.
func pluginInfos(v *vm.VM) []PluginInfo {
	var out []PluginInfo
	for _, p := range natives.Plugins(v) {
		out = append(out, PluginInfo{Name: p.Name(), Version: p.Version()})
	}
	return out
}

// matchPlugins maps the image's plugins to the loading world's, refusing
// what the world lacks or has only in an older version.
func (l *loader) matchPlugins() error {
	installed := natives.Plugins(l.v)
	for _, rec := range l.p.Plugins {
		var found natives.Plugin
		for _, p := range installed {
			if p.Name() == rec.Name {
				found = p
			}
		}
		if found == nil {
			return fmt.Errorf("image needs the native plugin %q (version %d), which this world does not have", rec.Name, rec.Version)
		}
		if rec.Version > found.Version() {
			return fmt.Errorf("image needs the native plugin %q version %d, but this world has version %d", rec.Name, rec.Version, found.Version())
		}
		l.plugins = append(l.plugins, found)
	}
	return nil
}

func (l *loader) plugin(i uint64) natives.Plugin {
	if i >= uint64(len(l.plugins)) {
		l.failf("plugin %d out of range", i)
	}
	return l.plugins[i]
}

// pluginError is a plugin's failure during a load (not a corrupt image).
type pluginError struct{ err error }

// rebindNatives gives marked ordinary objects their Go state back, then
// restores each plugin's own state.
func (l *loader) rebindNatives() {
	n := l.p.Natives
	if len(n)%3 != 0 {
		l.failf("native records are malformed")
	}
	for i := 0; i < len(n); i += 3 {
		o := l.object(code(tagObject, n[i]))
		p := l.plugin(n[i+1])
		if err := p.Rebind(l.v, o, l.value(n[i+2])); err != nil {
			panic(&pluginError{fmt.Errorf("plugin %s: %w", p.Name(), err)})
		}
	}
	for i, rec := range l.p.Plugins {
		var st goja.Value
		if rec.State != codeNone {
			st = l.value(rec.State)
		}
		if err := l.plugins[i].RestoreState(l.v, st); err != nil {
			panic(&pluginError{fmt.Errorf("plugin %s: %w", rec.Name, err)})
		}
	}
}
