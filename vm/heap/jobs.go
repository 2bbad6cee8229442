package heap

import (
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
)

// goja's job queue (Runtime.jobQueue, a []func()) holds the promise jobs
// that run when the outermost call from Go returns (Runtime.leave). Node
// runs process.nextTick callbacks before the promise jobs queued by the same
// task, which needs a job at the front of that queue: PrependJob.

var jobs struct {
	once   sync.Once
	offset uintptr
	err    error
}

func checkJobQueue() error {
	jobs.once.Do(func() {
		f, ok := reflect.TypeOf(goja.Runtime{}).FieldByName("jobQueue")
		switch {
		case !ok:
			jobs.err = fmt.Errorf("field \"jobQueue\" missing in goja.Runtime")
		case f.Type != reflect.TypeOf([]func(){}):
			jobs.err = fmt.Errorf("Runtime.jobQueue has type %s, want []func()", f.Type)
		default:
			jobs.offset = f.Offset
		}
	})
	return jobs.err
}

// CheckJobs verifies the layout of what PrependJob, AppendJob, PendingJobs
// and PushFrame use; the job functions panic if it returns an error.
func CheckJobs() error {
	if err := checkJobQueue(); err != nil {
		return err
	}
	_, err := callStackOf(nil)
	return err
}

// jobQueue returns rt's job queue.
func jobQueue(rt *goja.Runtime) *[]func() {
	if err := checkJobQueue(); err != nil {
		panic(err)
	}
	return (*[]func())(unsafe.Add(unsafe.Pointer(rt), jobs.offset))
}

// PrependJob puts job at the front of rt's job queue: it runs before the
// jobs queued so far. Call it only on rt's goroutine, after Check.
func PrependJob(rt *goja.Runtime, job func()) {
	q := jobQueue(rt)
	*q = append([]func(){job}, *q...)
}

// AppendJob puts job at the end of rt's job queue, as a promise job would be.
func AppendJob(rt *goja.Runtime, job func()) {
	q := jobQueue(rt)
	*q = append(*q, job)
}

// PendingJobs returns how many jobs wait in rt's queue. While goja runs the
// queue, these are the jobs queued since the current batch began.
func PendingJobs(rt *goja.Runtime) int { return len(*jobQueue(rt)) }

// A call from Go into a JavaScript function (goja.AssertFunction) runs the
// job queue when it returns with goja's call stack empty, and so does every
// such call made by a job while the queue runs: a Go function called back
// from a promise job (a nextTick drain, a queueMicrotask callback) would
// run the jobs queued after it first. RunProgram keeps a frame on the call
// stack while it runs the queue, which prevents that. PushFrame and
// PopFrame let a caller do the same around a function call; the caller
// then runs the queue with RunProgram.

var frames struct {
	once      sync.Once
	vmField   reflect.StructField
	callStack reflect.StructField
	err       error
}

func callStackOf(rt *goja.Runtime) (reflect.Value, error) {
	frames.once.Do(func() {
		f, ok := reflect.TypeOf(goja.Runtime{}).FieldByName("vm")
		if !ok || f.Type.Kind() != reflect.Ptr || f.Type.Elem().Kind() != reflect.Struct {
			frames.err = fmt.Errorf("goja layout changed: Runtime.vm is not a pointer to a struct")
			return
		}
		cs, ok := f.Type.Elem().FieldByName("callStack")
		if !ok || cs.Type.Kind() != reflect.Slice || cs.Type.Elem().Kind() != reflect.Struct {
			frames.err = fmt.Errorf("goja layout changed: vm.callStack is not a slice of contexts")
			return
		}
		frames.vmField, frames.callStack = f, cs
	})
	if frames.err != nil || rt == nil {
		return reflect.Value{}, frames.err
	}
	vmPtr := *(*unsafe.Pointer)(unsafe.Add(unsafe.Pointer(rt), frames.vmField.Offset))
	return reflect.NewAt(frames.callStack.Type, unsafe.Add(vmPtr, frames.callStack.Offset)).Elem(), nil
}

// PushFrame pushes an empty frame on rt's call stack, as RunProgram does
// for a script. Call it only on rt's goroutine while no JavaScript runs.
func PushFrame(rt *goja.Runtime) error {
	cs, err := callStackOf(rt)
	if err != nil {
		return err
	}
	cs.Set(reflect.Append(cs, reflect.Zero(cs.Type().Elem())))
	return nil
}

// PopFrame pops the frame PushFrame pushed.
func PopFrame(rt *goja.Runtime) {
	cs, err := callStackOf(rt)
	if err != nil || cs.Len() == 0 {
		return
	}
	cs.Set(cs.Slice(0, cs.Len()-1))
}

// DropJobs empties rt's job queue, as goja does after an interruption.
func DropJobs(rt *goja.Runtime) {
	if checkJobQueue() == nil {
		*jobQueue(rt) = nil
	}
}
