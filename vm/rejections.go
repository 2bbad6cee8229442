package vm

import (
	"github.com/dop251/goja"
)

// Unhandled promise rejections, as Node reports them: a promise rejected
// with no handler attached by the end of the task (and its microtasks) that
// rejected it is an uncaught error of that task.

// UnhandledRejection is the error for a promise that was rejected and had no
// handler by the end of a task.
type UnhandledRejection struct {
	Reason goja.Value // what the promise was rejected with
}

// Error renders the reason as Node does: "Uncaught (in promise) " and, for an
// Error object, its stack.
func (e *UnhandledRejection) Error() string {
	return "Uncaught (in promise) " + reasonText(e.Reason)
}

// reasonText renders a rejection reason: an Error's stack when it has one
// (its frames as Node writes them), otherwise its string form.
func reasonText(r goja.Value) (text string) {
	defer func() {
		if recover() != nil {
			text = "(a value whose toString throws)"
		}
	}()
	if r == nil {
		return "undefined"
	}
	if o, ok := r.(*goja.Object); ok {
		if st := o.Get("stack"); st != nil && !goja.IsUndefined(st) {
			if s, ok := st.Export().(string); ok && s != "" {
				return NodeStack(s)
			}
		}
	}
	return r.String()
}

// trackRejections installs the runtime's rejection tracker.
func (v *VM) trackRejections() {
	v.rt.SetPromiseRejectionTracker(func(p *goja.Promise, op goja.PromiseRejectionOperation) {
		switch op {
		case goja.PromiseRejectionReject:
			v.rejected = append(v.rejected, p)
		case goja.PromiseRejectionHandle:
			for i, q := range v.rejected {
				if q == p {
					v.rejected = append(v.rejected[:i], v.rejected[i+1:]...)
					break
				}
			}
		}
	})
}

// CheckRejections returns an *UnhandledRejection for the first promise
// rejected since the last check that still has no handler, and forgets the
// others. The event loop calls it after every task; call it after running
// code outside the loop (a script, a REPL input).
func (v *VM) CheckRejections() error {
	rejected := v.rejected
	v.rejected = nil
	for _, p := range rejected {
		if p.State() == goja.PromiseStateRejected {
			return &UnhandledRejection{Reason: p.Result()}
		}
	}
	return nil
}
