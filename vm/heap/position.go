package heap

import (
	"fmt"
	"reflect"

	"github.com/dop251/goja"
	"github.com/dop251/goja/file"
)

// Where suspended code is: a frame is a program and a program counter, and
// goja's srcMap ties program counters to offsets in the unit's source.

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
