package natives

import (
	"math"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dop251/goja"
	"golang.org/x/net/idna"
)

// Node's legacy URL API in the module "url": the Url class, url.parse,
// url.format, url.resolve and url.resolveObject, as node 20's lib/url.js
// does them (ported step by step: its tests are a table compared with node
// in cmd/stasis/testdata/scripts/url-legacy.js). A Url is an ordinary
// object with twelve own data properties (protocol, slashes, auth, host,
// port, hostname, hash, search, query, pathname, path, href) whose
// prototype is Url.prototype, so that an image holds it as any object.
// Like node's, the functions read and write those properties of whatever
// object they are given, with JavaScript's truthiness.

// urlFields are a Url's own properties, in the order its constructor makes
// them.
var urlFields = [...]string{"protocol", "slashes", "auth", "host", "port", "hostname", "hash", "search", "query", "pathname", "path", "href"}

// slashedProtocol reports whether p is a protocol that gets "//" after it
// when formatted, and a "/" path.
func slashedProtocol(p string) bool {
	switch p {
	case "http", "http:", "https", "https:", "ftp", "ftp:", "gopher", "gopher:", "file", "file:", "ws", "ws:", "wss", "wss:":
		return true
	}
	return false
}

// hostlessProtocol reports whether p (lower case) never has a host; the
// same protocols are never auto-escaped.
func hostlessProtocol(p string) bool { return p == "javascript" || p == "javascript:" }

// legacyIDNA is the host conversion of node's url.parse: UTS 46
// non-transitional processing without the STD3 rules or the checks of
// hyphens and lengths (a lenient ToASCII).
var legacyIDNA = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false),
	idna.CheckHyphens(false), idna.VerifyDNSLength(false))

// legacyURL makes the legacy API's functions of one world.
type legacyURL struct {
	k        *urlKit
	ctor     *goja.Object     // Url
	proto    *goja.Object     // Url.prototype
	assign   goja.Callable    // Object.assign
	uriError goja.Constructor // URIError
}

