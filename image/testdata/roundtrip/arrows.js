// Arrows whose text mentions "arguments" without reading an enclosing function's arguments.
function makeCounter(list) { return { sizes: () => list.map((node) => node.arguments.length), label: () => "arguments: " + list.length } }
var calls = makeCounter([{ arguments: [1, 2] }, { arguments: [] }]);
function wrap() { return (x) => function () { return arguments.length + x } }
var inner = wrap()(10);
var topLevel = () => typeof arguments;
function shadowParam(arguments) { return () => arguments }
var sp = shadowParam("param");
function shadowBlock() { { let arguments = "block"; return () => arguments } }
var sb = shadowBlock();
function shadowCatch() { try { throw "caught" } catch (arguments) { return () => arguments } }
var sc = shadowCatch();
var methods = { make() { return () => ({ m() { return arguments[0] } }) } };
var viaMethod = methods.make()();
// save
console.log(calls.sizes().join(), calls.label(), inner(1, 2, 3), inner(), topLevel());
console.log(sp(), sb(), sc(), viaMethod.m("m-arg"));
