package natives

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// Asynchronous file operations: fs.readFile and fs.writeFile with a
// callback, and fs.promises.readFile and fs.promises.writeFile. The work
// runs on a goroutine of its own; its result comes back to the world as a
// task of the event loop. An operation still in flight when the world is
// saved is part of the image — its arguments and where its result goes (the
// callback, or the resolving functions of its promise) — and is started
// again when the image is loaded: a computation awaiting a file read
// carries on after the load, reading the file as it is then. (A whole-file
// read or write can be done twice without harm; this is why appendFile and
// descriptor-based operations are offered only synchronously.)

// pendingOp is an asynchronous operation in flight. Its record holds
// everything needed to start it again: op ("readFile" or "writeFile"),
// path, abs, encoding, flag, data (writes), and either callback or
// resolve and reject.
type pendingOp struct {
	id     int
	record *goja.Object
}

// asyncState is the part of the fs plugin's state that async operations use.
type asyncState struct {
	pending map[int]*pendingOp
	nextID  int
	// restarts are the operations restored from an image, started again
	// when the world is resumed.
	restarts []*pendingOp
}

func (st *fsState) async() *asyncState {
	if st.ops == nil {
		st.ops = &asyncState{pending: map[int]*pendingOp{}, nextID: 1}
	}
	return st.ops
}

// defineAsync adds readFile, writeFile and the promises namespace to m.
func (p *FS) defineAsync(v *vm.VM, m *goja.Object) {
	rt := v.Runtime()
	promises := rt.NewObject()
	// record reads the arguments of a call into an operation record; data
	// is the index of the data argument (writes), or -1.
	record := func(op string, c goja.FunctionCall, data int) *goja.Object {
		path, ok := c.Argument(0).Export().(string)
		if !ok {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"path\" argument must be of type string. Received %s", describeArg(c.Argument(0)))
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			abs = path
		}
		optIdx, defFlag := 1, "r"
		if data >= 0 {
			optIdx, defFlag = data+1, "w"
		}
		opt := c.Argument(optIdx)
		if _, isFn := goja.AssertFunction(opt); isFn {
			opt = goja.Undefined()
		}
		enc, flag := encodingOption(v, opt, defFlag)
		if _, ok := flagModes[flag]; !ok {
			throwTypef(v, "ERR_INVALID_ARG_VALUE", "The argument 'flags' is invalid. Received '%s'", flag)
		}
		rec := rt.NewObject()
		_ = rec.Set("op", op)
		_ = rec.Set("path", path)
		_ = rec.Set("abs", abs)
		_ = rec.Set("encoding", enc)
		_ = rec.Set("flag", flag)
		if data >= 0 {
			d := c.Argument(data)
			encode(v, d, enc) // reject bad data now, as Node does
			_ = rec.Set("data", d)
		} else {
			// Reject an unknown encoding now too: the read completes
			// outside any call, where a throw would end the world.
			decode(v, nil, enc)
		}
		return rec
	}
	// callback returns the last argument, which must be a function.
	callback := func(c goja.FunctionCall) goja.Value {
		cb := c.Argument(len(c.Arguments) - 1)
		if _, ok := goja.AssertFunction(cb); !ok || len(c.Arguments) == 0 {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"cb\" argument must be of type function. Received %s", describeArg(cb))
		}
		return cb
	}
	// promised gives rec a new promise's resolving functions and returns the promise.
	promised := func(rec *goja.Object) goja.Value {
		exec := rt.ToValue(func(c goja.FunctionCall) goja.Value {
			_ = rec.Set("resolve", c.Argument(0))
			_ = rec.Set("reject", c.Argument(1))
			return goja.Undefined()
		})
		promise, err := rt.New(intrinsicsOf(v).promiseCtor, exec)
		if err != nil {
			panic(err)
		}
		return promise
	}

	v.DefineFunction(m, "readFile", 3, func(c goja.FunctionCall) goja.Value {
		cb := callback(c)
		rec := record("readFile", c, -1)
		_ = rec.Set("callback", cb)
		p.start(v, rec)
		return goja.Undefined()
	})
	v.DefineFunction(m, "writeFile", 4, func(c goja.FunctionCall) goja.Value {
		cb := callback(c)
		rec := record("writeFile", c, 1)
		_ = rec.Set("callback", cb)
		p.start(v, rec)
		return goja.Undefined()
	})
	v.DefineFunction(promises, "readFile", 2, func(c goja.FunctionCall) goja.Value {
		rec := record("readFile", c, -1)
		promise := promised(rec)
		p.start(v, rec)
		return promise
	})
	v.DefineFunction(promises, "writeFile", 3, func(c goja.FunctionCall) goja.Value {
		rec := record("writeFile", c, 1)
		promise := promised(rec)
		p.start(v, rec)
		return promise
	})
	_ = m.DefineDataProperty("promises", promises, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
}

// start runs the operation of rec on a goroutine and keeps the event loop
// alive until its result has been delivered.
func (p *FS) start(v *vm.VM, rec *goja.Object) {
	p.launch(v, p.enqueue(v, rec))
}