// install defines Url and the legacy functions on the module object m.
func (l *legacyURL) install(m *goja.Object) {
	v, rt := l.k.v, l.k.v.Runtime()
	l.assign, _ = goja.AssertFunction(rt.Get("Object").ToObject(rt).Get("assign"))
	l.uriError, _ = goja.AssertConstructor(rt.Get("URIError"))
	ctor := rt.ToValue(func(c goja.ConstructorCall) *goja.Object {
		for _, f := range urlFields {
			_ = c.This.Set(f, goja.Null())
		}
		return nil
	}).(*goja.Object)
	_ = ctor.DefineDataProperty("name", rt.ToValue("Url"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = ctor.DefineDataProperty("length", rt.ToValue(0), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	l.ctor, l.proto = ctor, ctor.Get("prototype").(*goja.Object)
	// Node assigns the methods to the prototype: they are enumerable.
	method := func(name string, length int, f func(goja.FunctionCall) goja.Value) {
		_ = l.proto.Set(name, v.NewFunction(name, length, f))
	}
	method("parse", 3, func(c goja.FunctionCall) goja.Value {
		l.parse(c.This.ToObject(rt), c.Argument(0), c.Argument(1).ToBoolean(), c.Argument(2).ToBoolean())
		return c.This
	})
	method("format", 0, func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(l.format(c.This.ToObject(rt)))
	})
	method("resolve", 1, func(c goja.FunctionCall) goja.Value {
		rel := l.urlParse(c.Argument(0), false, true)
		return rt.ToValue(l.format(l.resolveObject(c.This.ToObject(rt), rel)))
	})
	method("resolveObject", 1, func(c goja.FunctionCall) goja.Value {
		return l.resolveObject(c.This.ToObject(rt), c.Argument(0))
	})
	method("parseHost", 0, func(c goja.FunctionCall) goja.Value {
		l.parseHost(c.This.ToObject(rt))
		return goja.Undefined()
	})

	_ = m.Set("Url", ctor)
	_ = m.Set("parse", v.NewFunction("urlParse", 3, func(c goja.FunctionCall) goja.Value {
		return l.urlParse(c.Argument(0), c.Argument(1).ToBoolean(), c.Argument(2).ToBoolean())
	}))
	_ = m.Set("resolve", v.NewFunction("urlResolve", 2, func(c goja.FunctionCall) goja.Value {
		src := l.urlParse(c.Argument(0), false, true)
		rel := l.urlParse(c.Argument(1), false, true)
		return rt.ToValue(l.format(l.resolveObject(src, rel)))
	}))
	_ = m.Set("resolveObject", v.NewFunction("urlResolveObject", 2, func(c goja.FunctionCall) goja.Value {
		if !c.Argument(0).ToBoolean() {
			return c.Argument(1)
		}
		return l.resolveObject(l.urlParse(c.Argument(0), false, true), c.Argument(1))
	}))
	_ = m.Set("format", v.NewFunction("urlFormat", 2, func(c goja.FunctionCall) goja.Value {
		obj, opts := c.Argument(0), c.Argument(1)
		if isString(obj) {
			return rt.ToValue(l.format(l.urlParse(obj, false, false)))
		}
		o, ok := obj.(*goja.Object)
		if !ok {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"urlObject\" argument must be one of type object or string. Received %s", describeArg(obj))
		}
		if l.k.isURL(o) {
			return rt.ToValue(l.formatURL(l.k.href(o), opts))
		}
		return rt.ToValue(l.format(o))
	}))
}

// urlParse is node's url.parse: a Url is returned as it is, a string parsed
// into a new Url.
func (l *legacyURL) urlParse(url goja.Value, parseQuery, slashesDenoteHost bool) *goja.Object {
	if o, ok := url.(*goja.Object); ok && instanceOf(o, l.proto) {
		return o
	}
	o, err := l.k.v.Runtime().New(l.ctor)
	if err != nil {
		panic(err)
	}
	l.parse(o, url, parseQuery, slashesDenoteHost)
	return o
}

// nullable is a string property that may be null.
type nullable struct {
	s   string
	set bool
}

func some(s string) nullable { return nullable{s, true} }

func (n nullable) value(rt *goja.Runtime) goja.Value {
	if !n.set {
		return goja.Null()
	}
	return rt.ToValue(n.s)
}

// isJSSpace reports whether r is white space to a JavaScript RegExp (\s).
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// simplePath matches rest against /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/ and
// returns the path and the search ("" if none).
func simplePath(rest string) (path, search string, ok bool) {
	if !strings.HasPrefix(rest, "/") {
		return "", "", false
	}
	n := 1
	if strings.HasPrefix(rest, "//") {
		n = 2
	}
	if len(rest) > n && rest[n] == '/' {
		return "", "", false
	}
	if strings.ContainsFunc(rest, isJSSpace) {
		return "", "", false
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		return rest[:i], rest[i:], true
	}
	return rest, "", true
}

// protocolPrefix returns the match of /^[a-z0-9.+-]+:/i at the start of s.
func protocolPrefix(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '+', c == '-':
		case c == ':' && i > 0:
			return s[:i+1]
		default:
			return ""
		}
	}
	return ""
}

// hostPrefix reports whether s matches /^\/\/[^@/]+@[^@/]+/.
func hostPrefix(s string) bool {
	if !strings.HasPrefix(s, "//") {
		return false
	}
	s = s[2:]
	i := strings.IndexAny(s, "@/")
	if i <= 0 || s[i] != '@' {
		return false
	}
	s = s[i+1:]
	return s != "" && s[0] != '@' && s[0] != '/'
}

