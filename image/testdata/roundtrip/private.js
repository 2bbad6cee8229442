class Account {
  #balance = 0;
  static #count = 0;
  #log = [];
  static #registry = new Map();
  constructor(owner) { this.owner = owner; Account.#count++; Account.#registry.set(owner, this) }
  deposit(x) { this.#check(x); this.#balance += x; this.#log.push(x); return this }
  #check(x) { if (x <= 0) throw new RangeError("bad amount " + x) }
  get balance() { return this.#balance }
  get #secret() { return "secret of " + this.owner }
  reveal() { return this.#secret }
  static count() { return Account.#count }
  static has(o) { return #balance in o }
  static find(owner) { return Account.#registry.get(owner) }
  history() { return this.#log.join(",") }
}
class Savings extends Account {
  #rate;
  constructor(owner, rate) { super(owner); this.#rate = rate }
  interest() { return this.balance * this.#rate }
}
var a = new Account("ann").deposit(10).deposit(5);
var s = new Savings("sam", 0.5).deposit(100);
var other = { owner: "fake" };
// save
console.log(a.balance, a.history(), a.reveal(), Account.count(), Account.has(a), Account.has(other), Account.has(s));
console.log(s.balance, s.interest(), s instanceof Account, Account.find("sam") === s);
var b = new Account("bob").deposit(1);
console.log(b.balance, Account.count(), Account.has(b), Account.find("bob") === b);
try { a.deposit(-1) } catch (e) { console.log(e.name, e.message) }
try { Account.prototype.reveal.call(other) } catch (e) { console.log(e.constructor.name) }
var s2 = new Savings("sue", 2).deposit(3); console.log(s2.interest(), Account.count());
