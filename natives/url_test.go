package natives_test

import (
	"strings"
	"testing"
)

// TestURL checks the URL Standard's answers for the cases Node users lean
// on, and Node's legacy API's; cmd/stasis compares large tables with node
// itself.
func TestURL(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"origin keeps a port", `new URL("https://a.com:8443/x").origin`, "https://a.com:8443"},
		{"default port dropped", `new URL("http://a.com:80/").href`, "http://a.com/"},
		{"relative", `new URL("../../x?y#z", "http://h/a/b/c/d").href`, "http://h/a/x?y#z"},
		{"idna", `new URL("http://Bücher.DE/").host`, "xn--bcher-kva.de"},
		{"ipv4", `new URL("http://0x7f.1/").host`, "127.0.0.1"},
		{"file", `new URL("file://localhost/a/../b c").href`, "file:///b%20c"},
		{"opaque", `new URL("mailto:Joe@Example.COM").pathname`, "Joe@Example.COM"},
		{"blob origin", `new URL("blob:https://a:1/x").origin`, "https://a:1"},
		{"append updates href", `var u = new URL("http://h/?a=1"); u.searchParams.append("b", "x y"); u.href`, "http://h/?a=1&b=x+y"},
		{"search updates params", `var u = new URL("http://h/"); var p = u.searchParams; u.search = "k=v"; p.get("k") + (p === u.searchParams)`, "vtrue"},
		{"href updates params", `var u = new URL("http://h/?a=1"); var p = u.searchParams; u.href = "http://g/?b=2"; [...p].join()`, "b,2"},
		{"emptied params drop the ?", `var u = new URL("http://h/?a=1#f"); u.searchParams.delete("a"); u.href`, "http://h/#f"},
		{"invalid", `try { new URL("nope") } catch (e) { e instanceof TypeError && e.code + " " + e.input }`, "ERR_INVALID_URL nope"},
		{"invalid base", `try { new URL("x", "nope") } catch (e) { e.code + " " + e.base }`, "ERR_INVALID_URL nope"},
		{"form encoding", `new URLSearchParams({"a b": "~!'()*é"}).toString()`, "a+b=%7E%21%27%28%29*%C3%A9"},
		{"sort by code units", `var p = new URLSearchParams("ﬃ=1&🌈=2&a=3"); p.sort(); [...p.keys()].join()`, "a,🌈,ﬃ"},
		{"has and delete by value", `var p = new URLSearchParams("a=1&a=2"); p.delete("a", "1"); p.has("a", "2") + " " + p.size`, "true 1"},
		{"fileURLToPath", `require("url").fileURLToPath("file:///a%20b/%C3%BC")`, "/a b/ü"},
		{"pathToFileURL", `require("url").pathToFileURL("/a b/#?").href`, "file:///a%20b/%23%3F"},
		{"domainToUnicode", `require("url").domainToUnicode("xn--bcher-kva.de")`, "bücher.de"},
		{"legacy parse", `JSON.stringify(require("url").parse("HTTP://u:p@Example.COM:8080/a b?x=1#h"))`,
			`{"protocol":"http:","slashes":true,"auth":"u:p","host":"example.com:8080","port":"8080","hostname":"example.com","hash":"#h","search":"?x=1","query":"x=1","pathname":"/a%20b","path":"/a%20b?x=1","href":"http://u:p@example.com:8080/a%20b?x=1#h"}`},
		{"legacy query", `var q = require("url").parse("/p?a=1&a=2&b=%zz", true).query; JSON.stringify(q) + Object.getPrototypeOf(q)`, `{"a":["1","2"],"b":"%zz"}null`},
		{"legacy format", `require("url").format({protocol: "https", hostname: "h", pathname: "p", query: {a: [1, 2], b: "x y"}})`, "https://h/p?a=1&a=2&b=x%20y"},
		{"legacy resolve", `var url = require("url"); url.resolve("http://a/b/c/d;p?q", "../../g") + " " + url.resolve("mailto:a@b", "c@d")`, "http://a/g mailto:c@d"},
		{"legacy Url", `var url = require("url"); url.parse("x") instanceof url.Url && Object.keys(new url.Url()).length`, "12"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			if got := w.eval(c.src).String(); got != c.want {
				t.Errorf("%s\n= %q, want %q", c.src, got, c.want)
			}
		})
	}
}

// TestURLState: a URL's and a URLSearchParams' state are ordinary objects,
// so that the image walk saves them; the link between a URL and its
// searchParams is a reference each way.
func TestURLState(t *testing.T) {
	w := newWorld(t)
	got := w.eval(`
		var s = Symbol.for("stasis.state"), u = new URL("http://h/?a=1"), p = u.searchParams;
		[Object.getPrototypeOf(u[s]) === Object.prototype, u[s].href, u[s].searchParams === p, p[s].url === u, p[s].list.join()].join(" ")
	`).String()
	if want := "true http://h/?a=1 true true a,1"; got != want {
		t.Errorf("state: %q, want %q", got, want)
	}
	if !strings.Contains(w.eval(`String(require("url").URL === URL)`).String(), "true") {
		t.Error(`require("url").URL is not the global URL`)
	}
}

// TestURLViewRunsNoCode: printing a URL or a URLSearchParams reads their
// state, never a getter, and one whose state a world has reshaped prints as
// an ordinary object; replacing Object.getOwnPropertyDescriptor or
// Symbol.for changes nothing.
func TestURLViewRunsNoCode(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"getters not called", `
			var u = new URL("http://h/?a=1"), calls = 0;
			Object.defineProperty(URL.prototype, "href", {get() { calls++; return "x" }});
			Object.defineProperty(URLSearchParams.prototype, "size", {get() { calls++; return 0 }});
			Object.getOwnPropertyDescriptor = () => { calls++ };
			Symbol.for = () => { calls++ };
			console.log(u); console.log(calls)`,
			"URL {\n  href: 'http://h/?a=1',\n  origin: 'http://h',\n  protocol: 'http:',\n  username: '',\n  password: '',\n  host: 'h',\n  hostname: 'h',\n  port: '',\n  pathname: '/',\n  search: '?a=1',\n  searchParams: URLSearchParams { 'a' => '1' },\n  hash: ''\n}\n0\n"},
		{"state with a getter", `
			var s = Symbol.for("stasis.state"), calls = 0;
			var p = Object.create(URLSearchParams.prototype);
			Object.defineProperty(p, s, {value: {get list() { calls++; return ["a", "b"] }, url: null}});
			console.log(p, calls)`,
			"URLSearchParams {} 0\n"},
		{"state of the wrong shape", `
			var u = Object.create(URL.prototype);
			Object.defineProperty(u, Symbol.for("stasis.state"), {value: {href: 7}});
			u.own = 1;
			console.log(u)`,
			"URL { own: 1 }\n"},
		{"list of a proxy", `
			var calls = 0, p = Object.create(URLSearchParams.prototype);
			Object.defineProperty(p, Symbol.for("stasis.state"), {value: new Proxy({list: []}, {get() { calls++ }, getOwnPropertyDescriptor() { calls++ }})});
			console.log(p, calls)`,
			"URLSearchParams {} 0\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t)
			w.run("view.js", c.src)
			if got := w.out.String(); got != c.want {
				t.Errorf("printed\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}
