// package: lodash@4.17.21
// load: lodash.js
var people = [{ name: "ann", age: 31, team: "red" }, { name: "bob", age: 25, team: "blue" }, { name: "cy", age: 40, team: "red" }];
var byTeam = _.groupBy(people, "team");
var memoSquare = _.memoize(n => { memoSquare.calls = (memoSquare.calls || 0) + 1; return n * n });
memoSquare(4); memoSquare(4);
var debounced = _.once(() => "first only");
debounced();
var tpl = _.template("Hello <%= user %>! You have <%= n %> messages.");
var curried = _.curry((a, b, c) => a + b * c)(1);
var chained = _.chain(people).sortBy("age").map("name");
var uid = _.uniqueId("item_");
// probe
console.log(JSON.stringify(byTeam), memoSquare(4), memoSquare.calls, memoSquare(5), memoSquare.calls, debounced());
console.log(tpl({ user: "ann", n: 3 }), curried(2)(3), chained.value().join(), _.uniqueId("item_"), uid);
console.log(_.kebabCase("Stasis Frozen World"), JSON.stringify(_.chunk([1, 2, 3, 4, 5], 2)), _.isEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }));
console.log(JSON.stringify(_.merge({ a: { x: 1 } }, { a: { y: 2 } })), _.sumBy(people, "age"), typeof _.VERSION, _.VERSION);
