// package: big.js@6.2.1
// load: big.js
// Arbitrary-precision decimals, with a configured constructor.
var Money = Big();
Money.DP = 4;
Money.RM = Money.roundHalfEven;
var total = [new Money("0.1"), new Money("0.2"), new Money("19.99")].reduce((a, b) => a.plus(b), new Money(0));
// probe
console.log(total.toString(), total.div(3).toString(), new Money("2.5").round().toString(), new Money("1e-7").toFixed(10), Money.DP);
console.log(new Big("123.456").times("1000000000000000000000").toExponential(5), new Big(2).pow(100).toString(), total.gt("20"));
