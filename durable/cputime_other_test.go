//go:build !unix

package durable_test

import "time"

// processCPU returns 0 where the process's CPU time is not measured; the
// benchmarks then report no cpu-ns/op.
func processCPU() time.Duration { return 0 }
