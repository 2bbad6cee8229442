// console.log and util.inspect show a URL's parts and a URLSearchParams'
// pairs as Node does, before and after an image: the printer reads their
// state, not their getters, and nesting past the depth prints as Node's.
var util = require("util");
var url = new URL("https://user:pw@a.b:8080/p/q?q=1&r=%20#h");
var params = new URLSearchParams("a=1&b=2&a=3");
var held = {
  url: new URL("file:///tmp/x%20y"),
  list: [new URLSearchParams(""), new URLSearchParams({ "é": "ü" })],
  deep: { a: { b: { params: new URLSearchParams("x=1"), url: new URL("http://deep/") } } },
};
var long = new URLSearchParams(Array.from({ length: 10 }, (_, i) => ["key" + i, "value" + i]));
class Link extends URL {}
var link = new Link("/docs?x", "http://example.com");
var bufs = { hi: Buffer.from("hi"), big: Buffer.alloc(60, 1), none: Buffer.alloc(0), plain: new Uint8Array(2) };
// save
console.log(url);
console.log(params);
console.log(held);
console.log(long);
console.log(link);
console.log(util.inspect(url) === util.format("%O", url), util.inspect(params));
console.log("url %O and %j", [url.searchParams], params);
url.searchParams.append("added", "1");
console.log(util.inspect({ a: { b: url } }, { depth: 1 }), util.inspect({ a: [params] }, { depth: 1 }));
console.log([url.searchParams]);
console.log(Buffer.name, bufs, [bufs.hi], bufs.big);
