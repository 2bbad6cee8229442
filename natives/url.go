package natives

import (
	"fmt"

	"github.com/dop251/goja"
	wurl "github.com/nlnwa/whatwg-url/url"
	"github.com/stasisvm/stasis/vm"
)

// URLs is the plugin of the WHATWG URL and URLSearchParams (globals, and
// require("url") with fileURLToPath, pathToFileURL, domainToASCII,
// domainToUnicode and urlToHttpOptions), and of Node's legacy API in
// require("url") (Url, parse, format, resolve, resolveObject), whose Urls
// are ordinary objects.
//
// Parsing follows the URL Standard through github.com/nlnwa/whatwg-url
// (which passes the web-platform-tests that Node's parser passes).
// Everything a URL or a URLSearchParams holds is an ordinary object under
// the registered symbol Symbol.for("stasis.state"):
//
//	URL:             {href: "...", searchParams: the URLSearchParams}
//	URLSearchParams: {list: [name0, value0, name1, value1, ...], url: the URL or null}
//
// so that an image holds them as it holds any object, with the link
// between a URL and its searchParams. The parts of a URL (host, port,
// origin...) are read from its href, parsed again when needed: a parsed
// URL is kept in a cache of the plugin's, which is not state (a resumed
// world parses again). The plugin marks no objects and has no state.
type URLs struct{}

// Name implements Plugin.
func (*URLs) Name() string { return "url" }

// Version implements Plugin.
func (*URLs) Version() int { return 1 }

// Record implements Plugin; the plugin marks no objects.
func (*URLs) Record(v *vm.VM, o *goja.Object) (goja.Value, error) {
	return nil, fmt.Errorf("url: marks no objects")
}

// Rebind implements Plugin; the plugin marks no objects.
func (*URLs) Rebind(v *vm.VM, o *goja.Object, record goja.Value) error {
	return fmt.Errorf("url: marks no objects")
}

// SaveState implements Plugin: the plugin has no state.
func (*URLs) SaveState(v *vm.VM) (goja.Value, error) { return nil, nil }

// RestoreState implements Plugin.
func (*URLs) RestoreState(v *vm.VM, state goja.Value) error { return nil }

