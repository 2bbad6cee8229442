package heap

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dop251/goja"
)

// TestStrings: a string Strings makes is, to JavaScript, the string the
// same text makes in a script (equal, same length and characters, usable
// as a key), and an ASCII one of any length is goja's asciiString.
func TestStrings(t *testing.T) {
	rt := goja.New()
	x := NewStrings(rt)
	same, err := rt.RunString(`(function (s, t) { return s === t && s.length === t.length && Object.is(s.charCodeAt(s.length - 1), t.charCodeAt(t.length - 1)) && ({[s]: 1})[t] === 1 && typeof s === "string" && new Map([[s, 1]]).get(t) === 1 })`)
	if err != nil {
		t.Fatal(err)
	}
	eq, _ := goja.AssertFunction(same)
	for _, c := range []struct {
		s     string
		ascii bool
	}{
		{"a", true}, {"", true}, {"sixteen bytes!!!", true}, {strings.Repeat("long key ", 20), true},
		{"é", false}, {"a longer text with é past 16 bytes", false}, {"😀", false},
	} {
		v := x.Value(c.s)
		script, err := rt.RunString("(" + `"` + strings.ReplaceAll(c.s, `"`, `\"`) + `"` + ")")
		if err != nil {
			t.Fatal(err)
		}
		ok, err := eq(goja.Undefined(), v, script)
		if err != nil || !ok.ToBoolean() {
			t.Errorf("%q: not the string a script makes (%v)", c.s, err)
		}
		if isASCII := reflect.TypeOf(v).String() == "goja.asciiString"; isASCII != c.ascii {
			t.Errorf("%q: a %s", c.s, reflect.TypeOf(v))
		}
	}
}
