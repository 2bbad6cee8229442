// Node's legacy URL API compared with node: url.parse over a table of
// inputs (with and without parseQueryString and slashesDenoteHost),
// url.format of legacy objects, plain objects and WHATWG URLs with options,
// url.resolve over RFC 3986's examples and more, url.resolveObject, and the
// errors. Each case prints one line; the test compares the whole output
// with node's.
const url = require("url");

const fields = ["protocol", "slashes", "auth", "host", "port", "hostname", "hash", "search", "query", "pathname", "path", "href"];
const show = (u) => JSON.stringify(fields.map((f) => u[f])) + " " + JSON.stringify(Object.keys(u)) +
  (u.query && typeof u.query === "object" ? " query proto " + Object.getPrototypeOf(u.query) : "");
const attempt = (f) => {
  try {
    return f();
  } catch (e) {
    return `${e.name} ${e.code} ${e.message}`;
  }
};

const inputs = [
  // hosts, auth, ports
  "http://user:pass@host.com:8080/p/a/t/h?query=string#hash", "HTTP://X.COM/Y", "http://x.com/path?that's#all, folks",
  "http://x.y.COM/Y", "http://a@b@c/", "http://a@b?@c", "http://a\r\" \t\n<'b:b@c\r\nd/e?f", "http://atpass:foo%40bar@127.0.0.1:8080/path?search=foo#bar",
  "http://user:pass@host/", "http://%zz@h/", "http://us%20er@h/", "http://:@h/", "http://@h/", "http://h:/", "http://h:0/", "http://h:65536/",
  "http://h:8o/", "http://h:8080:90/", "http://a:b:c@h/", "http://x:1/' <>\"`/{}|\\^~`/", "http://host.com:abc/", "http://[::1]:8080/x",
  "http://[FE80::1]/", "http://[::1/", "http://[::1]x/", "http://a.com:/", "http://www.ExAmPlE.com/", "http://bücher.de/ü?ü#ü",
  "http://ÄÖ.com", "http://faß.de/", "http://☃.net/", "http://ＡＢＣ.com/", "http://example。com/", "http://a..b/",
  "http://%41.com/", "http://a_b.com/", "http://*.com/", "http://-a-.com", "http://0x7f.1/", "http://1.2.3.4.5/",
  "http://xn--/", "http://xn--a.com/", "http://x:y@xn--bcher-kva.de", "http://" + "a".repeat(256) + "/x",
  "http://a;b/c", "http://a b/c", "http://a<b>/", "http://a{b}/", "http://a`b/", "http://a^b/", "http://a|b/",
  // protocols
  "https://h", "HTTPS://H", "ftp://h/f", "gopher://h/", "ws://h", "wss://h/p", "file:///etc/passwd", "file://localhost/etc/passwd",
  "file:/etc/passwd", "file:etc", "FILE:///X", "mailto:local@domain.com", "mailto:?to=a@b.com", "mailto:Joe@Example.COM?subject=hi",
  "xmpp:isaacschlueter@jabber.org", "javascript:alert('hello');", "javascript:alert(1)//x?y#z", "JavaScript:a", "news:comp.lang",
  "urn:isbn:0451450523", "tel:+1-555", "foo:", "foo:bar", "foo://h/p", "foo:/p", "svn+ssh://foo/bar", "dash-test://foo/bar",
  "dash-test:foo/bar", "dot.test://foo/bar", "a1+-.:x", "1a:x", "-a:x", "git+https://github.com/x/y.git#v1",
  "coap://[1080:0:0:0:8:800:200C:417A]:61616/", "data:text/html,<b>x</b>",
  // paths, queries, hashes and white space
  "/foo/bar?baz=quux#frag", "/foo/bar?baz=quux", "/foo/bar", "//foo/bar", "///foo/bar", "//user@foo/bar", "//a@b/c?d",
  "/x?a=1&a=2&b=&c&=d&e=%41%zz+f&", "/x?a=%FF", "/x?a=%E2%82", "/x?__proto__=1&constructor=2&toString=3",
  "?a=1", "#h", "?#", "", "   ", "  http://h/p  ", "\u00a0http://h/\ufeff", "\u0000http://h/", "http://h/\u0001", "x", ".", "..",
  "some/path?q=1#h", "http://h/a b/c d?e f#g h", "http://h/a'b\"c<d>e`f{g}h|i\\j^k", "http://h\\p\\q?r\\s#t\\u",
  "http:\\\\h\\p", "\\\\server\\share", "http://h/p?q#a#b", "http://h/p#a?b", "http://h?", "http://h#",
  "http://h/p?" + "a&".repeat(1100), "http://h/%", "http://h/%zz", "http://h//a//b", "http://h/./a/../b",
  "http://h/ü€😀?ü€😀#ü€😀", "http://a.com/p\tq\nr", "http://a\tb.com/", "http://h/p?x=a+b&y=a%20b&z=a%2Bb",
];

