package vm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dop251/goja"
)

// DefaultMaxCallStackSize is the call depth a VM allows unless
// Options.MaxCallStackSize says otherwise: about what Node allows a simple
// recursive function, and far below what would exhaust Go's stack.
const DefaultMaxCallStackSize = 10000

// StackOverflowError is the error of a call nested deeper than the VM
// allows (Options.MaxCallStackSize): a runaway recursion, a getter that
// reads itself. It ends the run of the outermost script, task or call from
// Go; unlike Node's RangeError, JavaScript cannot catch it (goja stops the
// whole computation), but the world stays usable.
type StackOverflowError struct {
	// Stack is the JavaScript stack where the limit was reached, innermost
	// frame first, at most a few frames.
	Stack []goja.StackFrame
}

// Error reads as Node's message.
func (e *StackOverflowError) Error() string {
	return "RangeError: Maximum call stack size exceeded"
}

// String is the message followed by the innermost frames, one per line.
func (e *StackOverflowError) String() string {
	var b strings.Builder
	b.WriteString(e.Error())
	for i, f := range e.Stack {
		if i == 10 {
			break
		}
		b.WriteString("\n    at ")
		pos := f.Position()
		if name := f.FuncName(); name != "" {
			fmt.Fprintf(&b, "%s (%s)", name, pos)
		} else {
			b.WriteString(pos.String())
		}
	}
	return b.String()
}

// stackLimit is the depth to give goja for the option value n.
func stackLimit(n int) int {
	switch {
	case n == 0:
		return DefaultMaxCallStackSize
	case n < 0:
		return 1<<31 - 1
	}
	return n
}

// plainError turns goja's uncatchable stack overflow into a
// *StackOverflowError; other errors are returned as they are.
func plainError(err error) error {
	var so *goja.StackOverflowError
	if err != nil && errors.As(err, &so) {
		st := so.Stack()
		if len(st) > 10 {
			st = st[:10]
		}
		return &StackOverflowError{Stack: st}
	}
	return err
}
