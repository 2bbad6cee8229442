package heap

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
)

// GojaVersion is the goja module version this layout was verified against.
// It is recorded in every image; go.mod pins the same version (a test checks).
const GojaVersion = "v0.0.0-20260917113740-793a2a65c13b"

// Kind is the kind of a goja object, as told by its Go type.
type Kind uint8

// The kinds of objects the heap layer tells apart.
const (
	KindOther Kind = iota
	KindOrdinary
	KindArray
	KindSparseArray
	KindFunction
	KindGeneratorFunction
	KindAsyncFunction
	KindClass
	KindMethod
	KindGeneratorMethod
	KindAsyncMethod
	KindArrow
	KindAsyncArrow
	KindNative
	KindBound
	KindMap
	KindSet
	KindDate
	KindRegExp
	KindError
	KindArrayBuffer
	KindTypedArray
	KindDataView
	KindPrimitive
	KindStringObject
	KindProxy
	KindWeakMap
	KindWeakSet
	KindPromise
	KindArguments
	KindTemplated
	KindGenerator
	KindIterator
	KindHost
	numKinds
)

var kindNames = [...]string{
	KindOther: "object", KindOrdinary: "Object", KindArray: "Array", KindSparseArray: "Array",
	KindFunction: "function", KindGeneratorFunction: "generator function", KindAsyncFunction: "async function",
	KindClass: "class", KindMethod: "method", KindGeneratorMethod: "generator method", KindAsyncMethod: "async method",
	KindArrow: "arrow function", KindAsyncArrow: "async arrow function", KindNative: "native function",
	KindBound: "bound function", KindMap: "Map", KindSet: "Set", KindDate: "Date", KindRegExp: "RegExp",
	KindError: "Error", KindArrayBuffer: "ArrayBuffer", KindTypedArray: "typed array", KindDataView: "DataView",
	KindPrimitive: "boxed primitive", KindStringObject: "String object", KindProxy: "Proxy", KindWeakMap: "WeakMap",
	KindWeakSet: "WeakSet", KindPromise: "Promise", KindArguments: "arguments object", KindTemplated: "built-in object",
	KindGenerator: "generator", KindIterator: "iterator", KindHost: "Go value",
}

// String names the kind for people ("WeakMap", "generator").
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// IsJSFunction reports whether objects of kind k are functions written in JavaScript.
func (k Kind) IsJSFunction() bool { return k >= KindFunction && k <= KindAsyncArrow }

// goTypeKinds maps goja's concrete object types (by name) to kinds.
var goTypeKinds = map[string]Kind{
	"*goja.baseObject": KindOrdinary, "*goja.arrayObject": KindArray, "*goja.sparseArrayObject": KindSparseArray,
	"*goja.funcObject": KindFunction, "*goja.generatorFuncObject": KindGeneratorFunction,
	"*goja.asyncFuncObject": KindAsyncFunction, "*goja.classFuncObject": KindClass,
	"*goja.methodFuncObject": KindMethod, "*goja.generatorMethodFuncObject": KindGeneratorMethod,
	"*goja.asyncMethodFuncObject": KindAsyncMethod, "*goja.arrowFuncObject": KindArrow,
	"*goja.asyncArrowFuncObject": KindAsyncArrow, "*goja.nativeFuncObject": KindNative,
	"*goja.boundFuncObject": KindBound, "*goja.mapObject": KindMap, "*goja.setObject": KindSet,
	"*goja.dateObject": KindDate, "*goja.regexpObject": KindRegExp, "*goja.errorObject": KindError,
	"*goja.arrayBufferObject": KindArrayBuffer, "*goja.typedArrayObject": KindTypedArray,
	"*goja.dataViewObject": KindDataView, "*goja.primitiveValueObject": KindPrimitive,
	"*goja.stringObject": KindStringObject, "*goja.proxyObject": KindProxy, "*goja.weakMapObject": KindWeakMap,
	"*goja.weakSetObject": KindWeakSet, "*goja.Promise": KindPromise, "*goja.argumentsObject": KindArguments,
	"*goja.templatedObject": KindTemplated, "*goja.generatorObject": KindGenerator,
	"*goja.templatedFuncObject": KindNative, "*goja.wrappedFuncObject": KindHost,
	"*goja.objectGoReflect": KindHost, "*goja.objectGoMapSimple": KindHost, "*goja.objectGoMapReflect": KindHost,
	"*goja.objectGoSlice": KindHost, "*goja.objectGoSliceReflect": KindHost, "*goja.objectGoArrayReflect": KindHost,
	"*goja.baseDynamicObject": KindHost, "*goja.dynamicArray": KindHost,
	"*goja.arrayIterObject": KindIterator, "*goja.mapIterObject": KindIterator, "*goja.setIterObject": KindIterator,
	"*goja.stringIterObject": KindIterator, "*goja.regExpStringIterObject": KindIterator,
	"*goja.guardedObject": KindOrdinary, "*goja.taggedTemplateArray": KindArray,
}

