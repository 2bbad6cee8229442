// RegExps compiled by both of goja's engines, with every flag, state and
// property; the same pattern several times (the load compiles it once).
var simple = /ab+c/g, same = /ab+c/g, sameOtherFlags = /ab+c/i;
var behind = /(?<=\$)\d+(\.\d\d)?/g, named = /(?<y>\d{4})-(?<m>\d\d)/u;
var sticky = /foo/y; sticky.lastIndex = 3;
var dots = /a.c/s, multi = /^x$/m, uni = /\u{1F600}/u, lone = new RegExp("\ud800|z", "g");
var built = new RegExp("x\\d", "g"); built.exec("x1x2");
var slash = new RegExp("a/b"), empty = new RegExp(""), backref = /(a)\1/;
simple.extra = "kept";
var all = [simple, same, sameOtherFlags, behind, named, sticky, dots, multi, uni, lone, built, slash, empty, backref];
// save
for (var r of all) console.log(String(r), r.source, r.flags, r.lastIndex, r.extra);
console.log(simple === same, simple.exec("xabbc abc").index, simple.lastIndex, same.lastIndex);
console.log(JSON.stringify("$12.50 and $7".match(behind)), JSON.stringify("2024-05".match(named).groups));
console.log(sticky.test("xx foo"), sticky.lastIndex, sticky.test("foo"), dots.test("a\nc"), multi.test("y\nx"));
console.log(uni.test("\u{1F600}"), lone.test("\ud800"), "a\ud800z".replace(lone, "!"), built.lastIndex, built.exec("x1x2x3")[0]);
console.log(slash.test("a/b"), empty.test("q"), backref.test("aa"), sameOtherFlags.test("ABBC"), "abcabc".replace(same, "-"));
