// package: acorn@8.11.3
// load: dist/acorn.js
var ast = acorn.parse("const f = (a, b = 2) => a + b; class K { #p = 1; get p() { return this.#p } }", { ecmaVersion: 2022 });
var nodeTypes = [];
(function walk(n) { if (n && typeof n.type === "string") nodeTypes.push(n.type); for (var k in n) { var v = n[k]; if (v && typeof v === "object") walk(v) } })(ast);
var Parser = acorn.Parser;
var tokens = [...acorn.tokenizer("let x = 1 + 2")].map(t => t.type.label);
// probe
console.log(nodeTypes.length, nodeTypes.slice(0, 8).join(), ast.body[1].body.body[0].type, tokens.join(" "));
var again = acorn.parse("async function* g() { for await (const x of y) yield x }", { ecmaVersion: 2022 });
console.log(again.body[0].async, again.body[0].generator, again.body[0].body.body[0].type, Parser === acorn.Parser);
try { acorn.parse("let = ;", { ecmaVersion: 2022 }) } catch (e) { console.log(e.name, e.message, e.pos) }
