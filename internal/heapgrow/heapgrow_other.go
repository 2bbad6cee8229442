//go:build !linux

package heapgrow

func ahead(int) func() { return func() {} }
