// package: bignumber.js@9.1.2
// load: bignumber.js
// Big numbers in other bases, with a clone configured in setup.
var BN = BigNumber.clone({ DECIMAL_PLACES: 10, ROUNDING_MODE: BigNumber.ROUND_HALF_UP, FORMAT: { groupSize: 3, groupSeparator: "_", decimalSeparator: "." } });
var x = new BN("12345678.987654321");
var hex = new BN("ff.8", 16);
// probe
console.log(x.toFormat(2), hex.toString(), hex.toString(2), new BN(1).div(7).toString(), x.sqrt().toString());
console.log(new BigNumber(2).pow(80).toFixed(), BN.config().DECIMAL_PLACES, BigNumber.config().DECIMAL_PLACES, BN.max(1, "3", x).toString());
