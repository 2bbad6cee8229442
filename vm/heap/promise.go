package heap

import (
	"fmt"
	"unsafe"

	"github.com/dop251/goja"
)

// Promises keep their reactions in Go structures (mirrored in mirror.go),
// and their resolving functions are Go closures over the promise. goja
// makes both resolving functions of a promise in one place
// (Promise.createResolvingFunctions), closing over the promise and a shared
// "already resolved" flag; the layout check finds which words of those
// closures hold them, on a sample, and the saver uses that to tell a
// promise's resolve and reject functions from other natives.
//
// A Go closure is one allocation: the code pointer, then the captured
// variables, one word each (a variable that is assigned after capture, like
// the flag, is captured by its address). The reject function captures
// exactly the flag and the promise, so its allocation holds exactly
// closureWords words; the resolve function captures those two and the
// runtime. Only the words both are guaranteed to have are ever read: reading
// further would cross into another allocation (go test -race, through
// checkptr, rightly stops the process when it sees that).

type resolverLayout struct {
	resolveCode, rejectCode uintptr
	promiseWord, flagWord   int
}

var resolvers resolverLayout

const promiseSamples = `(function () {
	var out = {};
	out.p = new Promise(function (res, rej) { out.res = res; out.rej = rej });
	out.awaiting = (async function () { await out.p })();
	out.derived = out.p.then(function () {});
	return out;
})()`

// closureWords is the size, in words, of the smaller resolving closure
// (reject's: its code pointer, the flag's address and the promise).
const closureWords = 3

// closure is the part of a resolving closure's allocation that is read.
type closure [closureWords]unsafe.Pointer

func funcval(f func(goja.FunctionCall) goja.Value) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&f))
}

// checkPromiseLayout verifies the reactions on a sample (o, what
// promiseSamples made in rt) and finds the resolving closures' layout.
func checkPromiseLayout(rt *goja.Runtime, o *goja.Object) error {
	p := o.Get("p").(*goja.Object)
	pm := (*PromiseObject)(impl(p))
	ful, rej := *pm.FulfillReactions(), *pm.RejectReactions()
	if len(ful) != 2 || len(rej) != 2 {
		return fmt.Errorf("promise sample has %d reactions, want 2", len(ful))
	}
	if *ful[0].AsyncRunner() == nil || *ful[1].Handler() == nil || *ful[1].Typ() != 0 || *rej[1].Typ() != 1 {
		return fmt.Errorf("promise sample reactions are not as expected")
	}
	resFn, rejFn := o.Get("res").(*goja.Object), o.Get("rej").(*goja.Object)
	fres, frej := funcval(*NativeOf(resFn).F()), funcval(*NativeOf(rejFn).F())
	resolvers.resolveCode, resolvers.rejectCode = *(*uintptr)(fres), *(*uintptr)(frej)
	// Find the promise and the shared flag among the captured words.
	wr, wj := (*closure)(fres), (*closure)(frej)
	resolvers.promiseWord, resolvers.flagWord = -1, -1
	for i := 1; i < closureWords; i++ {
		if wr[i] == unsafe.Pointer(pm) && wj[i] == unsafe.Pointer(pm) {
			resolvers.promiseWord = i
		}
	}
	for i := 1; i < closureWords; i++ {
		if i != resolvers.promiseWord && wr[i] == wj[i] && wr[i] != nil && wr[i] != unsafe.Pointer(rt) && *(*byte)(wr[i]) <= 1 {
			resolvers.flagWord = i
		}
	}
	if resolvers.promiseWord < 0 || resolvers.flagWord < 0 || resolvers.resolveCode == resolvers.rejectCode {
		return fmt.Errorf("cannot find the promise in goja's resolving functions")
	}
	return nil
}

// Resolver tells whether o is the resolve or reject function goja made for
// a promise, and returns that promise and whether it was already used.
func Resolver(o *goja.Object) (promise *goja.Object, reject, used, ok bool) {
	if KindOf(o) != KindNative {
		return nil, false, false, false
	}
	f := *NativeOf(o).F()
	if f == nil {
		return nil, false, false, false
	}
	fv := funcval(f)
	code := *(*uintptr)(fv)
	if code != resolvers.resolveCode && code != resolvers.rejectCode {
		return nil, false, false, false
	}
	words := (*closure)(fv)
	pm := (*PromiseObject)(words[resolvers.promiseWord])
	flag := (*bool)(words[resolvers.flagWord])
	return *pm.Val(), code == resolvers.rejectCode, *flag, true
}

// SetResolverUsed sets the "already resolved" flag shared by a promise's
// resolving functions; o must satisfy Resolver.
func SetResolverUsed(o *goja.Object, used bool) {
	words := (*closure)(funcval(*NativeOf(o).F()))
	*(*bool)(words[resolvers.flagWord]) = used
}

// NewPromiseReaction allocates a goja promiseReaction.
func NewPromiseReaction() *PromiseReaction {
	return newOf[PromiseReaction]()
}

// NewPromiseCapability allocates a goja promiseCapability.
func NewPromiseCapability() *PromiseCapability {
	return newOf[PromiseCapability]()
}

// NewJobCallback allocates a goja jobCallback.
func NewJobCallback(f func(goja.FunctionCall) goja.Value) *JobCallback {
	j := newOf[JobCallback]()
	*j.Callback() = f
	return j
}