// layoutState is the outcome of the one-time layout check.
type layoutState struct {
	err         error
	fingerprint string
	types       map[string]reflect.Type // goja types by short name
}

var (
	layoutOnce sync.Once
	layout     layoutState
)

// Check verifies, once per process, that every goja structure this package
// reads has the fields, offsets and types its mirrors expect. All other
// functions of this package may be used only after Check returned nil.
func Check() error {
	layoutOnce.Do(func() { layout = checkLayout() })
	return layout.err
}

// Fingerprint identifies the layout of goja's structures that images depend
// on. Two builds with the same fingerprint read each other's images.
func Fingerprint() string {
	_ = Check()
	return layout.fingerprint
}

// mirrorPair pairs a mirror type with the name of the goja type it mirrors
// (a key of the samples map, or a path from one).
type mirrorPair struct {
	mirror reflect.Type
	goja   string
}

const samplesScript = `[
	{}, [], (function(){ var a = []; a[100000] = 1; return a })(), function(){},
	function*(){}, async function(){}, class { #p = 1; constructor(){} }, ({m(){}}).m,
	({*m(){}}).m, ({async m(){}}).m, () => {}, async () => {}, Math.max, function(){}.bind(null),
	new Map([[1,2]]), new Set([1]), new Date(0), /a/g, new Error("e"), new ArrayBuffer(1),
	new Uint8Array(1), new DataView(new ArrayBuffer(1)), new Number(1), new String("s"),
	new Proxy({}, {}), new WeakMap(), new WeakSet(), Promise.resolve(1),
	(function(a){ return arguments })(1), (function*(){})(),
]`

// sampleNames lists the goja types, in samplesScript order.
var sampleNames = []string{
	"baseObject", "arrayObject", "sparseArrayObject", "funcObject",
	"generatorFuncObject", "asyncFuncObject", "classFuncObject", "methodFuncObject",
	"generatorMethodFuncObject", "asyncMethodFuncObject", "arrowFuncObject", "asyncArrowFuncObject", "nativeFuncObject", "boundFuncObject",
	"mapObject", "setObject", "dateObject", "regexpObject", "errorObject", "arrayBufferObject",
	"typedArrayObject", "dataViewObject", "primitiveValueObject", "stringObject",
	"proxyObject", "weakMapObject", "weakSetObject", "Promise",
	"argumentsObject", "generatorObject",
}

