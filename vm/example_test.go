package vm_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// In tests, give the event loop a ManualClock: in auto mode a loop with
// nothing to do but wait jumps the clock to its next timer, so timers fire
// in the order of their due times, at once, however busy the machine is.
// (Without auto mode the clock moves only on Advance.)
func ExampleManualClock() {
	start := time.Unix(0, 0)
	clock := vm.NewManualClock(start, true)
	v, err := vm.New(vm.Options{Setup: []func(*vm.VM) error{
		natives.Setup(natives.Default()...),
		func(v *vm.VM) error { v.Loop().SetClock(clock); return nil },
	}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := v.RunScript("timers.js", `
		setTimeout(() => console.log("an hour later"), 3600 * 1000);
		setTimeout(() => console.log("a second later"), 1000);
		let n = 0;
		const iv = setInterval(() => { console.log("tick", ++n); if (n === 2) clearInterval(iv) }, 400);
	`); err != nil {
		log.Fatal(err)
	}
	if err := v.Loop().Run(context.Background()); err != nil {
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
