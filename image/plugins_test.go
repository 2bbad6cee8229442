package image

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// versioned is a plugin with no objects and a chosen version.
type versioned struct{ version int }

func (p *versioned) Name() string                                    { return "versioned" }
func (p *versioned) Version() int                                    { return p.version }
func (p *versioned) Install(*vm.VM) error                            { return nil }
func (p *versioned) Record(*vm.VM, *goja.Object) (goja.Value, error) { return nil, nil }
func (p *versioned) Rebind(*vm.VM, *goja.Object, goja.Value) error   { return nil }
func (p *versioned) SaveState(v *vm.VM) (goja.Value, error)          { return v.Runtime().ToValue("state"), nil }
func (p *versioned) RestoreState(v *vm.VM, state goja.Value) error   { return nil }

// An image names its plugins and their versions; a world that lacks one,
// or has an older version, refuses it with a message naming the plugin.
func TestPluginsMustMatch(t *testing.T) {
	world := func(plugins ...natives.Plugin) vm.Options {
		return vm.Options{Stdout: &bytes.Buffer{}, Setup: []func(*vm.VM) error{natives.Setup(plugins...)}}
	}
	v, err := NewWorld(world(&natives.Timers{}, &versioned{2}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.RunScript("a.js", "var t = setTimeout(() => {}, 1000)"); err != nil {
		t.Fatal(err)
	}
	var img bytes.Buffer
	if err := Save(&img, v, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		plugins []natives.Plugin
		wantErr string
	}{
		{"same plugins", []natives.Plugin{&natives.Timers{}, &versioned{2}}, ""},
		{"newer plugin", []natives.Plugin{&versioned{3}, &natives.Timers{}}, ""},
		{"older plugin", []natives.Plugin{&natives.Timers{}, &versioned{1}}, `image needs the native plugin "versioned" version 2, but this world has version 1`},
		{"missing plugin", []natives.Plugin{&versioned{2}}, `image needs the native plugin "timers" (version 1), which this world does not have`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Load(bytes.NewReader(img.Bytes()), LoadOptions{VM: world(tt.plugins...)})
			if tt.wantErr == "" && err != nil {
				t.Fatalf("load: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("load: %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}