func checkLayout() layoutState {
	st := layoutState{types: map[string]reflect.Type{}}
	rt := goja.New()
	v, err := rt.RunString(samplesScript)
	if err != nil {
		st.err = fmt.Errorf("goja layout check: samples: %v", err)
		return st
	}
	arr := v.(*goja.Object)
	for i, name := range sampleNames {
		o := arr.Get(fmt.Sprint(i)).(*goja.Object)
		t := reflect.ValueOf(o).Elem().FieldByName("self").Elem().Type()
		if t.String() != "*goja."+name {
			st.err = fmt.Errorf("goja layout changed: sample %d is %s, want *goja.%s", i, t, name)
			return st
		}
		st.types[name] = t.Elem()
	}
	st.types["Object"] = reflect.TypeOf(goja.Object{})
	st.types["Symbol"] = reflect.TypeOf(goja.Symbol{})
	st.types["StackFrame"] = reflect.TypeOf(goja.StackFrame{})
	rtType := reflect.TypeOf(goja.Runtime{})
	steps := []struct{ name, from, path string }{
		{"baseObject2", "baseObject", ""},
		{"valueProperty", "arrayObject", "lengthProp"},
		{"orderedMap", "baseObject", "symValues.*"},
		{"mapEntry", "orderedMap", "iterFirst.*"},
		{"stash", "funcObject", "stash.*"},
		{"privateEnv", "funcObject", "privEnv.*"},
		{"privateEnvType", "classFuncObject", "privateEnvType.*"},
		{"privateElements", "baseObject", "privateElements.[]*"},
		{"baseFuncObject", "funcObject", "baseFuncObject"},
		{"baseJsFuncObject", "funcObject", "baseJsFuncObject"},
		{"sparseArrayItem", "sparseArrayObject", "items.[]"},
	}
	for _, s := range steps {
		t := st.types[s.from]
		if s.path != "" {
			if t, err = follow(t, s.path); err != nil {
				st.err = fmt.Errorf("goja layout changed: %s.%s: %v", s.from, s.path, err)
				return st
			}
		}
		st.types[s.name] = t
	}
	if gs, ok := rtType.FieldByName("global"); !ok {
		st.err = fmt.Errorf("goja layout changed: field \"global\" missing in goja.Runtime")
		return st
	} else if f, ok := gs.Type.FieldByName("stash"); !ok || f.Type != st.types["stash"] {
		st.err = fmt.Errorf("goja layout changed: Runtime.global.stash is not a goja.stash")
		return st
	}
	pairs := []mirrorPair{
		{reflect.TypeOf(objectMirror{}), "Object"},
		{reflect.TypeOf(Base{}), "baseObject"},
		{reflect.TypeOf(ValueProperty{}), "valueProperty"},
		{reflect.TypeOf(OrderedMap{}), "orderedMap"},
		{reflect.TypeOf(MapEntry{}), "mapEntry"},
		{reflect.TypeOf(FuncBase{}), "baseFuncObject"},
		{reflect.TypeOf(JSFunc{}), "baseJsFuncObject"},
		{reflect.TypeOf(ClassFunc{}), "classFuncObject"},
		{reflect.TypeOf(MethodFunc{}), "methodFuncObject"},
		{reflect.TypeOf(ArrowFunc{}), "arrowFuncObject"},
		{reflect.TypeOf(NativeFunc{}), "nativeFuncObject"},
		{reflect.TypeOf(BoundFunc{}), "boundFuncObject"},
		{reflect.TypeOf(Stash{}), "stash"},
		{reflect.TypeOf(PrivateEnv{}), "privateEnv"},
		{reflect.TypeOf(PrivateEnvType{}), "privateEnvType"},
		{reflect.TypeOf(PrivateElements{}), "privateElements"},
		{reflect.TypeOf(Array{}), "arrayObject"},
		{reflect.TypeOf(SparseArray{}), "sparseArrayObject"},
		{reflect.TypeOf(SparseItem{}), "sparseArrayItem"},
		{reflect.TypeOf(MapObject{}), "mapObject"},
		{reflect.TypeOf(MapObject{}), "setObject"},
		{reflect.TypeOf(DateObject{}), "dateObject"},
		{reflect.TypeOf(ErrorObject{}), "errorObject"},
		{reflect.TypeOf(StackFrame{}), "StackFrame"},
		{reflect.TypeOf(ArrayBuffer{}), "arrayBufferObject"},
		{reflect.TypeOf(TypedArray{}), "typedArrayObject"},
		{reflect.TypeOf(DataView{}), "dataViewObject"},
		{reflect.TypeOf(PrimitiveObject{}), "primitiveValueObject"},
		{reflect.TypeOf(StringObject{}), "stringObject"},
		{reflect.TypeOf(Symbol{}), "Symbol"},
		{reflect.TypeOf(ProxyObject{}), "proxyObject"},
		{reflect.TypeOf(WeakCollection{}), "weakMapObject"},
		{reflect.TypeOf(weakSetMirror{}), "weakSetObject"},
		{reflect.TypeOf(PromiseObject{}), "Promise"},
		{reflect.TypeOf(ArgumentsObject{}), "argumentsObject"},
		{reflect.TypeOf(GeneratorObject{}), "generatorObject"},
	}
	h := sha256.New()
	fmt.Fprintln(h, GojaVersion)
	for _, p := range pairs {
		if err := compareLayout(p.mirror, st.types[p.goja], p.goja, h); err != nil {
			st.err = fmt.Errorf("goja layout changed: %v", err)
			return st
		}
	}
	// Kinds read through a shorter mirror must embed the mirrored type first.
	prefixes := map[string]string{
		"generatorFuncObject": "baseJsFuncObject", "asyncFuncObject": "baseJsFuncObject",
		"generatorMethodFuncObject": "methodFuncObject", "asyncMethodFuncObject": "methodFuncObject",
		"asyncArrowFuncObject": "arrowFuncObject", "regexpObject": "baseObject",
		"funcObject": "baseJsFuncObject",
	}
	for name, want := range prefixes {
		if err := embedsFirst(st.types[name], st.types[want]); err != nil {
			st.err = fmt.Errorf("goja layout changed: %s: %v", name, err)
			return st
		}
	}
	if err := checkProgramLayout(); err != nil {
		st.err = fmt.Errorf("goja layout changed: %v", err)
		return st
	}
	if err := checkCodeLayout(); err != nil {
		st.err = fmt.Errorf("goja layout changed: %v", err)
		return st
	}
	if err := checkJobQueue(); err != nil {
		st.err = fmt.Errorf("goja layout changed: %v", err)
		return st
	}
	if err := checkPromiseLayout(&st, rt); err != nil {
		st.err = fmt.Errorf("goja layout changed: promises: %v", err)
		return st
	}
	if err := checkTemplateLayout(rt); err != nil {
		st.err = fmt.Errorf("goja layout changed: tagged templates: %v", err)
		return st
	}
	if err := checkRevokeLayout(rt); err != nil {
		st.err = fmt.Errorf("goja layout changed: %v", err)
		return st
	}
	if err := checkIterLayout(&st, rt); err != nil {
		st.err = fmt.Errorf("goja layout changed: iterators: %v", err)
		return st
	}
	if err := checkMapped(&st, arr.Get("28").(*goja.Object)); err != nil {
		st.err = fmt.Errorf("goja layout changed: %v", err)
		return st
	}
	if err := checkRegExpLayout(&st, rt); err != nil {
		st.err = fmt.Errorf("goja layout changed: %v", err)
		return st
	}
	vpType = st.types["valueProperty"]
	vp, _ := NewValueProperty()
	valuePropertyTab = (*iface)(unsafe.Pointer(&vp)).tab
	st.fingerprint = hex.EncodeToString(h.Sum(nil))[:16]
	return st
}

