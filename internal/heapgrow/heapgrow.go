// Package heapgrow makes the Go heap larger ahead of a burst of allocation,
// in memory the kernel may back with transparent huge pages (Ahead).
//
// A process that loads an image makes its whole world at once, and every
// page of the heap it grows into is first touched then: one page fault per
// 4 KiB. On the paravirtualised machines the benchmarks run on, a fault
// costs about 10 us of system time, and faults were a third of a bundle's
// CPU (TypeScript's bundle took 20,000). Go never asks for huge pages on
// its heap, and the kernel (where transparent_hugepage/enabled is
// "madvise", the common setting) gives them only to memory that asked; the
// advice belongs to a mapping, and the runtime maps each stretch of heap as
// it first needs it, so the advice must come after the mapping and before
// the first touch. Ahead does that by allocating the stretch itself.
package heapgrow

// Ahead grows the heap by about n bytes now, advises the kernel to back
// the new stretch with huge pages, and frees it again (one collection,
// with the collector's percent restored after), so that the allocations
// that follow land in memory that faults a huge page (2 MiB on x86-64)
// at a time. It does nothing for less than twice a huge page, where the
// kernel gives no huge pages to advised memory, or off Linux. Nothing
// stays allocated; only the pages later touched become resident, a huge
// page at a time.
//
// Call settle once the burst is over: it takes the advice back, so that
// the rest of a long-running process's life is as Go's heap usually is.
// Pages already backed by huge pages keep them; memory touched after
// faults 4 KiB at a time; faults no longer stop to compact memory, and the
// kernel's khugepaged no longer rebuilds huge pages from memory the Go
// runtime gave back (which kept resident memory up: why Go itself stopped
// advising its heap, golang/go#63334). settle is never nil, and calling it
// more than once does nothing more.
func Ahead(n int) (settle func()) { return ahead(n) }
