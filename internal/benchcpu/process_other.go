//go:build !unix

package benchcpu

import "time"

// Process returns 0 where the process's CPU time is not measured; the
// benchmarks then report no cpu-ns/op.
func Process() time.Duration { return 0 }
