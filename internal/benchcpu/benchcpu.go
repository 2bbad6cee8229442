// Package benchcpu measures the CPU time of a benchmark's loop, which the
// benchmarks report as cpu-ns/op beside their wall time: on a machine
// shared with other jobs, wall time varies with their load far more than
// CPU time does. It is for tests only.
package benchcpu

import (
	"testing"
	"time"
)

// Meter measures the process's CPU time from Start to Stop.
type Meter struct{ start time.Duration }

// Start resets b's timer and starts measuring.
func Start(b *testing.B) Meter {
	b.ResetTimer()
	return Meter{Process()}
}

// Stop stops b's timer and reports the CPU time since Start, per
// operation, as cpu-ns/op; nothing where the process's CPU time is not
// measured.
func (m Meter) Stop(b *testing.B) {
	b.StopTimer()
	if d := Process() - m.start; d > 0 && m.start > 0 {
		b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
