// package: esprima@4.0.1
// load: dist/esprima.js
// A JavaScript parser: syntax trees built in setup, parsing after the load.
var tree = esprima.parseScript("function add(a, b) { return a + b } var x = add(1, 2);", { range: true });
var tokens = esprima.tokenize("let answer = 42 // comment", { comment: true });
// probe
console.log(JSON.stringify(tree.body.map((n) => [n.type, n.range])), tokens.map((t) => t.type + ":" + t.value).join(" "));
console.log(JSON.stringify(esprima.parseModule("export const f = (x) => x ** 2;").body[0].declaration.declarations[0].init.type));
try { esprima.parseScript("var = 1") } catch (e) { console.log(e.description, e.lineNumber, e.index) }