for (const input of inputs) {
  for (const [pq, sdh] of [[false, false], [true, false], [false, true]]) {
    console.log(JSON.stringify(input).slice(0, 80), pq, sdh, attempt(() => show(url.parse(input, pq, sdh))));
  }
}

// The objects are Urls, printed as node prints them.
const parsed = url.parse("https://u:p@h.com:1/a?b=1&b=2#c", true);
console.log(parsed instanceof url.Url, parsed.constructor === url.Url, Object.getPrototypeOf(parsed) === url.Url.prototype);
console.log(parsed);
console.log(new url.Url());
console.log(url.parse(parsed) === parsed, url.parse("/x").format(), parsed.format(), typeof url.Url.prototype.parseHost);
const keys = [];
for (const k in url.parse("http://h")) keys.push(k);
console.log(keys.join(" "));
console.log(url.parse.name, url.parse.length, url.format.name, url.format.length, url.resolve.name, url.resolve.length,
  url.resolveObject.name, url.resolveObject.length, url.Url.name, url.Url.length, Object.keys(url).join(" "));

// url.format
const objects = [
  { protocol: "http", host: "example.com", pathname: "/a b" },
  { protocol: "https:", hostname: "example.com", port: 8080, pathname: "p", search: "q=1", hash: "h" },
  { protocol: "https", hostname: "example.com", pathname: "/some/path", query: { page: 1, format: "json" } },
  { protocol: "http", hostname: "h", query: { a: [1, 2], b: [], c: "x y", d: true, e: null, f: undefined, g: NaN, h: 1e21, i: -0, "j k": "~!*()'", l: "é&=#" } },
  { protocol: "http", hostname: "h", search: "?x=1", query: { y: 2 } },
  { protocol: "mailto", auth: "a b@c", hostname: "d.com" },
  { protocol: "mailto", pathname: "a@b.com" },
  { protocol: "file", pathname: "/etc/x" },
  { protocol: "file:", slashes: false, pathname: "x" },
  { protocol: "foo", slashes: true, host: "h", pathname: "p" },
  { protocol: "foo", host: "h", pathname: "p" },
  { hostname: "::1", port: 80 },
  { hostname: "[::1]", port: 80 },
  { host: "h:1", hostname: "ignored", port: 2 },
  { pathname: "/a#b?c", search: "?d#e", hash: "f" },
  { auth: "user:pa ss:wörd@x", host: "h", protocol: "http" },
  { protocol: "HTTP", host: "H" },
  {}, [], { href: "http://ignored/" },
];
for (const o of objects) console.log(attempt(() => url.format(o)));
for (const s of ["HTTP://Ex.com/A B?c d#e f", "//h/p", "x y"]) console.log(attempt(() => url.format(s)));
const whatwg = new URL("https://user:pass@xn--bcher-kva.de:8443/p?q=1#frag");
for (const opts of [undefined, {}, { fragment: false }, { search: false }, { auth: false }, { unicode: true },
  { fragment: false, search: false, auth: false, unicode: true }, { fragment: 0, unicode: 1 }, { fragment: null }, null, 5, "x", [], () => {}]) {
  console.log(JSON.stringify(opts), attempt(() => url.format(whatwg, opts)));
}
console.log(url.format(new URL("http://測試/?a#b"), { unicode: true }), url.format(new URL("file:///a b")));
for (const bad of [5, null, undefined, true]) console.log(attempt(() => url.format(bad)));
console.log(url.Url.prototype.format.call({ protocol: "http", host: "h", pathname: "/p" }));

