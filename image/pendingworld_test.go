package image

import (
	"bytes"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// TestLoadMakesWorldBesideReading: Load makes the world's VM (running the
// options' Setup functions) on another goroutine while it reads the image.
// Whatever happens there is what the load reports, as if the load had made
// the world itself: a Setup's error is Load's error, a Setup's panic is
// Load's panic on the caller's goroutine, a loaded world has what Setup
// installed; and a load that fails returns only once the Setup is done.
func TestLoadMakesWorldBesideReading(t *testing.T) {
	good := savedImage(t, `globalThis.n = 41;`)
	var badPayload bytes.Buffer
	meta := &Meta{StasisVersion: "x", GojaVersion: "y", Layout: heap.Fingerprint()}
	if err := format.Write(&badPayload, meta, []byte("\xff\xfe\xfd")); err != nil {
		t.Fatal(err)
	}
	errSetup := errors.New("setup refused")
	for _, tc := range []struct {
		name      string
		image     []byte
		setup     func(*vm.VM) error
		wantErr   error // errors.Is; nil with no probe: any error
		wantPanic any
		probe     string // printed by the loaded world
	}{
		{name: "setup installs", image: good, probe: "42 1",
			setup: func(v *vm.VM) error { return v.Runtime().Set("fromSetup", 1) }},
		{name: "setup fails", image: good, wantErr: errSetup,
			setup: func(v *vm.VM) error { return errSetup }},
		{name: "setup panics", image: good, wantPanic: "setup broke",
			setup: func(v *vm.VM) error { panic("setup broke") }},
		{name: "image truncated", image: good[:len(good)/2], wantErr: format.ErrTruncated,
			setup: func(v *vm.VM) error { return nil }},
		{name: "payload corrupt", image: badPayload.Bytes(), wantErr: ErrCorrupt,
			setup: func(v *vm.VM) error { return nil }},
		{name: "image empty", image: nil, wantErr: nil,
			setup: func(v *vm.VM) error { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var done atomic.Bool
			out := &bytes.Buffer{}
			opts := LoadOptions{VM: vm.Options{Stdout: out, Setup: []func(*vm.VM) error{
				func(v *vm.VM) error { defer done.Store(true); return tc.setup(v) },
			}}}
			var (
				w   *vm.VM
				err error
				got any
			)
			func() {
				defer func() { got = recover() }()
				w, _, err = Load(bytes.NewReader(tc.image), opts)
			}()
			if !done.Load() {
				t.Fatal("Load returned before the world's Setup was done")
			}
			if got != tc.wantPanic {
				t.Fatalf("Load panicked with %v, want %v", got, tc.wantPanic)
			}
			if tc.wantPanic != nil {
				return
			}
			switch {
			case tc.probe == "" && tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) || w != nil {
					t.Fatalf("got world %v, error %v; want %v", w, err, tc.wantErr)
				}
			case tc.probe == "":
				if err == nil || w != nil {
					t.Fatalf("got world %v, error %v; want an error", w, err)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				run(t, w, "probe.js", `console.log(n + 1, fromSetup)`)
				if out.String() != tc.probe+"\n" {
					t.Fatalf("probe printed %q, want %q", out, tc.probe+"\n")
				}
			}
		})
	}
}
