// Package pages asks the kernel to back memory that is about to be
// written all over with pages now, in one call, instead of one page fault
// at a time as each page is first written (Populate). A load writes tens
// of megabytes of fresh memory (a decompressed payload, decoded programs),
// and on the paravirtualised machines the benchmarks run on a fault costs
// about twice the CPU of a page populated in bulk (64 MB: 320 against
// 185 ms).
package pages
