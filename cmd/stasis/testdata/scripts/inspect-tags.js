// Printing compared with node where node runs code or throws: a
// Symbol.toStringTag that a getter gives (on a class, an instance, a class's
// static side, an object literal, a function), one that throws, and objects
// that have a host class's prototype without its state, whose printing
// throws as node's inspect.custom does. Each case prints one line.
const util = require("util");
const attempt = (label, f) => {
  try {
    console.log(label, f());
  } catch (e) {
    console.log(label, "throws", e instanceof TypeError, e.name, e.code, e.message);
  }
};

class Foo { get [Symbol.toStringTag]() { return "bar"; } }
class WithFields { constructor() { this.x = 1; this.nested = new Foo(); } get [Symbol.toStringTag]() { return "tag"; } }
class Same { get [Symbol.toStringTag]() { return "Same"; } }
class NotString { get [Symbol.toStringTag]() { return 42; } }
class Empty { get [Symbol.toStringTag]() { return ""; } }
class Throws { get [Symbol.toStringTag]() { throw new RangeError("boom"); } }
class Static { static get [Symbol.toStringTag]() { return "s"; } }
class Child extends Static {}
let calls = 0;
class Counted { get [Symbol.toStringTag]() { calls++; return "c" + calls; } }
function fn() {}
Object.defineProperty(fn, Symbol.toStringTag, { get() { return "ftag"; } });
const literal = { get [Symbol.toStringTag]() { calls++; return "T"; } };

console.log(new Foo());
console.log(new WithFields());
console.log([new Foo(), { deep: { deeper: { deepest: new Foo() } } }]);
console.log(new Same(), new NotString(), new Empty());
console.log(Static, Child, fn);
console.log(literal, calls);
console.log(new Counted(), new Counted(), calls);
console.log(util.inspect(new Foo()), util.format("%s|%O", new Foo(), new Foo()));
console.log(Object.prototype.toString.call(new Foo()), String(new Foo()));
attempt("throwing getter", () => util.inspect(new Throws()));
attempt("throwing getter, nested", () => util.inspect({ a: [new Throws()] }));
attempt("throwing getter, console.log", () => { console.log(new Throws()); return "printed"; });

const { EventEmitter } = require("events");
attempt("TextEncoder", () => util.inspect(Object.create(TextEncoder.prototype)));
attempt("TextEncoder, nested", () => util.inspect([{ e: Object.create(TextEncoder.prototype) }]));
attempt("TextEncoder, two levels", () => util.inspect(Object.create(Object.create(TextEncoder.prototype))));
attempt("TextEncoder, console.log", () => { console.log(Object.create(TextEncoder.prototype)); return "printed"; });
attempt("util.TextEncoder", () => util.inspect(Object.create(util.TextEncoder.prototype)));
attempt("TextDecoder", () => util.inspect(Object.create(TextDecoder.prototype)));
attempt("URL", () => util.inspect(Object.create(URL.prototype)));
attempt("URLSearchParams", () => util.inspect(Object.create(URLSearchParams.prototype)));
attempt("format with o", () => util.format("%O", Object.create(TextDecoder.prototype)));
attempt("format with s", () => util.format("%s", Object.create(URLSearchParams.prototype)));
attempt("real ones", () => util.inspect([new TextEncoder(), new TextDecoder("utf-16le", { fatal: true }), new URLSearchParams("a=1")]));
attempt("subclass", () => util.inspect(new (class Enc extends TextEncoder {})()));
attempt("over an encoder", () => util.inspect(Object.create(new TextEncoder())));
attempt("over a decoder", () => util.inspect(Object.create(new TextDecoder())));
attempt("EventEmitter", () => util.inspect(Object.create(EventEmitter.prototype)));
attempt("built-ins", () => util.inspect([Object.create(Map.prototype), Object.create(Date.prototype), Object.create(Promise.prototype), Object.create(Uint8Array.prototype)]));