// embedsFirst checks that t starts with want (directly or through a chain
// of first embedded fields at offset 0).
func embedsFirst(t, want reflect.Type) error {
	for cur := t; ; {
		if cur == want {
			return nil
		}
		if cur.Kind() != reflect.Struct || cur.NumField() == 0 || !cur.Field(0).Anonymous {
			return fmt.Errorf("does not embed %s first", want)
		}
		cur = cur.Field(0).Type
	}
}

// follow walks a dotted path of field names through t; "*" and "[]" step
// into an element type.
func follow(t reflect.Type, path string) (reflect.Type, error) {
	for _, step := range strings.Split(path, ".") {
		switch {
		case step == "*" || step == "[]" || step == "[]*":
			if k := t.Kind(); k != reflect.Ptr && k != reflect.Slice && k != reflect.Map {
				return nil, fmt.Errorf("%s has no element", t)
			}
			t = t.Elem()
			if step == "[]*" {
				t = t.Elem()
			}
		case t.Kind() != reflect.Struct:
			return nil, fmt.Errorf("%s is not a struct", t)
		default:
			f, ok := t.FieldByName(step)
			if !ok {
				return nil, fmt.Errorf("field %q missing in %s", step, t)
			}
			t = f.Type
		}
	}
	return t, nil
}

