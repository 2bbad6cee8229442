package heap

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/dop251/goja"
	"github.com/dop251/goja/unistring"
)

// The start-up check: it finds goja's types from live samples, resolves
// every field declared in mirror.go (whose opening comment says how to add
// one) and checks what the mirrors assume of goja's embedding. What differs
// between the supported goja versions is listed in versions.go.

// GojaVersion returns the version of the goja module this program was built
// with (which, through Go's minimal version selection, may be newer than the
// one Stasis's go.mod requires). It is recorded in every image. It comes from
// the build information, or, where a binary has none (go test), from the
// path of goja's source files, which holds the module version; it is
// "unknown" for a goja replaced by a directory without a version.
func GojaVersion() string {
	gojaVersionOnce.Do(func() { gojaVersion = findGojaVersion() })
	return gojaVersion
}

var (
	gojaVersionOnce sync.Once
	gojaVersion     string
)

const gojaModule = "github.com/dop251/goja"

func findGojaVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path != gojaModule {
				continue
			}
			if d.Replace != nil && d.Replace.Version != "" {
				return d.Replace.Version
			}
			if d.Replace == nil {
				return d.Version
			}
		}
	}
	file, _ := runtime.FuncForPC(reflect.ValueOf(goja.New).Pointer()).FileLine(reflect.ValueOf(goja.New).Pointer())
	if _, rest, ok := strings.Cut(filepath.ToSlash(file), gojaModule+"@"); ok {
		if v, _, ok := strings.Cut(rest, "/"); ok {
			return v
		}
	}
	return "unknown"
}

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
	err   error
	types map[string]reflect.Type // goja's struct types by short name
}

var (
	layoutOnce sync.Once
	layout     layoutState

	// The fingerprint is made when first asked for (a save, or the load
	// of an image without a code record), not by the check: describing
	// every field is a tenth of the check, which every start pays.
	fingerprintOnce sync.Once
	fingerprint     string
)

// Check finds, once per process, every goja field this package reads (see
// field.go) and verifies its type. All other functions of this package may
// be used only after Check returned nil.
func Check() error {
	layoutOnce.Do(func() { layout = checkLayout() })
	return layout.err
}

