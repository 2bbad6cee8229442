// file: lib/counter.js
let count = 0;
const other = require("./other");
exports.bump = () => ++count;
exports.peek = () => count + " " + other.name();
// file: lib/other.js
const counter = require("./counter");
exports.name = () => "other sees bump: " + typeof counter.bump;
// file: lib/config.json
{"greeting": "hello", "list": [1, 2, 3]}
// file: node_modules/greet/package.json
{"name": "greet", "version": "1.0.0", "main": "src/index.js"}
// file: node_modules/greet/src/index.js
var calls = 0;
module.exports = function greet(who) { calls++; return require("../package.json").name + ": hi " + who + " #" + calls; };
// setup
// Modules (relative, JSON, node_modules with package.json main, cycles)
// keep their private state, and are served from the image after a load:
// their source files are removed before it.
const counter = require("./lib/counter");
const config = require("./lib/config.json");
const greet = require("greet");
counter.bump(); counter.bump();
console.log(counter.peek(), config.greeting, greet("setup"));
var tick = setTimeout(() => console.log("timer", counter.bump(), greet("timer")), 5);
// save
const again = require("./lib/counter");
console.log(again === counter, again.bump(), require("greet") === greet, greet("probe"));
console.log(require("./lib/config.json") === config, config.list.join());
const path = require("path");
console.log(path.join("a", "b", "..", "c"), require("util").format("%s=%d", "n", 42));
