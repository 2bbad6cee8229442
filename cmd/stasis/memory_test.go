package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// BenchmarkSaveMemory compares, in the same run, the peak resident memory
// of a process that builds a world of 200,000 records (about a million
// values) and saves it (stasis save-image) with that of a process that
// builds the same world and exits (stasis run): maxrss-ratio is what a save
// adds to the world's own peak.
func BenchmarkSaveMemory(b *testing.B) {
	bin := stasisBinary(b)
	dir := b.TempDir()
	data := `var data = [];
for (var i = 0; i < 200000; i++) data.push({ id: i, name: "n" + (i % 1000), ok: i % 2 == 0, pos: { x: i, y: -i }, tags: ["t" + (i % 7), { w: i % 3 }] });
`
	if err := os.WriteFile(filepath.Join(dir, "data.js"), []byte(data), 0o644); err != nil {
		b.Fatal(err)
	}
	maxRSS := func(args ...string) int64 {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		if err := cmd.Run(); err != nil {
			b.Fatalf("%v: %v: %s", args, err, errOut.String())
		}
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			b.Skip("no resource usage on this system")
		}
		return ru.Maxrss // KiB on Linux
	}
	var run, save int64
	for i := 0; i < b.N; i++ {
		run += maxRSS("run", "data.js")
		save += maxRSS("save-image", "-o", "data.img", "data.js")
	}
	b.ReportMetric(float64(run)/float64(b.N)*1024, "run-maxrss-bytes")
	b.ReportMetric(float64(save)/float64(b.N)*1024, "save-maxrss-bytes")
	b.ReportMetric(float64(save)/float64(run), "maxrss-ratio")
}
