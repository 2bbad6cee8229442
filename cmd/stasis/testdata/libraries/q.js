// package: q@1.5.1
// load: q.js
// before: var self = globalThis;
// A promise library: deferreds pending, delays running, at the save.
var deferred = Q.defer();
var chain = deferred.promise.then((v) => v * 2).then((v) => "doubled " + v);
var delayed = Q.delay("late", 80);
var all = Q.all([chain, delayed, Q("now")]);
var done = all.then((xs) => console.log("all", xs.join()));
// probe
deferred.resolve(21);
Q.allSettled([Q.reject(new Error("no")), Q(1)]).then((rs) => console.log(rs.map((r) => r.state).join()));
console.log("probe ran", Q.isPromise(chain), chain.inspect().state);
