// package: prettier@3.3.3
// load: standalone.js, plugins/babel.js, plugins/estree.js
// A code formatter, with its parser plugins; a format in flight at the save.
var opts = { parser: "babel", plugins: prettierPlugins ? Object.values(prettierPlugins) : [] };
var results = [];
var pending = prettier.format("const   a = {b:1,c:[1,2,3]};function f( x ){return x*2}", opts).then((out) => { results.push(out) });
// probe
pending.then(() => console.log(results[0]));
prettier.format("let x = {  a: 1, b: [ 'x' ,\"y\" ] }\n", Object.assign({}, opts, { singleQuote: true, semi: false })).then((out) => console.log(out));
