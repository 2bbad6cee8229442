function keep(a, b) { var args = arguments; return { args: args, setA: function (v) { a = v }, getA: function () { return a } } }
var k = keep(1, 2, 3);
function only(x, y) { return arguments }
var lone = only("p", "q", "extra");
function strictArgs(a) { "use strict"; return arguments }
var sa = strictArgs(9, 8);
// save
console.log(k.args.length, k.args[0], k.args[1], k.args[2], k.getA());
k.setA(10); console.log(k.args[0]); k.args[0] = 20; console.log(k.getA());
console.log(lone.length, lone[0], lone[1], lone[2], Array.from(lone).join(), Object.prototype.toString.call(lone));
lone[1] = "changed"; console.log(lone[1], typeof lone.callee);
console.log(sa.length, sa[0], Array.from(sa).join());
try { sa.callee } catch (e) { console.log(e.constructor.name) }
