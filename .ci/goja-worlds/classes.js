// Classes with private fields and methods, statics, accessors, inheritance.
class Account {
	#balance = 0;
	static #count = 0;
	static opened() { return Account.#count }
	constructor(owner) { this.owner = owner; Account.#count++ }
	#log(x) { return this.owner + ":" + x }
	deposit(x) { this.#balance += x; return this.#log(this.#balance) }
	get balance() { return this.#balance }
	static isAccount(o) { return #balance in o }
}
class Savings extends Account {
	#rate;
	constructor(owner, rate) { super(owner); this.#rate = rate }
	accrue() { return this.deposit(this.balance * this.#rate) }
}
var a = new Account("ann"); a.deposit(5);
var s = new Savings("sam", 0.5); s.deposit(8);
// save
console.log(a.deposit(1), a.balance, s.accrue(), s.balance, Account.opened());
console.log(Account.isAccount(s), Account.isAccount({}), s instanceof Account, Object.keys(s).join());
console.log(new Savings("new", 1).accrue(), Account.opened());
