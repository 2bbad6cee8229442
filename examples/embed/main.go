// Command embed shows the Go embedding API: it builds a world, saves it to
// an image, loads the image into a fresh world and calls into the resumed
// world from Go.
//
//	go run ./examples/embed
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis"
)

func main() {
	ctx := context.Background()
	world, err := stasis.New(stasis.Options{})
	if err != nil {
		log.Fatal(err)
	}
	_, err = world.RunScript("counter.js", `
		let hits = 0;
		function hit(who) { hits++; return who + " is visitor number " + hits }
		hit("ada");
	`)
	if err != nil {
		log.Fatal(err)
	}

	dir, err := os.MkdirTemp("", "stasis-embed")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "counter.img")
	if err := world.SaveImage(ctx, path); err != nil {
		log.Fatal(err)
	}

	resumed, err := stasis.Load(ctx, path, stasis.Options{})
	if err != nil {
		log.Fatal(err)
	}
	if err := resumed.Resume(); err != nil {
		log.Fatal(err)
	}
	// Values cross between Go and JavaScript through the goja runtime.
	hit, ok := goja.AssertFunction(resumed.Runtime().Get("hit"))
	if !ok {
		log.Fatal("hit is not a function")
	}
	res, err := hit(goja.Undefined(), resumed.Runtime().ToValue("grace"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res)
}
