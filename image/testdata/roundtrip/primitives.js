var negZero = -0, nan = NaN, inf = Infinity, ninf = -Infinity, big = 123456789012345678901234567890n, nbig = -5n;
var long = "x".repeat(100000) + "end", uni = "héllo wörld ✓ 😀", lone = "a\ud800b", lone2 = "\udc00";
var u = undefined, n = null, t = true, f = false, i = 42, neg = -7, fl = 3.25, huge = 2 ** 62, tiny = 5e-324;
var obj = { u: undefined, n: null };
// save
console.log(Object.is(negZero, -0), Number.isNaN(nan), inf, ninf, big, typeof big, nbig);
console.log(long.length, long.slice(-3), uni, uni.length, lone.length, lone.charCodeAt(1), lone2.charCodeAt(0));
console.log(u, n, t, f, i, neg, fl, huge, tiny, 1 / negZero);
console.log("u" in obj, "missing" in obj, obj.u, JSON.stringify(Object.keys(obj)));
console.log(big * 2n, big + nbig);
