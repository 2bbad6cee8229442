package natives

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// The rest of Node's console, installed by the Process plugin over the
// VM's console (log, info, debug, warn, error): count, countReset, time,
// timeEnd, timeLog, assert, group, groupCollapsed, groupEnd, dir and table.
// Output inside a group is indented by two spaces per level, as in Node.
//
// The console's state (the counts, the times of the running timers, the
// group indentation) is an ordinary object under Symbol.for("stasis.state")
// of the console, so it is saved with the world: a count goes on after a
// load, and a timer started before a save includes the time the world was
// frozen.

func installConsoleExtras(v *vm.VM) error {
	rt := v.Runtime()
	console, ok := rt.GlobalObject().Get("console").(*goja.Object)
	if !ok {
		return fmt.Errorf("there is no console to complete")
	}
	sym := symbolFor(v, "stasis.state")
	st := rt.NewObject()
	counts, timers := rt.NewObject(), rt.NewObject()
	_ = counts.SetPrototype(nil)
	_ = timers.SetPrototype(nil)
	_ = st.Set("counts", counts)
	_ = st.Set("timers", timers)
	_ = st.Set("indent", 0)
	if err := console.DefineDataPropertySymbol(sym, st, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return err
	}
	state := func() *goja.Object { return console.GetSymbol(sym).ToObject(rt) }
	write := func(w io.Writer, text string) {
		if n := state().Get("indent").ToInteger(); n > 0 {
			pad := strings.Repeat(" ", int(n))
			text = pad + strings.ReplaceAll(text, "\n", "\n"+pad)
		}
		fmt.Fprintln(w, text)
	}
	printer := func(stderr bool) func(goja.FunctionCall) goja.Value {
		return func(c goja.FunctionCall) goja.Value {
			w := v.Stdout()
			if stderr {
				w = v.Stderr()
			}
			write(w, v.FormatArgs(c.Arguments, vm.InspectOptions{Throw: true}))
			return goja.Undefined()
		}
	}
	for _, name := range []string{"log", "info", "debug"} {
		v.DefineFunction(console, name, 0, printer(false))
	}
	for _, name := range []string{"warn", "error", "trace"} {
		v.DefineFunction(console, name, 0, printer(true))
	}
	label := func(c goja.FunctionCall) string {
		if a := c.Argument(0); !goja.IsUndefined(a) {
			return a.String()
		}
		return "default"
	}
	v.DefineFunction(console, "count", 0, func(c goja.FunctionCall) goja.Value {
		l := label(c)
		counts := state().Get("counts").ToObject(rt)
		n := int64(1)
		if old := counts.Get(l); old != nil && !goja.IsUndefined(old) {
			n = old.ToInteger() + 1
		}
		_ = counts.Set(l, n)
		write(v.Stdout(), fmt.Sprintf("%s: %d", l, n))
		return goja.Undefined()
	})
	v.DefineFunction(console, "countReset", 0, func(c goja.FunctionCall) goja.Value {
		l := label(c)
		counts := state().Get("counts").ToObject(rt)
		if old := counts.Get(l); old == nil || goja.IsUndefined(old) {
			write(v.Stderr(), fmt.Sprintf("Warning: Count for '%s' does not exist", l))
			return goja.Undefined()
		}
		_ = counts.Set(l, 0)
		return goja.Undefined()
	})
	now := func() float64 { return float64(v.Loop().Now().UnixNano()) / 1e6 }
	v.DefineFunction(console, "time", 0, func(c goja.FunctionCall) goja.Value {
		l := label(c)
		timers := state().Get("timers").ToObject(rt)
		if old := timers.Get(l); old != nil && !goja.IsUndefined(old) {
			write(v.Stderr(), fmt.Sprintf("Warning: Label '%s' already exists for console.time()", l))
			return goja.Undefined()
		}
		_ = timers.Set(l, now())
		return goja.Undefined()
	})
	elapsed := func(c goja.FunctionCall, end bool, what string) {
		l := label(c)
		timers := state().Get("timers").ToObject(rt)
		start := timers.Get(l)
		if start == nil || goja.IsUndefined(start) {
			write(v.Stderr(), fmt.Sprintf("Warning: No such label '%s' for console.%s()", l, what))
			return
		}
		text := l + ": " + formatDuration(now()-start.ToFloat())
		if len(c.Arguments) > 1 {
			text += " " + v.FormatArgs(c.Arguments[1:], vm.InspectOptions{Throw: true})
		}
		if end {
			_ = timers.Delete(l)
		}
		write(v.Stdout(), text)
	}
	v.DefineFunction(console, "timeEnd", 0, func(c goja.FunctionCall) goja.Value {
		elapsed(goja.FunctionCall{This: c.This, Arguments: c.Arguments[:min(1, len(c.Arguments))]}, true, "timeEnd")
		return goja.Undefined()
	})
	v.DefineFunction(console, "timeLog", 0, func(c goja.FunctionCall) goja.Value {
		elapsed(c, false, "timeLog")
		return goja.Undefined()
	})
	v.DefineFunction(console, "assert", 0, func(c goja.FunctionCall) goja.Value {
		if c.Argument(0).ToBoolean() {
			return goja.Undefined()
		}
		text := "Assertion failed"
		if len(c.Arguments) > 1 {
			text += ": " + v.FormatArgs(c.Arguments[1:], vm.InspectOptions{Throw: true})
		}
		write(v.Stderr(), text)
		return goja.Undefined()
	})
	group := func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) > 0 {
			write(v.Stdout(), v.FormatArgs(c.Arguments, vm.InspectOptions{Throw: true}))
		}
		s := state()
		_ = s.Set("indent", s.Get("indent").ToInteger()+2)
		return goja.Undefined()
	}
	v.DefineFunction(console, "group", 0, group)
	v.DefineFunction(console, "groupCollapsed", 0, group)
	v.DefineFunction(console, "groupEnd", 0, func(c goja.FunctionCall) goja.Value {
		s := state()
		_ = s.Set("indent", max(0, s.Get("indent").ToInteger()-2))
		return goja.Undefined()
	})
	v.DefineFunction(console, "dir", 0, func(c goja.FunctionCall) goja.Value {
		opts := vm.InspectOptions{Throw: true}
		if o, ok := c.Argument(1).(*goja.Object); ok {
			if d := o.Get("depth"); d != nil && !goja.IsUndefined(d) {
				if goja.IsNull(d) || d.ToFloat() > 1e9 {
					opts.Depth = -1
				} else if d.ToInteger() >= 1 {
					opts.Depth = int(d.ToInteger())
				}
			}
		}
		write(v.Stdout(), v.Inspect(c.Argument(0), opts))
		return goja.Undefined()
	})
	v.DefineFunction(console, "table", 1, func(c goja.FunctionCall) goja.Value {
		data, ok := c.Argument(0).(*goja.Object)
		if !ok {
			write(v.Stdout(), v.FormatArgs(c.Arguments, vm.InspectOptions{Throw: true}))
			return goja.Undefined()
		}
		write(v.Stdout(), table(v, data, c.Argument(1)))
		return goja.Undefined()
	})
	return nil
}

