package image_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// options gives a world the host natives (timers, console, fs, require)
// and an event loop on a clock that jumps to the next timer, so that the
// example runs at once and always prints the same.
func options() vm.Options {
	return vm.Options{Setup: []func(*vm.VM) error{
		natives.Setup(natives.Default()...),
		func(v *vm.VM) error {
			v.Loop().SetClock(vm.NewVirtualClock(time.Unix(0, 0)))
			return nil
		},
	}}
}

// A world is made, runs a script and its event loop, and is checkpointed to
// an image file; a fresh world is loaded from the image, resumed, and goes
// on where the first one stopped: its timer fires after the load.
func Example() {
	dir, err := os.MkdirTemp("", "stasis-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "counter.img")

	world, err := image.NewWorld(options())
	if err != nil {
		log.Fatal(err)
	}
	if _, err := world.RunScript("counter.js", `
		let count = 0;
		function tick() { count++; console.log("tick", count) }
		setTimeout(tick, 10);
		stasis.onResume(() => console.log("resumed at", count));
	`); err != nil {
		log.Fatal(err)
	}
	if err := world.Loop().Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	if _, err := world.RunScript("later.js", `setTimeout(tick, 1000)`); err != nil {
		log.Fatal(err)
	}
	// Checkpoint runs the world's stasis.onSave hooks, then saves it;
	// the pending timer is saved with it.
	if err := image.Checkpoint(path, world, image.SaveOptions{}); err != nil {
		log.Fatal(err)
	}

	resumed, meta, err := image.LoadFile(path, image.LoadOptions{VM: options()})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("image made by goja", meta.GojaVersion != "")
	if err := image.Resume(resumed, nil); err != nil {
		log.Fatal(err)
	}
	if err := resumed.Loop().Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	// Output:
	// tick 1
	// image made by goja true
	// resumed at 1
	// tick 2
}

// A script saves its own world with stasis.saveImage, which resolves once
// the save is done, at the next safe point; AttachSaver lets it.
func ExampleAttachSaver() {
	dir, err := os.MkdirTemp("", "stasis-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	world, err := image.NewWorld(options())
	if err != nil {
		log.Fatal(err)
	}
	image.AttachSaver(world)
	path := filepath.Join(dir, "self.img")
	world.Runtime().Set("imagePath", path)
	if _, err := world.RunScript("self.js", `
		let saves = 0;
		stasis.saveImage(imagePath).then(() => { saves++; console.log("saved", saves) });
	`); err != nil {
		log.Fatal(err)
	}
	if err := world.Loop().Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	resumed, _, err := image.LoadFile(path, image.LoadOptions{VM: options()})
	if err != nil {
		log.Fatal(err)
	}
	if err := image.Resume(resumed, nil); err != nil {
		log.Fatal(err)
	}
	if err := resumed.Loop().Run(context.Background()); err != nil {
		log.Fatal(err)
	}
	v, err := resumed.RunScript("probe.js", `saves`)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("saves in the resumed world:", v)
	// Output:
	// saved 1
	// saved 1
	// saves in the resumed world: 1
}