// compareLayout checks that mirror m has exactly the layout of goja type g:
// the same fields in the same order, names equal but for the first letter's
// case, equal offsets and sizes, and compatible types.
func compareLayout(m, g reflect.Type, where string, h interface{ Write([]byte) (int, error) }) error {
	if g == nil {
		return fmt.Errorf("%s: no sample of this goja type", where)
	}
	if m.Size() != g.Size() {
		return fmt.Errorf("%s: size %d, mirror expects %d", g, g.Size(), m.Size())
	}
	if m.NumField() != g.NumField() {
		return fmt.Errorf("%s: %d fields, mirror expects %d", g, g.NumField(), m.NumField())
	}
	for i := 0; i < m.NumField(); i++ {
		mf, gf := m.Field(i), g.Field(i)
		at := where + "." + gf.Name
		fmt.Fprintf(h, "%s %s %d %s\n", g, gf.Name, gf.Offset, gf.Type)
		if mf.Offset != gf.Offset {
			return fmt.Errorf("%s: offset %d, mirror expects %d", at, gf.Offset, mf.Offset)
		}
		if mf.Anonymous != gf.Anonymous || (!mf.Anonymous && !strings.EqualFold(mf.Name[:1], gf.Name[:1])) ||
			(!mf.Anonymous && mf.Name[1:] != gf.Name[1:]) {
			return fmt.Errorf("%s: field %q, mirror expects %q", at, gf.Name, mf.Name)
		}
		if err := compatible(mf.Type, gf.Type, at, h); err != nil {
			return err
		}
	}
	return nil
}

var (
	unsafePointer = reflect.TypeOf(unsafe.Pointer(nil))
	ifaceType     = reflect.TypeOf(iface{})
)

func compatible(m, g reflect.Type, at string, h interface{ Write([]byte) (int, error) }) error {
	switch {
	case m == g:
		return nil
	case m == unsafePointer:
		if g.Kind() == reflect.Ptr || g.Kind() == reflect.Map || g.Kind() == reflect.Func {
			return nil
		}
	case m == ifaceType:
		if g.Kind() == reflect.Interface {
			return nil
		}
	case m.Kind() == reflect.Struct && g.Kind() == reflect.Struct:
		return compareLayout(m, g, at, h)
	case m.Kind() == reflect.Ptr && g.Kind() == reflect.Ptr:
		// Pointers to mirrors: the pointed-to layouts are checked through their own pair.
		if m.Elem().Kind() == reflect.Struct && g.Elem().Kind() == reflect.Struct && m.Elem().Size() == g.Elem().Size() {
			return nil
		}
	case m.Kind() == reflect.Slice && g.Kind() == reflect.Slice:
		return compatible(m.Elem(), g.Elem(), at+"[]", h)
	case m.Kind() == g.Kind() && m.Size() == g.Size() && m.Kind() >= reflect.Bool && m.Kind() <= reflect.Float64:
		return nil // a named basic type (funcType, promiseReactionType) read as its underlying type
	}
	return fmt.Errorf("%s: type %s, mirror expects %s", at, g, m)
}

// checkMapped finds goja's mappedProperty type on a sloppy arguments object
// and checks its mirror.
func checkMapped(st *layoutState, args *goja.Object) error {
	b := (*Base)(impl(args))
	v := b.Values["0"]
	if v == nil {
		return fmt.Errorf("arguments sample has no mapped property")
	}
	t := reflect.TypeOf(v)
	if t.String() != "*goja.mappedProperty" {
		return fmt.Errorf("arguments sample holds %s, want *goja.mappedProperty", t)
	}
	st.types["mappedProperty"] = t.Elem()
	mappedTab = (*iface)(unsafe.Pointer(&v)).tab
	return compareLayout(reflect.TypeOf(MappedProperty{}), t.Elem(), "mappedProperty", discardHash{})
}

type discardHash struct{}

func (discardHash) Write(p []byte) (int, error) { return len(p), nil }