// enqueue records the operation of rec as in flight, without starting it.
func (p *FS) enqueue(v *vm.VM, rec *goja.Object) *pendingOp {
	as := fsOf(v).async()
	op := &pendingOp{id: as.nextID, record: rec}
	as.nextID++
	as.pending[op.id] = op
	return op
}

// launch starts op on a goroutine, if the world's grants allow it; a
// denied operation fails as a failed read or write does, through its
// callback or promise.
func (p *FS) launch(v *vm.VM, op *pendingOp) {
	rec := op.record
	abs, flag, kind := rec.Get("abs").String(), rec.Get("flag").String(), rec.Get("op").String()
	var data []byte
	if kind == "writeFile" {
		data = encode(v, rec.Get("data"), rec.Get("encoding").String())
	}
	mode := flagModes[flag]
	l := v.Loop()
	l.Ref()
	if err := checkOpen(v, abs, mode); err != nil {
		l.Post(func() error {
			l.Unref()
			return p.finish(v, op, nil, err)
		})
		return
	}
	go func() {
		var result []byte
		var err error
		if kind == "writeFile" {
			err = writeWhole(abs, mode, data)
		} else {
			result, err = readWhole(abs, mode)
		}
		l.Post(func() error {
			l.Unref()
			return p.finish(v, op, result, err)
		})
	}()
}

func readWhole(path string, mode int) ([]byte, error) {
	f, err := os.OpenFile(path, mode, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func writeWhole(path string, mode int, data []byte) error {
	f, err := os.OpenFile(path, mode, 0o666)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// finish delivers an operation's result, on the loop's goroutine.
func (p *FS) finish(v *vm.VM, op *pendingOp, data []byte, err error) error {
	as := fsOf(v).async()
	if as.pending[op.id] != op {
		return nil // not this world's any more
	}
	delete(as.pending, op.id)
	rec := op.record
	kind, path := rec.Get("op").String(), rec.Get("path").String()
	var jsErr, result goja.Value = goja.Null(), goja.Undefined()
	var denied *vm.AccessDeniedError
	if errors.As(err, &denied) {
		jsErr = accessError(v, err)
	} else if err != nil {
		syscallName := "open"
		if kind == "writeFile" {
			syscallName = "write"
		}
		jsErr = fsError(v, syscallName, path, unwrapPathError(err))
	} else if kind == "readFile" {
		if terr := v.Try("fs.readFile", func() error {
			result = decode(v, data, rec.Get("encoding").String())
			return nil
		}); terr != nil {
			return terr
		}
	}
	if cb := rec.Get("callback"); cb != nil && !goja.IsUndefined(cb) {
		args := []goja.Value{jsErr}
		if kind == "readFile" && err == nil {
			args = append(args, result)
		}
		_, cerr := v.Call(cb, goja.Undefined(), args...)
		return cerr
	}
	settle := rec.Get("resolve")
	arg := result
	if err != nil {
		settle, arg = rec.Get("reject"), jsErr
	}
	if _, ok := goja.AssertFunction(settle); !ok {
		return fmt.Errorf("fs.%s: the operation's promise was lost", kind)
	}
	_, cerr := v.Call(settle, goja.Undefined(), arg)
	return cerr
}

// savePending returns the records of the operations in flight, in the
// order they were started.
func (st *fsState) savePending(rt *goja.Runtime) goja.Value {
	if st.ops == nil || len(st.ops.pending) == 0 {
		return nil
	}
	ids := make([]int, 0, len(st.ops.pending))
	for id := range st.ops.pending {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	list := make([]any, len(ids))
	for i, id := range ids {
		list[i] = st.ops.pending[id].record
	}
	return rt.NewArray(list...)
}

// restorePending records the saved operations as in flight; resumeFS
// starts them again when the world is resumed.
func (p *FS) restorePending(v *vm.VM, list goja.Value) error {
	o, ok := list.(*goja.Object)
	if !ok {
		return nil
	}
	n := o.Get("length").ToInteger()
	for i := int64(0); i < n; i++ {
		rec, ok := o.Get(fmt.Sprint(i)).(*goja.Object)
		if !ok {
			return fmt.Errorf("pending file operation %d is not an object", i)
		}
		switch k := rec.Get("op").String(); k {
		case "readFile", "writeFile":
		default:
			return fmt.Errorf("pending file operation %d has an unknown kind %q", i, k)
		}
		if _, ok := flagModes[rec.Get("flag").String()]; !ok {
			return fmt.Errorf("pending file operation %d has unknown flags", i)
		}
		if rec.Get("op").String() == "writeFile" {
			if err := v.Try("restore fs operation", func() error {
				encode(v, rec.Get("data"), rec.Get("encoding").String())
				return nil
			}); err != nil {
				return fmt.Errorf("pending file operation %d: %w", i, err)
			}
		}
		as := fsOf(v).async()
		as.restarts = append(as.restarts, p.enqueue(v, rec))
	}
	return nil
}
