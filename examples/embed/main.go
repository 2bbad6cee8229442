// Command embed shows the Go embedding API: it builds a world, saves it to
// an image, loads the image into a fresh VM and calls into the resumed world.
//
//	go run ./examples/embed
package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/vm"
)

func main() {
	world, err := image.NewWorld(vm.Options{})
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
	if err := image.SaveFile(path, world, image.SaveOptions{}); err != nil {
		log.Fatal(err)
	}

	resumed, meta, err := image.LoadFile(path, image.LoadOptions{})
	if err != nil {
		log.Fatal(err)
	}
	if err := image.Resume(resumed, nil); err != nil {
		log.Fatal(err)
	}
	hit, ok := goja.AssertFunction(resumed.Runtime().Get("hit"))
	if !ok {
		log.Fatal("hit is not a function")
	}
	res, err := hit(goja.Undefined(), resumed.Runtime().ToValue("grace"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("image from Stasis %s: %s\n", meta.StasisVersion, res)
}
