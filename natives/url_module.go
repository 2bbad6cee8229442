package natives

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/dop251/goja"
	wurl "github.com/nlnwa/whatwg-url/url"
	"golang.org/x/net/idna"
)

// The built-in module "url": URL and URLSearchParams, and Node's functions
// over WHATWG URLs, after Node's legacy API (url_legacy.go), in Node's
// order.

func (k *urlKit) module() *goja.Object {
	v, rt := k.v, k.v.Runtime()
	m := rt.NewObject()
	(&legacyURL{k: k}).install(m)
	_ = m.Set("URL", k.url)
	_ = m.Set("URLSearchParams", k.params)
	decodeURIComponent, _ := goja.AssertFunction(rt.Get("decodeURIComponent"))
	v.DefineFunction(m, "domainToASCII", 1, func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) == 0 {
			throwTypef(v, "ERR_MISSING_ARGS", "The \"domain\" argument must be specified")
		}
		ascii, _ := domainToASCII(usv(c.Arguments[0]))
		return rt.ToValue(ascii)
	})
	v.DefineFunction(m, "domainToUnicode", 1, func(c goja.FunctionCall) goja.Value {
		if len(c.Arguments) == 0 {
			throwTypef(v, "ERR_MISSING_ARGS", "The \"domain\" argument must be specified")
		}
		ascii, ok := domainToASCII(usv(c.Arguments[0]))
		if !ok {
			return rt.ToValue("")
		}
		labels := strings.Split(ascii, ".")
		for i, l := range labels {
			if strings.HasPrefix(l, "xn--") {
				if u, err := idna.Punycode.ToUnicode(l); err == nil {
					labels[i] = u
				}
			}
		}
		return rt.ToValue(strings.Join(labels, "."))
	})
	v.DefineFunction(m, "pathToFileURL", 1, func(c goja.FunctionCall) goja.Value {
		arg := c.Argument(0)
		if !isString(arg) {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"path\" argument must be of type string. Received %s", describeArg(arg))
		}
		p := arg.String()
		resolved := p
		if !filepath.IsAbs(resolved) {
			cwd, err := os.Getwd()
			if err != nil {
				throwf(v, "pathToFileURL: %v", err)
			}
			resolved = filepath.Join(cwd, resolved)
		}
		resolved = filepath.Clean(resolved)
		if strings.HasSuffix(p, "/") && !strings.HasSuffix(resolved, "/") {
			resolved += "/"
		}
		u, err := urlParser.Parse("file://")
		if err != nil {
			panic(err)
		}
		u.SetPathname(encodePathChars(resolved))
		o, err := rt.New(k.url, rt.ToValue(u.Href(false)))
		if err != nil {
			panic(err)
		}
		return o
	})
	v.DefineFunction(m, "fileURLToPath", 1, func(c goja.FunctionCall) goja.Value {
		arg := c.Argument(0)
		var href string
		switch {
		case isString(arg):
			u, err := urlParser.Parse(arg.String())
			if err != nil {
				k.invalidURL(arg.String(), nil)
			}
			href = u.Href(false)
		case k.isURL(arg):
			href = k.href(arg)
		default:
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"path\" argument must be of type string or an instance of URL. Received %s", describeArg(arg))
		}
		u := k.parse(href)
		if u.Scheme() != "file" {
			throwTypef(v, "ERR_INVALID_URL_SCHEME", "The URL must be of scheme file")
		}
		if u.Hostname() != "" {
			throwTypef(v, "ERR_INVALID_FILE_URL_HOST", "File URL host must be \"localhost\" or empty on %s", nodePlatform())
		}
		path := u.Pathname()
		if strings.Contains(strings.ToLower(path), "%2f") {
			throwTypef(v, "ERR_INVALID_FILE_URL_PATH", "File URL path must not include encoded / characters")
		}
		res, err := decodeURIComponent(goja.Undefined(), rt.ToValue(path))
		if err != nil {
			panic(err)
		}
		return res
	})
	v.DefineFunction(m, "urlToHttpOptions", 1, func(c goja.FunctionCall) goja.Value {
		u := c.Argument(0).ToObject(rt)
		str := func(name string) string { return u.Get(name).String() }
		o := rt.NewObject()
		_ = o.SetPrototype(nil)
		_ = o.Set("protocol", u.Get("protocol"))
		hostname := u.Get("hostname")
		if h, ok := hostname.(goja.String); ok && strings.HasPrefix(h.String(), "[") {
			s := h.String()
			hostname = rt.ToValue(s[1 : len(s)-1])
		}
		_ = o.Set("hostname", hostname)
		_ = o.Set("hash", u.Get("hash"))
		_ = o.Set("search", u.Get("search"))
		_ = o.Set("pathname", u.Get("pathname"))
		path := ""
		if p := u.Get("pathname"); p != nil && p.ToBoolean() {
			path = p.String()
		}
		if s := u.Get("search"); s != nil && s.ToBoolean() {
			path += s.String()
		}
		_ = o.Set("path", path)
		_ = o.Set("href", u.Get("href"))
		if port := u.Get("port"); port != nil && port.String() != "" {
			_ = o.Set("port", port.ToNumber())
		}
		if user, pass := u.Get("username"), u.Get("password"); user != nil && user.ToBoolean() || pass != nil && pass.ToBoolean() {
			du, err := decodeURIComponent(goja.Undefined(), rt.ToValue(str("username")))
			if err != nil {
				panic(err)
			}
			dp, err := decodeURIComponent(goja.Undefined(), rt.ToValue(str("password")))
			if err != nil {
				panic(err)
			}
			_ = o.Set("auth", du.String()+":"+dp.String())
		}
		return o
	})
	return m
}

func isString(v goja.Value) bool {
	_, ok := v.(goja.String)
	return ok
}

// isURL reports whether val is a URL object of this world.
func (k *urlKit) isURL(val goja.Value) bool {
	o, ok := val.(*goja.Object)
	if !ok {
		return false
	}
	st, ok := o.GetSymbol(k.sym).(*goja.Object)
	if !ok {
		return false
	}
	_, isHref := st.Get("href").(goja.String)
	return isHref && st.Get("searchParams") != nil
}

// domainToASCII returns the host a URL would have for domain, as Node's
// url.domainToASCII does (setting the hostname of a ws: URL); ok is false
// when it is not a valid host, or when the setter would leave the hostname
// as it was (a domain with a port), which Node also counts as a failure.
func domainToASCII(domain string) (string, bool) {
	var got [2]string
	for i, seed := range [2]string{"x", "y"} {
		u, err := urlParser.Parse("ws://" + seed)
		if err != nil {
			return "", false
		}
		if _, err := urlParser.BasicParser(domain, nil, u, wurl.StateHostname); err != nil {
			return "", false
		}
		got[i] = u.Hostname()
	}
	if got[0] == "x" && got[1] == "y" {
		return "", false
	}
	return got[0], true
}

// encodePathChars escapes what the pathname setter keeps but a file path
// may hold, as Node's pathToFileURL does.
func encodePathChars(p string) string {
	r := strings.NewReplacer("%", "%25", "\\", "%5C", "\n", "%0A", "\r", "%0D", "\t", "%09")
	return r.Replace(p)
}
