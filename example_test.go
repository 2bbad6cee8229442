package stasis_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/stasisvm/stasis"
	"github.com/stasisvm/stasis/vm"
)

// A world runs a script and its event loop and is saved with a timer still
// pending; a fresh world loaded from the image resumes where it stopped,
// and the timer fires there.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "app")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "app.img")

	// A fresh world with Node-like globals: console, timers, require, process.
	world, err := stasis.New(stasis.Options{})
	if err != nil {
		log.Fatal(err)
	}
	_, err = world.RunScript("app.js", `
		let visits = 0;
		function visit(who) { visits++; console.log(who, "is visitor", visits) }
		setTimeout(() => visit("ada"), 10);
		stasis.onResume(() => console.log("resumed after", visits, "visits"));
	`)
	if err != nil {
		log.Fatal(err)
	}
	if err := world.RunLoop(ctx); err != nil { // runs timers until none is left
		log.Fatal(err)
	}
	if _, err := world.RunScript("later.js", `setTimeout(() => visit("grace"), 10)`); err != nil {
		log.Fatal(err)
	}
	// SaveImage runs the stasis.onSave hooks, then writes the image
	// atomically; the pending timer is saved with the world.
	if err := world.SaveImage(ctx, path); err != nil {
		log.Fatal(err)
	}

	// Later, in this process or another: the same world, where it stopped.
	resumed, err := stasis.Load(ctx, path, stasis.Options{})
	if err != nil {
		log.Fatal(err)
	}
	if err := resumed.Resume(); err != nil { // onResume hooks, then main
		log.Fatal(err)
	}
	if err := resumed.RunLoop(ctx); err != nil {
		log.Fatal(err)
	}
	visits, err := resumed.RunScript("probe.js", `visits`)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("visits:", visits)
	// Output:
	// ada is visitor 1
	// resumed after 1 visits
	// grace is visitor 2
	// visits: 2
}

// A script saves its own world with stasis.saveImage: the promise it returns
// resolves once the save is done, at the next safe point of the event loop,
// and resolves again, with resumed set, in every world loaded from the image.
func Example_saveImageFromJavaScript() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "app")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	world, err := stasis.New(stasis.Options{Args: []string{filepath.Join(dir, "self.img")}})
	if err != nil {
		log.Fatal(err)
	}
	_, err = world.RunScript("self.js", `
		let step = "before the save";
		async function main() {
			const { resumed } = await stasis.saveImage(stasis.args[0]);
			console.log(resumed ? "resumed, " + step : "saved, " + step);
			step = "after the save";
		}
		main();
	`)
	if err != nil {
		log.Fatal(err)
	}
	if err := world.RunLoop(ctx); err != nil {
		log.Fatal(err)
	}

	resumed, err := stasis.Load(ctx, filepath.Join(dir, "self.img"), stasis.Options{})
	if err != nil {
		log.Fatal(err)
	}
	if err := resumed.Resume(); err != nil {
		log.Fatal(err)
	}
	if err := resumed.RunLoop(ctx); err != nil {
		log.Fatal(err)
	}
	// Output:
	// saved, before the save
	// resumed, before the save
}

// Tests give a world a manual clock: in auto mode, a loop with nothing to do
// but wait jumps the clock to its next timer, so timers fire in the order of
// their due times at once, however busy the machine. A world loaded with
// the same clock goes on from the time it reads.
func ExampleOptions_manualClock() {
	ctx := context.Background()
	start := time.Unix(0, 0)
	clock := vm.NewManualClock(start, true)
	world, err := stasis.New(stasis.Options{Clock: clock})
	if err != nil {
		log.Fatal(err)
	}
	_, err = world.RunScript("timers.js", `
		setTimeout(() => console.log("an hour later"), 3600 * 1000);
		setTimeout(() => console.log("a second later"), 1000);
		let n = 0;
		const every = setInterval(() => { console.log("tick", ++n); if (n === 2) clearInterval(every) }, 400);
	`)
	if err != nil {
		log.Fatal(err)
	}
	if err := world.RunLoop(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("the clock read", clock.Now().Sub(start))
	// Output:
	// tick 1
	// tick 2
	// a second later
	// an hour later
	// the clock read 1h0m0s
}
