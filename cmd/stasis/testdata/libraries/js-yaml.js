// package: js-yaml@4.1.0
// load: dist/js-yaml.js
// A YAML parser and printer, with a custom type.
var Point = new jsyaml.Type("!point", { kind: "sequence", construct: (d) => ({ x: d[0], y: d[1] }), instanceOf: Object, represent: (p) => [p.x, p.y] });
var schema = jsyaml.DEFAULT_SCHEMA.extend([Point]);
var doc = jsyaml.load("name: demo\nitems:\n  - 1\n  - two\nwhere: !point [3, 4]\n", { schema });
// probe
console.log(JSON.stringify(doc), jsyaml.dump({ a: [1, { b: "c" }], d: "multi\nline" }));
console.log(JSON.stringify(jsyaml.load("anchors: &a {k: 1}\nref: *a\n", { schema })));
try { jsyaml.load("a: [1, 2") } catch (e) { console.log(e.name, e.reason, e.mark.line) }