// Install implements Plugin: it defines the globals URL and URLSearchParams
// and the built-in module "url".
func (p *URLs) Install(v *vm.VM) error {
	rt := v.Runtime()
	k := &urlKit{v: v, sym: symbolFor(v, "stasis.state"), parsed: map[string]*wurl.Url{}}
	if err := v.Try("install URL", func() error {
		k.params = k.searchParamsClass()
		k.url = k.urlClass()
		return nil
	}); err != nil {
		return err
	}
	v.SetView(k.urlProto, k.urlView)
	v.SetView(k.paramsProto, k.paramsView)
	g := rt.GlobalObject()
	_ = g.DefineDataProperty("URL", k.url, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = g.DefineDataProperty("URLSearchParams", k.params, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	return RegisterModule(v, "url", k.module())
}

// urlKit makes and serves the URL classes of one world.
type urlKit struct {
	v           *vm.VM
	sym         *goja.Symbol
	url, params *goja.Object // the constructors
	urlProto    *goja.Object
	paramsProto *goja.Object
	iterProto   *goja.Object
	// parsed caches parsed hrefs; never changed once stored (a setter
	// parses afresh).
	parsed map[string]*wurl.Url
}

// maxParsed bounds the cache of parsed hrefs.
const maxParsed = 512

var urlParser = wurl.NewParser()

// parse returns the parsed href, from the cache if it is there. Every href
// of a URL object parses (it was made by the parser).
func (k *urlKit) parse(href string) *wurl.Url {
	if u, ok := k.parsed[href]; ok {
		return u
	}
	u, err := urlParser.Parse(href)
	if err != nil {
		// An href is only ever a serialized URL, which parses again.
		throwTypef(k.v, "ERR_INVALID_URL", "Invalid URL")
	}
	if len(k.parsed) >= maxParsed {
		clear(k.parsed)
	}
	k.parsed[href] = u
	return u
}

// parseFresh returns a parse of href that the caller may change.
func (k *urlKit) parseFresh(href string) *wurl.Url {
	u, err := urlParser.Parse(href)
	if err != nil {
		throwTypef(k.v, "ERR_INVALID_URL", "Invalid URL")
	}
	return u
}

// usv converts a JavaScript value to a string as WebIDL's USVString does
// (lone surrogates become U+FFFD).
func usv(val goja.Value) string {
	return val.ToString().String()
}

// invalidURL throws Node's TypeError for an input that does not parse.
func (k *urlKit) invalidURL(input string, base *string) {
	e := k.v.Runtime().NewTypeError("Invalid URL")
	_ = e.Set("code", "ERR_INVALID_URL")
	_ = e.Set("input", input)
	if base != nil {
		_ = e.Set("base", *base)
	}
	panic(e)
}

// parseWithBase parses input against base (nil for none) as the URL
// constructor does; ok is false when either fails.
func parseWithBase(input string, base *string) (*wurl.Url, bool) {
	if base == nil {
		u, err := urlParser.Parse(input)
		return u, err == nil
	}
	b, err := urlParser.Parse(*base)
	if err != nil {
		return nil, false
	}
	u, err := urlParser.BasicParser(input, b, nil, wurl.NoState)
	return u, err == nil
}

// baseArg returns the base argument of the URL constructor, canParse and
// parse: nil when it is undefined.
func baseArg(c []goja.Value) *string {
	if len(c) < 2 || goja.IsUndefined(c[1]) {
		return nil
	}
	s := usv(c[1])
	return &s
}

// urlState returns the state of a URL object, or throws as Node does for
// another receiver.
func (k *urlKit) urlState(this goja.Value) *goja.Object {
	if o, ok := this.(*goja.Object); ok {
		if st, ok := o.GetSymbol(k.sym).(*goja.Object); ok && st.Get("searchParams") != nil {
			if _, isURL := st.Get("href").(goja.String); isURL {
				return st
			}
		}
	}
	panic(k.v.Runtime().NewTypeError("Receiver must be an instance of class URL"))
}

func (k *urlKit) href(this goja.Value) string {
	return k.urlState(this).Get("href").String()
}

// setHref stores a new href in a URL's state; with query set, the URL's
// searchParams take the pairs of its query.
func (k *urlKit) setHref(st *goja.Object, u *wurl.Url, query bool) {
	_ = st.Set("href", u.Href(false))
	if query {
		k.setList(k.paramsState(st.Get("searchParams")), parseForm(queryOf(u)))
	}
}

// queryOf returns u's query without its "?".
func queryOf(u *wurl.Url) string {
	s := u.Search()
	if s != "" {
		return s[1:]
	}
	return ""
}

// origin serializes u's origin as the URL Standard does.
func origin(u *wurl.Url) string {
	switch u.Scheme() {
	case "http", "https", "ws", "wss", "ftp":
		return u.Protocol() + "//" + u.Host()
	case "blob":
		inner, err := urlParser.Parse(u.Pathname())
		if err == nil && (inner.Scheme() == "http" || inner.Scheme() == "https") {
			return origin(inner)
		}
	}
	return "null"
}

func (k *urlKit) urlClass() *goja.Object {
	v, rt := k.v, k.v.Runtime()
	ctor := rt.ToValue(func(c goja.ConstructorCall) *goja.Object {
		if !instanceOf(c.This, k.urlProto) {
			// goja calls a native constructor called without new as if
			// with new; only a call with another receiver is told apart.
			panic(rt.NewTypeError("Class constructor URL cannot be invoked without 'new'"))
		}
		if len(c.Arguments) == 0 {
			throwTypef(v, "ERR_MISSING_ARGS", "The \"url\" argument must be specified")
		}
		input, base := usv(c.Arguments[0]), baseArg(c.Arguments)
		u, ok := parseWithBase(input, base)
		if !ok {
			k.invalidURL(input, base)
		}
		params := k.newParams(parseForm(queryOf(u)), c.This)
		st := rt.NewObject()
		_ = st.Set("href", u.Href(false))
		_ = st.Set("searchParams", params)
		_ = c.This.DefineDataPropertySymbol(k.sym, st, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
		return nil
	}).(*goja.Object)
	_ = ctor.DefineDataProperty("name", rt.ToValue("URL"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = ctor.DefineDataProperty("length", rt.ToValue(1), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	proto := ctor.Get("prototype").(*goja.Object)
	_ = ctor.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	k.urlProto = proto

	method := func(o *goja.Object, name string, length int, f func(goja.FunctionCall) goja.Value) {
		_ = o.DefineDataProperty(name, v.NewFunction(name, length, f), goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	method(proto, "toString", 0, func(c goja.FunctionCall) goja.Value { return rt.ToValue(k.href(c.This)) })
	accessor := func(name string, get func(u *wurl.Url) string, set func(st *goja.Object, value string)) {
		getter := v.NewFunction("get "+name, 0, func(c goja.FunctionCall) goja.Value {
			return rt.ToValue(get(k.parse(k.href(c.This))))
		})
		var setter goja.Value
		if set != nil {
			setter = v.NewFunction("set "+name, 1, func(c goja.FunctionCall) goja.Value {
				st := k.urlState(c.This)
				set(st, usv(c.Argument(0)))
				return goja.Undefined()
			})
		}
		_ = proto.DefineAccessorProperty(name, getter, setter, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	// change makes a setter that applies f to a fresh parse of the href.
	change := func(f func(u *wurl.Url, value string)) func(*goja.Object, string) {
		return func(st *goja.Object, value string) {
			u := k.parseFresh(st.Get("href").String())
			f(u, value)
			k.setHref(st, u, false)
		}
	}
	accessor("href", func(u *wurl.Url) string { return u.Href(false) }, func(st *goja.Object, value string) {
		u, err := urlParser.Parse(value)
		if err != nil {
			k.invalidURL(value, nil)
		}
		k.setHref(st, u, true)
	})
	accessor("origin", origin, nil)
	accessor("protocol", (*wurl.Url).Protocol, change((*wurl.Url).SetProtocol))
	accessor("username", (*wurl.Url).Username, change((*wurl.Url).SetUsername))
	accessor("password", (*wurl.Url).Password, change((*wurl.Url).SetPassword))
	accessor("host", (*wurl.Url).Host, change((*wurl.Url).SetHost))
	accessor("hostname", (*wurl.Url).Hostname, change((*wurl.Url).SetHostname))
	accessor("port", (*wurl.Url).Port, change((*wurl.Url).SetPort))
	accessor("pathname", (*wurl.Url).Pathname, change((*wurl.Url).SetPathname))
	accessor("search", (*wurl.Url).Search, func(st *goja.Object, value string) {
		u := k.parseFresh(st.Get("href").String())
		u.SetSearch(value)
		k.setHref(st, u, true)
	})
	spGetter := v.NewFunction("get searchParams", 0, func(c goja.FunctionCall) goja.Value {
		return k.urlState(c.This).Get("searchParams")
	})
	_ = proto.DefineAccessorProperty("searchParams", spGetter, nil, goja.FLAG_TRUE, goja.FLAG_TRUE)
	accessor("hash", (*wurl.Url).Hash, change((*wurl.Url).SetHash))
	method(proto, "toJSON", 0, func(c goja.FunctionCall) goja.Value { return rt.ToValue(k.href(c.This)) })
	_ = proto.DefineDataPropertySymbol(goja.SymToStringTag, rt.ToValue("URL"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)

	method(ctor, "parse", 1, func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) == 0 {
			throwTypef(v, "ERR_MISSING_ARGS", "The \"url\" argument must be specified")
		}
		if _, ok := parseWithBase(usv(c.Arguments[0]), baseArg(c.Arguments)); !ok {
			return goja.Null()
		}
		o, err := rt.New(ctor, c.Arguments...)
		if err != nil {
			panic(err)
		}
		return o
	})
	method(ctor, "canParse", 1, func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) == 0 {
			throwTypef(v, "ERR_MISSING_ARGS", "The \"url\" argument must be specified")
		}
		_, ok := parseWithBase(usv(c.Arguments[0]), baseArg(c.Arguments))
		return rt.ToValue(ok)
	})
	return ctor
}

// instanceOf reports whether proto is on o's prototype chain.
func instanceOf(o, proto *goja.Object) bool {
	for p := o.Prototype(); p != nil; p = p.Prototype() {
		if p == proto {
			return true
		}
	}
	return false
}
