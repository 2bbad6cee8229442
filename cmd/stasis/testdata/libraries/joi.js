// package: joi@17.13.3
// load: dist/joi-browser.min.js
// before: var self = globalThis;
// A schema validator whose browser build looks for self: schemas with
// references, conditions, custom rules and messages, URIs and domains
// (which joi checks with URL), built in setup and used after a load.
var Joi = joi;
var seen = [];
var Account = Joi.object({
  user: Joi.string().alphanum().min(3).max(12).required(),
  password: Joi.string().pattern(/^[a-z0-9]{6,}$/i),
  repeat: Joi.ref("password"),
  site: Joi.string().uri({ scheme: ["http", "https"] }),
  host: Joi.string().domain(),
  email: Joi.string().email({ tlds: { allow: false } }),
  age: Joi.number().integer().min(0).when("user", { is: "root", then: Joi.forbidden() }),
  tags: Joi.array().items(Joi.string().valid("a", "b")).unique().default([]),
  even: Joi.number().custom((v, helpers) => (seen.push(v), v % 2 ? helpers.error("any.invalid") : v), "even"),
}).with("password", "repeat").messages({ "string.alphanum": "{{#label}} must be letters and digits" });
var first = Account.validate({ user: "ann", password: "secret1", repeat: "secret1", site: "https://bücher.de:8443/a", even: 4 });
// probe
console.log(JSON.stringify(first), seen.join());
var bad = Account.validate({ user: "a-b", password: "pw", site: "ftp://x", host: "not a host", email: "nope", age: -1, tags: ["a", "a", "c"], even: 3 }, { abortEarly: false });
console.log(bad.error.details.map((d) => d.type + " " + d.message).join("\n"));
console.log(JSON.stringify(Account.validate({ user: "root", age: 3 }).error.details[0].type), seen.join());
console.log(JSON.stringify(Joi.string().uri({ relativeOnly: true }).validate("../x?y#z")), JSON.stringify(Joi.string().domain().validate("xn--bcher-kva.de")));
console.log(Joi.isSchema(Account), Joi.isRef(Joi.ref("a")), Joi.version);
