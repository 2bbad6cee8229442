package repl

import (
	"go/build"
	"testing"
)

// TestNoHeapImports keeps the REPL and the CLI out of goja's internals:
// they reach them only through the APIs of vm and image meant for them
// (vm.VM.GlobalNames, vm.KindOf, image.SummarizeWorld, …), never through
// vm/heap, the one package that reads goja's hidden structures.
func TestNoHeapImports(t *testing.T) {
	const heapPkg = "github.com/stasisvm/stasis/vm/heap"
	for _, dir := range []string{".", "../cmd/stasis"} {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, imports := range [][]string{pkg.Imports, pkg.TestImports, pkg.XTestImports} {
			for _, imp := range imports {
				if imp == heapPkg {
					t.Errorf("the package in %s imports %s; use the vm or image API meant for it", dir, heapPkg)
				}
			}
		}
	}
}
