// Tagged template objects keep their identity and stay equal to what their call site makes.
function tag(strings, ...values) { return strings }
function site(x) { return tag`a${x}b\x62\unicode` }
function other() { return tag`a${1}bb` }
var saved = site(1), savedRaw = saved.raw, again = site(2);
var kept = { list: [saved, tag`top${0}level`], map: new Map([[saved, "by strings"]]) };
class Html { static render(v) { return Html.t`<p>${v}</p>` } static t(s) { return s } }
var rendered = Html.render("x");
// save
console.log(saved === site(3), savedRaw === site(4).raw, saved === again, saved === other(), saved.raw === savedRaw);
console.log(saved.length, saved[0], saved[1], saved.raw[1], Object.isFrozen(saved), Object.isFrozen(saved.raw), Array.isArray(saved));
console.log(kept.list[0] === saved, kept.map.get(saved), kept.list[1].join("|"), rendered === Html.render("y"), rendered.raw.join("|"));
console.log(Object.getOwnPropertyNames(saved).join(), JSON.stringify(Object.getOwnPropertyDescriptor(saved, "raw").enumerable));
