// package: peggy@4.0.3
// load: browser/peggy.min.js
// A parser generator: a grammar compiled in setup, its parser used after the load.
var parser = peggy.generate(`
start = additive
additive = left:multiplicative _ "+" _ right:additive { return left + right } / multiplicative
multiplicative = left:primary _ "*" _ right:multiplicative { return left * right } / primary
primary = integer / "(" _ a:additive _ ")" { return a }
integer "integer" = digits:[0-9]+ { return parseInt(digits.join(""), 10) }
_ = [ ]*
`);
var early = parser.parse("2 * (3 + 4)");
// probe
console.log(early, parser.parse("1 + 2 * 3"), parser.parse("(1+1)*(2+2)"));
try { parser.parse("1 + * 2") } catch (e) { console.log(e.name, e.message, JSON.stringify(e.location.start)) }
var words = peggy.generate('list = head:word tail:("," w:word { return w })* { return [head].concat(tail) }\nword = $[a-z]+');
console.log(JSON.stringify(words.parse("a,bc,def")));