// parse is Url.prototype.parse: it sets the parts of url on o.
func (l *legacyURL) parse(o *goja.Object, urlArg goja.Value, parseQuery, slashesDenoteHost bool) {
	v, rt := l.k.v, l.k.v.Runtime()
	if !isString(urlArg) {
		throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"url\" argument must be of type string. Received %s", describeArg(urlArg))
	}
	url := urlArg.String()
	set := func(name string, val goja.Value) { _ = o.Set(name, val) }
	setQuery := func(search string) {
		if parseQuery {
			set("query", l.parseQuery(search))
		} else {
			set("query", rt.ToValue(search))
		}
	}

	// Trim white space, and turn backslashes before the query or hash
	// into slashes.
	hasHash, hasAt, split := false, false, false
	var rest strings.Builder
	start, end := -1, -1
	for i, r := range url {
		ws := r < 33 || r == 0xa0 || r == 0xfeff
		if start == -1 {
			if ws {
				continue
			}
			start = i
		}
		if ws {
			if end == -1 {
				end = i
			}
		} else {
			end = -1
		}
		if !split {
			switch r {
			case '@':
				hasAt = true
			case '#':
				hasHash, split = true, true
			case '?':
				split = true
			}
		} else if !hasHash && r == '#' {
			hasHash = true
		}
	}
	if start != -1 {
		stop := len(url)
		if end != -1 {
			stop = end
		}
		seen := false
		for _, r := range url[start:stop] {
			if !seen && r == '\\' {
				rest.WriteByte('/')
				continue
			}
			if r == '?' || r == '#' {
				seen = true
			}
			rest.WriteRune(r)
		}
	}
	restStr := rest.String()

	if !slashesDenoteHost && !hasHash && !hasAt {
		if path, search, ok := simplePath(restStr); ok {
			set("path", rt.ToValue(restStr))
			set("href", rt.ToValue(restStr))
			set("pathname", rt.ToValue(path))
			if search != "" {
				set("search", rt.ToValue(search))
				setQuery(search[1:])
			} else if parseQuery {
				set("search", goja.Null())
				set("query", l.parseQuery(""))
			}
			return
		}
	}

	var lowerProto string
	proto := protocolPrefix(restStr)
	if proto != "" {
		lowerProto = strings.ToLower(proto)
		set("protocol", rt.ToValue(lowerProto))
		restStr = restStr[len(proto):]
	}

	slashes := false
	if slashesDenoteHost || proto != "" || hostPrefix(restStr) {
		slashes = strings.HasPrefix(restStr, "//")
		if slashes && !(proto != "" && hostlessProtocol(lowerProto)) {
			restStr = restStr[2:]
			set("slashes", rt.ToValue(true))
		}
	}

	if !hostlessProtocol(lowerProto) && (slashes || proto != "" && !slashedProtocol(proto)) {
		// The first /, ? or # ends the host; an @ before it ends the
		// auth, which may hold what a host may not.
		var b strings.Builder
		hostEnd, atSign, nonHost := -1, -1, -1
		for i := 0; i < len(restStr); i++ {
			c := restStr[i]
			switch c {
			case '\t', '\n', '\r':
				continue // removed, as the URL Standard does
			case ' ', '"', '%', '\'', ';', '<', '>', '\\', '^', '`', '{', '|', '}':
				if nonHost == -1 {
					nonHost = b.Len()
				}
			case '#', '/', '?':
				if nonHost == -1 {
					nonHost = b.Len()
				}
				hostEnd = b.Len()
			case '@':
				atSign = b.Len()
				nonHost = -1
			}
			if hostEnd != -1 {
				b.WriteString(restStr[i:])
				break
			}
			b.WriteByte(c)
		}
		restStr = b.String()
		from := 0
		if atSign != -1 {
			set("auth", rt.ToValue(l.decodeURIComponent(restStr[:atSign])))
			from = atSign + 1
		}
		if nonHost == -1 {
			set("host", rt.ToValue(restStr[from:]))
			restStr = ""
		} else {
			set("host", rt.ToValue(restStr[from:nonHost]))
			restStr = restStr[nonHost:]
		}
		l.parseHost(o)
		if !isString(o.Get("hostname")) {
			set("hostname", rt.ToValue(""))
		}
		hostname := o.Get("hostname").String()
		ipv6 := isIPv6Hostname(hostname)
		if !ipv6 {
			// A host-ending character left in the hostname (from the
			// port's part) moves what follows it into the path.
			if i := strings.IndexAny(hostname, "/\\#?:"); i >= 0 {
				set("hostname", rt.ToValue(hostname[:i]))
				restStr = "/" + hostname[i:] + restStr
			}
		}
		hostname = o.Get("hostname").String()
		if utf16Len(hostname) > 255 {
			hostname = ""
		} else {
			hostname = strings.ToLower(hostname)
		}
		if hostname != "" {
			if ipv6 {
				if strings.ContainsAny(hostname, "\x00\t\n\r #%/<>?@\\^|") {
					l.k.invalidURL(url, nil)
				}
			} else {
				ascii, err := legacyIDNA.ToASCII(hostname)
				if err != nil || ascii == "" || strings.ContainsAny(ascii, "\x00\t\n\r #%/:<>?@[\\]^|") {
					l.k.invalidURL(url, nil)
				}
				hostname = ascii
			}
		}
		host := hostname
		if p := o.Get("port"); p != nil && p.ToBoolean() {
			host += ":" + p.String()
		}
		set("host", rt.ToValue(host))
		if ipv6 {
			hostname = hostname[1 : len(hostname)-1]
			if !strings.HasPrefix(restStr, "/") {
				restStr = "/" + restStr
			}
		}
		set("hostname", rt.ToValue(hostname))
	}

	if !hostlessProtocol(lowerProto) {
		restStr = autoEscape(restStr)
	}

	questionIdx, hashIdx := -1, -1
	for i := 0; i < len(restStr); i++ {
		if restStr[i] == '#' {
			set("hash", rt.ToValue(restStr[i:]))
			hashIdx = i
			break
		} else if restStr[i] == '?' && questionIdx == -1 {
			questionIdx = i
		}
	}
	if questionIdx != -1 {
		stop := len(restStr)
		if hashIdx != -1 {
			stop = hashIdx
		}
		set("search", rt.ToValue(restStr[questionIdx:stop]))
		setQuery(restStr[questionIdx+1 : stop])
	} else if parseQuery {
		set("search", goja.Null())
		set("query", l.parseQuery(""))
	}

	first := hashIdx
	if questionIdx != -1 && (hashIdx == -1 || questionIdx < hashIdx) {
		first = questionIdx
	}
	if first == -1 {
		if restStr != "" {
			set("pathname", rt.ToValue(restStr))
		}
	} else if first > 0 {
		set("pathname", rt.ToValue(restStr[:first]))
	}
	if slashedProtocol(lowerProto) && truthy(o.Get("hostname")) && !truthy(o.Get("pathname")) {
		set("pathname", rt.ToValue("/"))
	}
	if p, s := o.Get("pathname"), o.Get("search"); truthy(p) || truthy(s) {
		set("path", rt.ToValue(orEmpty(p)+orEmpty(s)))
	}
	set("href", rt.ToValue(l.format(o)))
}

