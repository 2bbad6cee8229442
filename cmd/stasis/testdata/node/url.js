// URLs and URLSearchParams survive: a URL and its searchParams are still
// the same object and still linked both ways, a standalone URLSearchParams
// keeps its pairs, an iterator in the middle of its list goes on, and
// require("url") is the same module.
var url = new URL("https://user:pw@bücher.de:8443/a/../b?x=1&y=2#top");
var params = url.searchParams;
params.append("z", "a b");
var held = { url, params, list: [new URL("file:///tmp/a%20b"), new URL("../up", "http://h/a/b/c")] };
var alone = new URLSearchParams({ k: "v", é: "ü" });
var iter = alone.entries();
iter.next();
class Link extends URL {
  get label() { return this.hostname + this.pathname }
}
var link = new Link("/docs", "http://example.com:8080");
var urlModule = require("url");
// save
console.log(url.href, url.origin, url.port, url.host);
console.log(url.searchParams === params, held.params === params, held.url === url);
params.set("x", "changed");
console.log(url.search, url.href);
url.search = "?only=1";
console.log([...params], params.size);
url.hash = "end";
url.pathname = "/c d";
params.append("more", "1&2");
console.log(url.href);
console.log(held.list.map(String), urlModule.fileURLToPath(held.list[0]));
console.log(JSON.stringify(iter.next()), JSON.stringify(iter.next()), alone.toString());
alone.sort();
console.log([...alone.keys()], alone.has("é", "ü"));
console.log(link.label, link.origin, link instanceof URL, link instanceof Link, String(link));
console.log(urlModule.URL === URL, require("url") === urlModule, new urlModule.URL("x:y").protocol);
try { url.href = "not a url" } catch (e) { console.log(e.code, e.input, url.href) }
---
// The legacy API's Urls survive as the objects they are: still Urls (their
// prototype is the module's Url.prototype), with their own twelve
// properties, a parsed query without a prototype, and their methods.
var url = require("url");
var page = url.parse("https://user:pw@Example.com:8443/a/b/../c?x=1&x=2&y#top", true);
var plain = url.parse("/just/a/path?q=1");
var blank = new url.Url();
var resolved = page.resolveObject("../d?z#end");
page.query.added = "later";
// save
console.log(page);
console.log(plain, blank);
console.log(page instanceof url.Url, Object.getPrototypeOf(page) === url.Url.prototype, Object.getPrototypeOf(page.query));
console.log(page.format(), url.format(page), plain.resolve("../up"), resolved.href, resolved instanceof url.Url);
page.search = null;
console.log(url.format(page), url.parse(page) === page, url.resolve(page, "//other/x"));
blank.parse("http://h/p?q");
console.log(blank.href, blank.host, url.parse("mailto:a@b").format());
