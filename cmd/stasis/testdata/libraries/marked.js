// package: marked@4.3.0
// load: lib/marked.umd.js
marked.setOptions({ headerIds: false, mangle: false });
var renderer = new marked.Renderer();
var seen = [];
renderer.heading = function (text, level) { seen.push(text); return "<h" + level + " class=\"x\">" + text + "</h" + level + ">\n" };
marked.use({ renderer });
var doc = "# Title\n\nSome *emphasis* and `code`.\n\n- one\n- two\n";
var first = marked.parse(doc);
var tokens = marked.lexer("## Sub\n\ntext");
// probe
console.log(first);
console.log(marked.parse("# Again\n\n> quote **bold**"), seen.join("|"));
console.log(tokens.length, tokens[0].type, tokens[0].depth, marked.parseInline("a _b_ [c](http://x)"));