// parseHost is Url.prototype.parseHost: it splits a port off o.host.
func (l *legacyURL) parseHost(o *goja.Object) {
	rt := l.k.v.Runtime()
	h := o.Get("host")
	if !truthy(h) {
		return
	}
	host := h.String()
	if i := strings.LastIndexByte(host, ':'); i >= 0 && strings.Trim(host[i+1:], "0123456789") == "" {
		if port := host[i+1:]; port != "" {
			_ = o.Set("port", rt.ToValue(port))
		}
		host = host[:i]
	}
	if host != "" {
		_ = o.Set("hostname", rt.ToValue(host))
	}
}

func isIPv6Hostname(h string) bool {
	return len(h) >= 1 && h[0] == '[' && h[len(h)-1] == ']'
}

// utf16Len is the length of s in JavaScript.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// autoEscape escapes the delimiters and unwise characters of RFC 2396, and
// single quotes, as url.parse does to what follows the host.
func autoEscape(s string) string {
	const escaped = "\t\n\r \"'<>\\^`{|}"
	if !strings.ContainsAny(s, escaped) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; strings.IndexByte(escaped, c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

const upperHex = "0123456789ABCDEF"

// orEmpty is `v || ”`.
func orEmpty(v goja.Value) string {
	if truthy(v) {
		return v.String()
	}
	return ""
}

// format is Url.prototype.format over any object.
func (l *legacyURL) format(o *goja.Object) string {
	auth := orEmpty(o.Get("auth"))
	if auth != "" {
		auth = qsEncode(auth, authNoEscape) + "@"
	}
	protocol, pathname, hash := orEmpty(o.Get("protocol")), orEmpty(o.Get("pathname")), orEmpty(o.Get("hash"))
	host, query := "", ""
	if h := orEmpty(o.Get("host")); h != "" {
		host = auth + h
	} else if h := orEmpty(o.Get("hostname")); h != "" {
		if strings.Contains(h, ":") && !isIPv6Hostname(h) {
			h = "[" + h + "]"
		}
		host = auth + h
		if p := orEmpty(o.Get("port")); p != "" {
			host += ":" + p
		}
	}
	if q, ok := o.Get("query").(*goja.Object); ok && !isFunction(q) {
		query = l.stringifyQuery(q)
	}
	search := orEmpty(o.Get("search"))
	if search == "" && query != "" {
		search = "?" + query
	}
	if protocol != "" && !strings.HasSuffix(protocol, ":") {
		protocol += ":"
	}
	pathname = strings.NewReplacer("#", "%23", "?", "%3F").Replace(pathname)
	if slashes := truthy(o.Get("slashes")); slashes || slashedProtocol(protocol) {
		if slashes || host != "" {
			if pathname != "" && pathname[0] != '/' {
				pathname = "/" + pathname
			}
			host = "//" + host
		} else if strings.HasPrefix(protocol, "file") {
			host = "//"
		}
	}
	search = strings.ReplaceAll(search, "#", "%23")
	if hash != "" && hash[0] != '#' {
		hash = "#" + hash
	}
	if search != "" && search[0] != '?' {
		search = "?" + search
	}
	return protocol + host + pathname + search + hash
}

// formatURL is url.format of a WHATWG URL with its options.
func (l *legacyURL) formatURL(href string, opts goja.Value) string {
	v := l.k.v
	fragment, unicode, search, auth := true, false, true, true
	if truthy(opts) {
		o, ok := opts.(*goja.Object)
		if !ok || isFunction(o) || o.ClassName() == "Array" {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"options\" argument must be of type object. Received %s", describeArg(opts))
		}
		option := func(name string, to *bool) {
			if x := o.Get(name); x != nil && !goja.IsUndefined(x) && !goja.IsNull(x) {
				*to = x.ToBoolean()
			}
		}
		option("fragment", &fragment)
		option("unicode", &unicode)
		option("search", &search)
		option("auth", &auth)
	}
	u := l.k.parseFresh(href)
	if !fragment {
		u.SetHash("")
	}
	if !search {
		u.SetSearch("")
	}
	if !auth {
		u.SetUsername("")
		u.SetPassword("")
	}
	out := u.Href(false)
	if unicode && u.Hostname() != "" {
		if uni, ok := hostToUnicode(u.Hostname()); ok {
			// The host follows "scheme://" and the userinfo, if any.
			at := len(u.Protocol()) + 2
			if u.Username() != "" || u.Password() != "" {
				at = strings.IndexByte(out, '@') + 1
			}
			if strings.HasPrefix(out[at:], u.Hostname()) {
				out = out[:at] + uni + out[at+len(u.Hostname()):]
			}
		}
	}
	return out
}

// hostToUnicode turns the punycode labels of an ASCII host into Unicode.
func hostToUnicode(host string) (string, bool) {
	labels := strings.Split(host, ".")
	changed := false
	for i, label := range labels {
		if strings.HasPrefix(label, "xn--") {
			if u, err := idna.Punycode.ToUnicode(label); err == nil {
				labels[i], changed = u, true
			}
		}
	}
	return strings.Join(labels, "."), changed
}

func isFunction(o *goja.Object) bool {
	_, ok := goja.AssertFunction(o)
	return ok
}

// resolveObject is Url.prototype.resolveObject: a new Url, source resolved
// against relative (a string is parsed first, with slashes denoting a
// host).
func (l *legacyURL) resolveObject(source *goja.Object, relArg goja.Value) *goja.Object {
	rt := l.k.v.Runtime()
	var relative *goja.Object
	if isString(relArg) {
		relative = l.urlParse(relArg, false, true)
	} else {
		relative = relArg.ToObject(rt)
	}
	result, err := rt.New(l.ctor)
	if err != nil {
		panic(err)
	}
	if _, err := l.assign(goja.Undefined(), result, source); err != nil {
		panic(err)
	}
	get := func(o *goja.Object, name string) goja.Value {
		if x := o.Get(name); x != nil {
			return x
		}
		return goja.Undefined()
	}
	set := func(o *goja.Object, name string, val goja.Value) { _ = o.Set(name, val) }
	str := func(s string) goja.Value { return rt.ToValue(s) }
	slashed := func(x goja.Value) bool { return isString(x) && slashedProtocol(x.String()) }
	isNull := func(x goja.Value) bool { return goja.IsNull(x) }
	nullish := func(x goja.Value) bool { return goja.IsNull(x) || goja.IsUndefined(x) }
	finish := func() *goja.Object {
		set(result, "href", str(l.format(result)))
		return result
	}

	set(result, "hash", get(relative, "hash"))
	if h := get(relative, "href"); isString(h) && h.String() == "" {
		return finish()
	}

	// Hrefs like //foo/bar always cut to the protocol.
	if truthy(get(relative, "slashes")) && !truthy(get(relative, "protocol")) {
		for _, key := range relative.Keys() {
			if key != "protocol" {
				set(result, key, get(relative, key))
			}
		}
		if slashed(get(result, "protocol")) && truthy(get(result, "hostname")) && !truthy(get(result, "pathname")) {
			set(result, "pathname", str("/"))
			set(result, "path", str("/"))
		}
		return finish()
	}

	if rp := get(relative, "protocol"); truthy(rp) && !rp.StrictEquals(get(result, "protocol")) {
		if !slashed(rp) {
			if _, err := l.assign(goja.Undefined(), result, relative); err != nil {
				panic(err)
			}
			return finish()
		}
		set(result, "protocol", rp)
		if p := rp.String(); !truthy(get(relative, "host")) && p != "file" && p != "file:" && !hostlessProtocol(p) {
			relPath := strings.Split(orEmpty(get(relative, "pathname")), "/")
			host := ""
			for len(relPath) > 0 && host == "" {
				host, relPath = relPath[0], relPath[1:]
			}
			set(relative, "host", str(host))
			if !truthy(get(relative, "hostname")) {
				set(relative, "hostname", str(""))
			}
			if len(relPath) == 0 || relPath[0] != "" {
				relPath = append([]string{""}, relPath...)
			}
			if len(relPath) < 2 {
				relPath = append([]string{""}, relPath...)
			}
			set(result, "pathname", str(strings.Join(relPath, "/")))
		} else {
			set(result, "pathname", get(relative, "pathname"))
		}
		set(result, "search", get(relative, "search"))
		set(result, "query", get(relative, "query"))
		if h := get(relative, "host"); truthy(h) {
			set(result, "host", h)
		} else {
			set(result, "host", str(""))
		}
		set(result, "auth", get(relative, "auth"))
		if h := get(relative, "hostname"); truthy(h) {
			set(result, "hostname", h)
		} else {
			set(result, "hostname", get(relative, "host"))
		}
		set(result, "port", get(relative, "port"))
		if p, s := get(result, "pathname"), get(result, "search"); truthy(p) || truthy(s) {
			set(result, "path", str(orEmpty(p)+orEmpty(s)))
		}
		if !truthy(get(result, "slashes")) {
			set(result, "slashes", get(relative, "slashes"))
		}
		return finish()
	}

	startsWithSlash := func(x goja.Value) bool { return truthy(x) && strings.HasPrefix(x.String(), "/") }
	isSourceAbs := startsWithSlash(get(result, "pathname"))
	isRelAbs := truthy(get(relative, "host")) || startsWithSlash(get(relative, "pathname"))
	mustEndAbs := isRelAbs || isSourceAbs || truthy(get(result, "host")) && truthy(get(relative, "pathname"))
	removeAllDots := mustEndAbs
	var srcPath, relPath []string
	if p := get(result, "pathname"); truthy(p) {
		srcPath = strings.Split(p.String(), "/")
	}
	if p := get(relative, "pathname"); truthy(p) {
		relPath = strings.Split(p.String(), "/")
	}
	rp := get(result, "protocol")
	noLeadingSlashes := truthy(rp) && !slashed(rp)
	first := func(p []string) (string, bool) {
		if len(p) == 0 {
			return "", false
		}
		return p[0], true
	}
	// putFirst puts host first in a path: in place of an empty first
	// part, or before it.
	putFirst := func(p []string, host string) []string {
		if s, ok := first(p); ok && s == "" {
			p[0] = host
			return p
		}
		return append([]string{host}, p...)
	}

	if noLeadingSlashes {
		set(result, "hostname", str(""))
		set(result, "port", goja.Null())
		if h := get(result, "host"); truthy(h) {
			srcPath = putFirst(srcPath, h.String())
		}
		set(result, "host", str(""))
		if truthy(get(relative, "protocol")) {
			set(relative, "hostname", goja.Null())
			set(relative, "port", goja.Null())
			set(result, "auth", goja.Null())
			if h := get(relative, "host"); truthy(h) {
				relPath = putFirst(relPath, h.String())
			}
			set(relative, "host", goja.Null())
		}
		r0, rok := first(relPath)
		s0, sok := first(srcPath)
		mustEndAbs = mustEndAbs && (rok && r0 == "" || sok && s0 == "")
	}

	// authInHost moves an auth that got stuck in the host into auth, as in
	// url.resolveObject('mailto:local1@domain1', 'local2@domain2').
	authInHost := func() {
		h := get(result, "host")
		if !truthy(h) {
			return
		}
		if i := strings.IndexByte(h.String(), '@'); i > 0 {
			parts := strings.Split(h.String(), "@")
			set(result, "auth", str(parts[0]))
			set(result, "host", str(parts[1]))
			set(result, "hostname", str(parts[1]))
		}
	}

	switch {
	case isRelAbs:
		if h := get(relative, "host"); truthy(h) || isString(h) && h.String() == "" {
			if !get(result, "host").StrictEquals(h) {
				set(result, "auth", goja.Null())
			}
			set(result, "host", h)
			set(result, "port", get(relative, "port"))
		}
		if h := get(relative, "hostname"); truthy(h) || isString(h) && h.String() == "" {
			if !get(result, "hostname").StrictEquals(h) {
				set(result, "auth", goja.Null())
			}
			set(result, "hostname", h)
		}
		set(result, "search", get(relative, "search"))
		set(result, "query", get(relative, "query"))
		srcPath = relPath
	case len(relPath) > 0:
		if len(srcPath) > 0 {
			srcPath = srcPath[:len(srcPath)-1]
		}
		srcPath = append(srcPath, relPath...)
		set(result, "search", get(relative, "search"))
		set(result, "query", get(relative, "query"))
	case !nullish(get(relative, "search")):
		if noLeadingSlashes {
			var h goja.Value = goja.Undefined()
			if len(srcPath) > 0 {
				h, srcPath = str(srcPath[0]), srcPath[1:]
			}
			set(result, "hostname", h)
			set(result, "host", h)
			authInHost()
		}
		set(result, "search", get(relative, "search"))
		set(result, "query", get(relative, "query"))
		if p, s := get(result, "pathname"), get(result, "search"); !isNull(p) || !isNull(s) {
			set(result, "path", str(orEmpty(p)+orEmpty(s)))
		}
		return finish()
	}

	if len(srcPath) == 0 {
		set(result, "pathname", goja.Null())
		if s := get(result, "search"); truthy(s) {
			set(result, "path", str("/"+s.String()))
		} else {
			set(result, "path", goja.Null())
		}
		return finish()
	}

	last := srcPath[len(srcPath)-1]
	hasTrailingSlash := (truthy(get(result, "host")) || truthy(get(relative, "host")) || len(srcPath) > 1) &&
		(last == "." || last == "..") || last == ""

	// Strip single dots, resolve double dots to the parent; up counts
	// what would go above the root.
	up := 0
	for i := len(srcPath) - 1; i >= 0; i-- {
		switch last = srcPath[i]; {
		case last == ".":
			srcPath = append(srcPath[:i], srcPath[i+1:]...)
		case last == "..":
			srcPath = append(srcPath[:i], srcPath[i+1:]...)
			up++
		case up > 0:
			srcPath = append(srcPath[:i], srcPath[i+1:]...)
			up--
		}
	}
	if !mustEndAbs && !removeAllDots {
		for ; up > 0; up-- {
			srcPath = append([]string{".."}, srcPath...)
		}
	}
	if s0, ok := first(srcPath); mustEndAbs && !(ok && s0 == "") && !(ok && strings.HasPrefix(s0, "/")) {
		srcPath = append([]string{""}, srcPath...)
	}
	if hasTrailingSlash && !strings.HasSuffix(strings.Join(srcPath, "/"), "/") {
		srcPath = append(srcPath, "")
	}
	s0, ok := first(srcPath)
	isAbsolute := ok && (s0 == "" || strings.HasPrefix(s0, "/"))

	if noLeadingSlashes {
		h := ""
		if !isAbsolute && len(srcPath) > 0 {
			h, srcPath = srcPath[0], srcPath[1:]
		}
		set(result, "hostname", str(h))
		set(result, "host", str(h))
		authInHost()
	}
	mustEndAbs = mustEndAbs || truthy(get(result, "host")) && len(srcPath) > 0
	if mustEndAbs && !isAbsolute {
		srcPath = append([]string{""}, srcPath...)
	}
	if len(srcPath) == 0 {
		set(result, "pathname", goja.Null())
		set(result, "path", goja.Null())
	} else {
		set(result, "pathname", str(strings.Join(srcPath, "/")))
	}
	if p, s := get(result, "pathname"), get(result, "search"); !isNull(p) || !isNull(s) {
		set(result, "path", str(orEmpty(p)+orEmpty(s)))
	}
	if a := get(relative, "auth"); truthy(a) {
		set(result, "auth", a)
	}
	if !truthy(get(result, "slashes")) {
		set(result, "slashes", get(relative, "slashes"))
	}
	return finish()
}

// The characters querystring.escape and the auth of url.format leave as
// they are (besides ASCII letters and digits).
const (
	qsNoEscape   = "!'()*-._~"
	authNoEscape = "!'()*-._~:"
)

// qsEncode percent-encodes the UTF-8 of s but for letters, digits and the
// characters in keep, as node's encodeStr does.
func qsEncode(s, keep string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c < utf8.RuneSelf && strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String()
}

// stringifyQuery is querystring.stringify(q) with its defaults.
func (l *legacyURL) stringifyQuery(q *goja.Object) string {
	rt := l.k.v.Runtime()
	convert := func(x goja.Value) string {
		if x == nil || goja.IsUndefined(x) || goja.IsNull(x) {
			return ""
		}
		if isString(x) {
			return qsEncode(x.String(), qsNoEscape)
		}
		switch e := x.Export().(type) {
		case bool:
			if e {
				return "true"
			}
			return "false"
		case int64:
			if math.Abs(float64(e)) < 1e21 {
				return x.String()
			}
			return qsEncode(x.String(), qsNoEscape)
		case float64:
			if math.IsInf(e, 0) || math.IsNaN(e) {
				return ""
			}
			if math.Abs(e) < 1e21 {
				return x.String()
			}
			return qsEncode(x.String(), qsNoEscape)
		}
		if isBigInt(x) {
			return x.String()
		}
		return ""
	}
	var b strings.Builder
	for _, key := range q.Keys() {
		ks := qsEncode(key, qsNoEscape) + "="
		val := q.Get(key)
		if arr, ok := val.(*goja.Object); ok && arr.ClassName() == "Array" {
			n := arr.Get("length").ToInteger()
			if n == 0 {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			for j := int64(0); j < n; j++ {
				if j > 0 {
					b.WriteByte('&')
				}
				b.WriteString(ks)
				b.WriteString(convert(arr.Get(rt.ToValue(j).String())))
			}
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(ks)
		b.WriteString(convert(val))
	}
	return b.String()
}

// isBigInt reports whether x is a BigInt.
func isBigInt(x goja.Value) bool {
	_, ok := x.Export().(interface{ BitLen() int })
	return ok
}

// parseQuery is querystring.parse(s) with its defaults: an object without
// a prototype, a key met again makes an array; at most 1000 pairs.
func (l *legacyURL) parseQuery(s string) *goja.Object {
	rt := l.k.v.Runtime()
	obj := rt.NewObject()
	_ = obj.SetPrototype(nil)
	if s == "" {
		return obj
	}
	pairs := 0
	for part := range strings.SplitSeq(s, "&") {
		if pairs == 1000 {
			break
		}
		pairs++
		if part == "" {
			continue
		}
		key, value, _ := strings.Cut(part, "=")
		key, value = qsUnescape(strings.ReplaceAll(key, "+", " ")), qsUnescape(strings.ReplaceAll(value, "+", " "))
		switch cur := obj.Get(key); {
		case cur == nil || goja.IsUndefined(cur):
			_ = obj.Set(key, value)
		default:
			if arr, ok := cur.(*goja.Object); ok && arr.ClassName() == "Array" {
				_ = arr.Set(arr.Get("length").String(), value)
			} else {
				_ = obj.Set(key, rt.NewArray(cur, value))
			}
		}
	}
	return obj
}

// percentDecode decodes each %XX of s; strict is false if a % is not
// followed by two hex digits (it then stays as it is).
func percentDecode(s string) (b []byte, strict bool) {
	b, strict = make([]byte, 0, len(s)), true
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			if i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
				i += 2
				continue
			}
			strict = false
		}
		b = append(b, s[i])
	}
	return b, strict
}

// qsUnescape is querystring.unescape: decodeURIComponent, or where that
// fails, a lenient decoding of each %XX (a % without two hex digits stays),
// whose malformed UTF-8 becomes U+FFFD as Buffer's toString does it.
func qsUnescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b, strict := percentDecode(s)
	if strict && utf8.Valid(b) {
		return string(b)
	}
	return string(decodeUTF8(b))
}

// decodeURIComponent decodes s as JavaScript's decodeURIComponent does,
// throwing V8's URIError where it fails.
func (l *legacyURL) decodeURIComponent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b, strict := percentDecode(s)
	if !strict || !utf8.Valid(b) {
		e, err := l.uriError(nil, l.k.v.Runtime().ToValue("URI malformed"))
		if err != nil {
			panic(err)
		}
		panic(e)
	}
	return string(b)
}
