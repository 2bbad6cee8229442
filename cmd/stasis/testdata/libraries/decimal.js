// package: decimal.js@10.4.3
// load: decimal.js
var D20 = Decimal.clone({ precision: 20, rounding: Decimal.ROUND_HALF_EVEN });
var third = new D20(1).div(3);
var money = [new Decimal("0.1"), new Decimal("0.2")].reduce((a, b) => a.plus(b));
var big = new Decimal(2).pow(200);
// probe
console.log(third.toString(), money.toString(), money.eq(0.3), big.toString().length, big.toFixed(0).slice(0, 12));
console.log(new D20(2).sqrt().toString(), new Decimal(2).sqrt().toString(), D20.precision, Decimal.precision);
console.log(third.times(3).toString(), new D20("1e-30").plus(1).toString(), Decimal.max(1, 5, 3).toString());
