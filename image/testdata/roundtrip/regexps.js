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
---
// RegExps whose own properties or prototype override what String's methods
// call (goja then leaves its fast path), and plain ones beside them.
var ownExec = /a/g; ownExec.exec = function () { return null };
var ownReplace = /b/; ownReplace[Symbol.replace] = function () { return "sym" };
var ownSplit = /,/; ownSplit[Symbol.split] = function () { return ["split"] };
var otherProto = /c/g; Object.setPrototypeOf(otherProto, Object.create(RegExp.prototype, { exec: { value: function () { return null } } }));
var plain = /a/g, frozen = Object.freeze(/d/);
// save
console.log("a".replace(ownExec, "x"), "b".replace(ownReplace, "x"), "1,2".split(ownSplit).join("|"), "c".replace(otherProto, "x"));
console.log("aa".replace(plain, "x"), "d".replace(frozen, "x"), Object.isFrozen(frozen), "a,b".split(/,/).join("|"));
