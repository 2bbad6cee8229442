package heap

import (
	"math/big"
	"reflect"
	"unsafe"

	"github.com/dop251/goja"
)

// ValueClass is the primitive type of a goja value, as told by its Go type.
type ValueClass uint8

// The value classes.
const (
	ValueUnknown ValueClass = iota
	ValueNil                // no value: an array hole or a binding in its temporal dead zone
	ValueUndefined
	ValueNull
	ValueBool
	ValueInt
	ValueFloat
	ValueASCII   // an ASCII string
	ValueUnicode // a UTF-16 string
	ValueImportedString
	ValueBigInt
	ValueSymbol
	ValueObject
	ValueRecord // a *valueProperty record (only inside property storage)
)

var valueClassNames = map[string]ValueClass{
	"goja.valueUndefined": ValueUndefined, "goja.valueNull": ValueNull, "goja.valueBool": ValueBool,
	"goja.valueInt": ValueInt, "goja.valueFloat": ValueFloat, "goja.asciiString": ValueASCII,
	"goja.unicodeString": ValueUnicode, "*goja.importedString": ValueImportedString,
	"*goja.valueBigInt": ValueBigInt, "*goja.Symbol": ValueSymbol, "*goja.Object": ValueObject,
	"*goja.valueProperty": ValueRecord,
}

// ValueClassifier classifies values quickly by remembering the interface
// tables of the few Go types goja uses for values; it is not safe for
// concurrent use.
type ValueClassifier struct {
	n     int
	tabs  [24]unsafe.Pointer
	class [24]ValueClass
}

// NewValueClassifier returns an empty classifier.
func NewValueClassifier() *ValueClassifier { return &ValueClassifier{} }

// Class returns the class of v.
func (c *ValueClassifier) Class(v goja.Value) ValueClass {
	if v == nil {
		return ValueNil
	}
	tab := (*iface)(unsafe.Pointer(&v)).tab
	for i := 0; i < c.n; i++ {
		if c.tabs[i] == tab {
			return c.class[i]
		}
	}
	k := valueClassNames[reflect.TypeOf(v).String()]
	if c.n < len(c.tabs) {
		c.tabs[c.n], c.class[c.n] = tab, k
		c.n++
	}
	return k
}

func data(v goja.Value) unsafe.Pointer { return (*iface)(unsafe.Pointer(&v)).data }

// Int returns the integer of a ValueInt.
func Int(v goja.Value) int64 { return *(*int64)(data(v)) }

// Float returns the number of a ValueFloat.
func Float(v goja.Value) float64 { return *(*float64)(data(v)) }

// Bool returns the boolean of a ValueBool.
func Bool(v goja.Value) bool { return *(*bool)(data(v)) }

// ASCII returns the text of a ValueASCII.
func ASCII(v goja.Value) string { return *(*string)(data(v)) }

// UTF16 returns the UTF-16 code units of a ValueUnicode (without goja's leading marker).
func UTF16(v goja.Value) []uint16 {
	s := *(*[]uint16)(data(v))
	if len(s) > 0 {
		return s[1:]
	}
	return s
}

// BigInt returns the integer of a ValueBigInt.
func BigInt(v goja.Value) *big.Int { return (*big.Int)(data(v)) }
