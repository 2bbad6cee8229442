// The world the whole-load fuzz target (FuzzLoad) mutates: a little of
// every kind of state the image format holds. probe.js uses all of it.
var counter = (function () { var n = 0; return function () { return ++n } })();
counter();
class Account {
  #balance = 10;
  static #count = 0;
  constructor(owner) { this.owner = owner; Account.#count++ }
  #audit(x) { return this.owner + ':' + x }
  deposit(x) { this.#balance += x; return this.#audit(this.#balance) }
  get balance() { return this.#balance }
  static count() { return Account.#count }
}
var acct = new Account('ada');
acct.deposit(5);
function* steps(a, b) { var t = a; yield t; try { t += b; yield t } finally { t = 0 } return t }
var gen = steps(1, 2);
gen.next();
var gen2 = steps(3, 4); gen2.next(); gen2.next();
var args = (function (x, y) { return arguments })(1, 2);
var sparse = []; sparse[5] = 'five'; sparse[100] = 'hundred';
var dense = [1, 'two', { three: 3 }, [4], null, undefined, -0, 1.5, 2n ** 70n];
Object.defineProperty(dense, 1, { get() { return 'got' }, enumerable: true, configurable: true });
var map = new Map([['a', 1], [{}, 'object key']]);
var set = new Set([1, 'x', map]);
var weak = new WeakMap([[acct, 'weak value']]);
var buf = new ArrayBuffer(16);
var bytes = new Uint8Array(buf, 4, 8); bytes[0] = 42;
var view = new DataView(buf, 2, 4);
var date = new Date(86400000);
var re = /ab+c/gi; re.lastIndex = 2;
var err = new TypeError('bad thing');
var sym = Symbol('mine');
var withSym = { [sym]: 'symbol value', [Symbol.for('shared')]: 2 };
var proxy = new Proxy({ target: true }, { get(t, k) { return k === 'hidden' ? 'trapped' : t[k] } });
var bound = function (a, b) { return this.base + a + b }.bind({ base: 100 }, 1);
var frozen = Object.freeze({ a: 1 });
var promise = Promise.resolve('resolved');
var pending = new Promise(function () {});
var boxed = [Object(1), Object('str'), Object(true)];
let lexical = 'let binding';
const constant = { deep: { deeper: [1, 2, 3] } };
var chain = Object.create(Object.create({ root: 'proto' }));
Array.prototype.sumAll = function () { return this.reduce(function (a, b) { return a + b }, 0) };
stasis.onResume(function () { globalThis.resumed = true });
stasis.setMain(function () { return 'main' });