// Fingerprint identifies the goja structures that images depend on: the
// fields this package reads, by name and type (offsets never reach an
// image), and which side of each difference in versions.go this goja is on.
func Fingerprint() string {
	if Check() != nil {
		return ""
	}
	fingerprintOnce.Do(func() {
		h := sha256.New()
		fmt.Fprintf(h, "%s\nweak in keys: %v\n", fieldList(layout.types), weakInKeys)
		fingerprint = hex.EncodeToString(h.Sum(nil))[:16]
	})
	return fingerprint
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

// readThrough names the object kinds that are read through the mirror of a
// type they embed first (a generator function through JSFunc, ...).
var readThrough = map[string]string{
	"funcObject": "baseJsFuncObject", "generatorFuncObject": "baseJsFuncObject", "asyncFuncObject": "baseJsFuncObject",
	"generatorMethodFuncObject": "methodFuncObject", "asyncMethodFuncObject": "methodFuncObject",
	"asyncArrowFuncObject": "arrowFuncObject", "templatedFuncObject": "nativeFuncObject",
}

func checkLayout() layoutState {
	st := layoutState{types: map[string]reflect.Type{}}
	rt := goja.New()
	// Every sample comes from one script: compiling is most of what a
	// script this small costs.
	// (The tagged template's program is read too: it is compiled alone.)
	all, err := rt.RunString("[" + samplesScript + ",\n" + iterSamples + ",\n" + promiseSamples + ",\n" + revokeSample + ",\n" + regexpSamples + "]")
	if err != nil {
		st.err = fmt.Errorf("goja layout check: samples: %v", err)
		return st
	}
	sample := func(i int) *goja.Object { return all.(*goja.Object).Get(strconv.Itoa(i)).(*goja.Object) }
	arr, iters, promises, revocable, regexps := sample(0), sample(1), sample(2), sample(3), sample(4)
	for _, t := range []reflect.Type{reflect.TypeFor[goja.Object](), reflect.TypeFor[goja.Runtime](), reflect.TypeFor[goja.Program]()} {
		collectTypes(t, st.types)
	}
	for i, name := range sampleNames {
		o := arr.Get(fmt.Sprint(i)).(*goja.Object)
		t := reflect.ValueOf(o).Elem().FieldByName("self").Elem().Type()
		if t.String() != "*goja."+name {
			st.err = fmt.Errorf("goja layout changed: sample %d is %s, want *goja.%s", i, t, name)
			return st
		}
		collectTypes(t, st.types)
		if err := embedsFirst(t.Elem(), st.types["baseObject"]); err != nil {
			st.err = fmt.Errorf("goja layout changed: %s: %v", name, err)
			return st
		}
	}
	for _, t := range []reflect.Type{reflect.TypeFor[goja.Symbol](), reflect.TypeFor[goja.StackFrame](), reflect.TypeFor[goja.Promise]()} {
		collectTypes(t, st.types)
	}
	if err := iterTypes(iters, st.types); err != nil {
		st.err = fmt.Errorf("goja layout check: %v", err)
		return st
	}
	tmplPrg, tmplArr, err := templateProbe(rt)
	if err == nil {
		templateTypes(tmplPrg, tmplArr, st.types)
	}
	if err != nil {
		st.err = fmt.Errorf("goja layout check: %v", err)
		return st
	}
	if err := addMapped(&st, arr.Get("28").(*goja.Object)); err != nil {
		st.err = fmt.Errorf("goja layout changed: %v", err)
		return st
	}
	if err := resolveFields(st.types); err != nil {
		st.err = fmt.Errorf("goja layout changed: %v", err)
		return st
	}
	if err := checkEmbedding(st.types); err != nil {
		st.err = fmt.Errorf("goja layout changed: %v", err)
		return st
	}
	for name, want := range readThrough {
		if st.types[name] == nil {
			continue
		}
		if err := embedsFirst(st.types[name], st.types[want]); err != nil {
			st.err = fmt.Errorf("goja layout changed: %s: %v", name, err)
			return st
		}
	}
	// A Set (and its iterator) is read through the Map's mirror.
	for _, same := range [][3]string{{"mapObject", "setObject", "m"}, {"mapIterObject", "setIterObject", "iter"}, {"mapIterObject", "setIterObject", "kind"}} {
		mo, mt, err1 := locate(st.types[same[0]], same[2])
		so, stt, err2 := locate(st.types[same[1]], same[2])
		if err1 != nil || err2 != nil || so != mo || stt != mt {
			st.err = fmt.Errorf("goja layout changed: %s.%s is not where %s.%[2]s is", same[1], same[2], same[0])
			return st
		}
	}
	if gs, ok := st.types["Runtime"].FieldByName("global"); !ok {
		st.err = fmt.Errorf("goja layout changed: field \"global\" missing in goja.Runtime")
		return st
	} else if f, ok := gs.Type.FieldByName("stash"); !ok || f.Type != st.types["stash"] {
		st.err = fmt.Errorf("goja layout changed: Runtime.global.stash is not a goja.stash")
		return st
	}
	layout.types = st.types // the checks below allocate goja structures
	checks := []func() error{
		func() error { return checkWeak(st.types) },
		checkProgramLayout,
		checkCodeLayout,
		checkScopeLayout,
		checkJobQueue,
		func() error { return checkPromiseLayout(rt, promises) },
		func() error { return checkTemplateLayout(tmplPrg, tmplArr) },
		func() error { return checkRevokeLayout(revocable) },
		func() error { return checkIterLayout(&st, iters) },
		func() error { return checkMapped(arr.Get("28").(*goja.Object)) },
		func() error { return checkRegExpLayout(regexps) },
		func() error { return checkFuncImpls(arr) },
	}
	for _, c := range checks {
		if err := c(); err != nil {
			st.err = fmt.Errorf("goja layout changed: %v", err)
			return st
		}
	}
	vpType = st.types["valueProperty"]
	vp, _ := NewValueProperty()
	valuePropertyTab = (*iface)(unsafe.Pointer(&vp)).tab
	return st
}

// addMapped finds goja's mappedProperty type (held in an interface, so
// not reachable from the samples' types) on a sloppy arguments object.
func addMapped(st *layoutState, args *goja.Object) error {
	v := reflect.ValueOf(args).Elem().FieldByName("self").Elem().Elem().FieldByName("values").MapIndex(reflect.ValueOf(unistring.String("0")))
	if !v.IsValid() || v.Elem().Type().String() != "*goja.mappedProperty" {
		return fmt.Errorf("arguments sample has no *goja.mappedProperty")
	}
	collectTypes(v.Elem().Type(), st.types)
	return nil
}

// checkMapped finds the interface table of mappedProperty values.
func checkMapped(args *goja.Object) error {
	v := (*BaseOf(args).Values())["0"]
	if reflect.TypeOf(v).String() != "*goja.mappedProperty" {
		return fmt.Errorf("arguments sample holds %T, want *goja.mappedProperty", v)
	}
	mappedTab = (*iface)(unsafe.Pointer(&v)).tab
	return nil
}