// url.resolve: RFC 3986 section 5.4 and node's own cases
const base = "http://a/b/c/d;p?q";
const refs = ["g:h", "g", "./g", "g/", "/g", "//g", "?y", "g?y", "#s", "g#s", "g?y#s", ";x", "g;x", "g;x?y#s", "", ".", "./",
  "..", "../", "../g", "../..", "../../", "../../g", "../../../g", "../../../../g", "/./g", "/../g", "g.", ".g", "g..", "..g",
  "./../g", "./g/.", "g/./h", "g/../h", "g;x=1/./y", "g;x=1/../y", "g?y/./x", "g?y/../x", "g#s/./x", "g#s/../x", "http:g",
  "https:g", "mailto:x@y", "//x:y@z/w", "\\\\h\\p", "http://other/p", "HTTP://A/x"];
for (const r of refs) console.log(JSON.stringify(r), url.resolve(base, r));
const pairs = [
  ["/one/two/three", "four"], ["http://example.com/", "/one"], ["http://example.com/one", "/two"], ["http://example.com/one/", "two"],
  ["/foo/bar/baz", "quux"], ["/foo/bar/baz", "../quux/baz"], ["/foo/bar/baz", "/bar"], ["foo/bar", "../../../baz"],
  ["foo/bar/", "../../../baz"], ["http://example.com/b//c//d;p?q#blarg", "https:#hash2"], ["http://example.com/b//c//d;p?q#blarg", "https:/p/a/t/h?s#hash2"],
  ["http://example.com/b//c//d;p?q#blarg", "https://u:p@h.com/p/a/t/h?s#hash2"], ["http://example.com/b//c//d;p?q#blarg", "https:/a/b/c/d"],
  ["http://example.com/b//c//d;p?q#blarg", "http:#hash2"], ["http://example.com/b//c//d;p?q#blarg", "http:/p/a/t/h?s#hash2"],
  ["http://example.com/b//c//d;p?q#blarg", "http://u:p@h.com/p/a/t/h?s#hash2"], ["http://example.com/b//c//d;p?q#blarg", "http:/a/b/c/d"],
  ["/foo/bar/baz/", "../../../../../../../../quux/baz"], ["/foo/bar/baz/", "../../../../../../../quux/baz"], ["/foo", "."],
  ["/foo", ".."], ["/foo/", "."], ["/foo/", ".."], ["/foo/bar", "."], ["/foo/bar", ".."], ["/foo/bar/", "."], ["/foo/bar/", ".."],
  ["foo/bar", "../../../baz"], ["foo/bar/", "../../../baz"], ["http://example.com/b//c//d;p?q#blarg", "https://a/b/c/d"],
  ["mailto:local1@domain1", "local2@domain2"], ["mailto:local1@domain1", "mailto:local2@domain2"], ["mailto:a@b", "?x=1"],
  ["news:comp.lang", "?x"], ["mailto:local1@domain1", "../x"], ["file:///a/b", "c"], ["file:///a/b", "/c"], ["file:///a/b", "//c/d"],
  ["http://a/b", "file:x"], ["http://a/b", "file:///x"], ["http://a/b", "ftp:x"], ["http://a/b", "javascript:x"],
  ["http://u:p@a/b", "/c"], ["http://u:p@a/b", "//c/d"], ["http://a", "b"], ["http://a", ""], ["http://a/b?c", "?"], ["http://a/b?c", "#"],
  ["", "http://a/b"], ["", ""], ["x", "y"], ["http://[::1]/a", "b"], ["http://a/b", "http://[::1]:8/c"],
];
for (const [from, to] of pairs) console.log(JSON.stringify([from, to]), attempt(() => url.resolve(from, to)));
for (const [from, to] of [["http://a/b/c", "../d?e#f"], ["mailto:a@b", "c@d"], ["http://a/b", { pathname: "x", search: "?y" }], ["", "z"]]) {
  console.log(attempt(() => show(url.resolveObject(from, to))));
}
console.log(attempt(() => show(parsed.resolveObject("../x?y"))), attempt(() => url.resolve("http://a", 5)));