// symbolFor returns Symbol.for(key).
func symbolFor(v *vm.VM, key string) *goja.Symbol {
	rt := v.Runtime()
	symFor, _ := goja.AssertFunction(rt.Get("Symbol").ToObject(rt).Get("for"))
	s, err := symFor(goja.Undefined(), rt.ToValue(key))
	if err != nil {
		panic(err)
	}
	return s.(*goja.Symbol)
}

// formatDuration formats ms as console.timeEnd does.
func formatDuration(ms float64) string {
	switch {
	case ms >= 3600000:
		return fmt.Sprintf("%.3fh", ms/3600000)
	case ms >= 60000:
		return fmt.Sprintf("%.3fmin", ms/60000)
	case ms >= 1000:
		return fmt.Sprintf("%.3fs", ms/1000)
	}
	return fmt.Sprintf("%.3fms", math.Max(ms, 0))
}

// table renders data as console.table does: a row per own enumerable
// property (index), a column per property of the rows' object values, and a
// Values column for the rows that are primitives.
func table(v *vm.VM, data *goja.Object, filter goja.Value) string {
	short := func(val goja.Value) string {
		return v.Inspect(val, vm.InspectOptions{Depth: 1, BreakLength: math.MaxInt32, Throw: true})
	}
	var columns []string
	seen := map[string]bool{}
	var wanted map[string]bool
	if f, ok := filter.(*goja.Object); ok {
		wanted = map[string]bool{}
		for _, k := range f.Keys() {
			name := f.Get(k).String()
			wanted[name] = true
			if !seen[name] {
				seen[name] = true
				columns = append(columns, name)
			}
		}
	}
	type row struct {
		index string
		cells map[string]string
		value string
		has   bool
	}
	var rows []row
	hasValues := false
	keys := data.Keys()
	for _, k := range keys {
		r := row{index: k, cells: map[string]string{}}
		val := data.Get(k)
		if o, ok := val.(*goja.Object); ok {
			if _, isFn := goja.AssertFunction(o); !isFn {
				for _, ck := range o.Keys() {
					if wanted != nil && !wanted[ck] {
						continue
					}
					if !seen[ck] {
						seen[ck] = true
						columns = append(columns, ck)
					}
					r.cells[ck] = short(o.Get(ck))
				}
				rows = append(rows, r)
				continue
			}
		}
		r.value, r.has = short(val), true
		hasValues = true
		rows = append(rows, r)
	}
	header := append([]string{"(index)"}, columns...)
	if hasValues {
		header = append(header, "Values")
	}
	cells := make([][]string, len(rows))
	for i, r := range rows {
		line := []string{r.index}
		for _, c := range columns {
			line = append(line, r.cells[c])
		}
		if hasValues {
			line = append(line, map[bool]string{true: r.value}[r.has])
		}
		cells[i] = line
	}
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = utf8.RuneCountInString(h) + 2
		for _, line := range cells {
			widths[i] = max(widths[i], utf8.RuneCountInString(line[i])+2)
		}
	}
	cell := func(s string, w int) string {
		return " " + s + strings.Repeat(" ", w-utf8.RuneCountInString(s)-1)
	}
	rule := func(l, m, r string) string {
		parts := make([]string, len(widths))
		for i, w := range widths {
			parts[i] = strings.Repeat("─", w)
		}
		return l + strings.Join(parts, m) + r
	}
	renderRow := func(line []string) string {
		parts := make([]string, len(line))
		for i, s := range line {
			parts[i] = cell(s, widths[i])
		}
		return "│" + strings.Join(parts, "│") + "│"
	}
	out := []string{rule("┌", "┬", "┐"), renderRow(header), rule("├", "┼", "┤")}
	for _, line := range cells {
		out = append(out, renderRow(line))
	}
	out = append(out, rule("└", "┴", "┘"))
	return strings.Join(out, "\n")
}
