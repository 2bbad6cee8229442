package heap

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/dop251/goja"
	"github.com/dop251/goja/file"
)

// Where suspended code is: a frame is a program and a program counter, and
// goja's srcMap ties program counters to offsets in the unit's source.

// Describe names the function a program of a script's tree belongs to, for
// people: "function step (app.js:12)", "class Box (app.js:3)", "the fields
// of class Box (app.js:3)", "script app.js".
func Describe(in ProgramInfo) string {
	what := "function"
	switch {
	case in.Maker == "":
		name, _ := ProgramSource(in.Program)
		return "script " + name
	case strings.HasSuffix(in.Maker, ".initFields"):
		what = "the fields of class"
	case strings.HasPrefix(in.Maker, "newClass") || strings.HasPrefix(in.Maker, "newDerivedClass"):
		what = "class"
	}
	at := FrameName(in.Program, 0)
	if ProgramName(in.Program) == "" && in.Name != "" {
		at = in.Name + strings.TrimPrefix(at, "<anonymous>")
	}
	return what + " " + at
}

// FrameName describes the function a frame of program p runs and where in
// its script it is at pc, as a stack trace would: "runJobs (jobs.js:9)",
// "<anonymous> (jobs.js:3)". It is for people.
func FrameName(p *goja.Program, pc int) string {
	name := ProgramName(p)
	if name == "" {
		name = "<anonymous>"
	}
	sm := field(reflect.ValueOf(p), "srcMap")
	pos := -1
	for i := 0; i < sm.Len(); i++ {
		item := sm.Index(i)
		if int(field(item, "pc").Int()) > pc {
			break
		}
		pos = int(field(item, "srcPos").Int())
	}
	f, _ := field(reflect.ValueOf(p), "src").Interface().(*file.File)
	if f == nil || pos < 0 {
		return name
	}
	at := f.Position(pos)
	return fmt.Sprintf("%s (%s:%d)", name, f.Name(), at.Line)
}
