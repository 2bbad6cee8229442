package durable_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stasisvm/stasis/durable"
	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/image/store/storetest"
	"github.com/stasisvm/stasis/internal/benchcpu"
	"github.com/stasisvm/stasis/natives"
	"github.com/stasisvm/stasis/vm"
)

// worldScript builds a world of n records (about 5n values).
func worldScript(n int) string {
	return fmt.Sprintf(`globalThis.items = Array.from({length: %d}, (_, i) =>
  ({id: i, name: "item " + i, done: i %% 3 === 0, tags: ["t" + (i %% 7), i]}));`, n)
}

var benchSizes = []int{1000, 10000, 100000}

// BenchmarkCheckpoint measures one checkpoint of a world of each size into
// each store (onSave hooks, the save, the write with its fsyncs and the
// generation check), against the baseline "save": image.Save of the same
// world into memory. bench/run.sh prints the ratios.
func BenchmarkCheckpoint(b *testing.B) {
	opts := vm.Options{Setup: []func(*vm.VM) error{natives.Setup(natives.Default()...)}}
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("save/%d", n), func(b *testing.B) {
			v, err := image.NewWorld(opts)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := v.RunScript("world.js", worldScript(n)); err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			cpu := benchcpu.Start(b)
			for i := 0; i < b.N; i++ {
				buf.Reset()
				if err := image.Save(&buf, v, image.SaveOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			cpu.Stop(b)
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
		for _, k := range []struct {
			name string
			loc  func(b *testing.B) string
		}{
			{"files", func(b *testing.B) string { return filepath.Join(b.TempDir(), "w.img") }},
			{"sqlite", func(b *testing.B) string { return "sqlite:" + filepath.Join(b.TempDir(), "w.db") + "#w" }},
			{"postgres", func(b *testing.B) string { return storetest.Postgres(b) + "#w" }},
		} {
			b.Run(fmt.Sprintf("%s/%d", k.name, n), func(b *testing.B) {
				w, err := durable.OpenLocation(context.Background(), k.loc(b), durable.Options{VM: opts})
				if err != nil {
					b.Fatal(err)
				}
				defer w.Close()
				if _, err := w.VM.RunScript("world.js", worldScript(n)); err != nil {
					b.Fatal(err)
				}
				// A checkpoint's waits (fsync, a database's round trip)
				// are in its wall time only.
				cpu := benchcpu.Start(b)
				for i := 0; i < b.N; i++ {
					if err := w.Checkpoint(); err != nil {
						b.Fatal(err)
					}
				}
				cpu.Stop(b)
			})
		}
	}
}
