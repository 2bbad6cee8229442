package vm

import (
	"fmt"
	"io"

	"github.com/dop251/goja"
)

// installConsole defines console.log/info/debug (stdout) and warn/error (stderr).
func (v *VM) installConsole() error {
	c := v.rt.NewObject()
	out := func(w func() io.Writer) func(goja.FunctionCall) goja.Value {
		return func(call goja.FunctionCall) goja.Value {
			fmt.Fprintln(w(), v.formatArgs(call.Arguments))
			return goja.Undefined()
		}
	}
	stdout := func() io.Writer { return v.opts.Stdout }
	stderr := func() io.Writer { return v.opts.Stderr }
	v.DefineFunction(c, "log", 0, out(stdout))
	v.DefineFunction(c, "info", 0, out(stdout))
	v.DefineFunction(c, "debug", 0, out(stdout))
	v.DefineFunction(c, "warn", 0, out(stderr))
	v.DefineFunction(c, "error", 0, out(stderr))
	return v.rt.GlobalObject().DefineDataProperty("console", c, goja.FLAG_TRUE, goja.FLAG_FALSE, goja.FLAG_TRUE)
}

// formatArgs formats console arguments the way Node does (see FormatArgs).
func (v *VM) formatArgs(args []goja.Value) string {
	return v.FormatArgs(args, InspectOptions{Throw: true})
}
