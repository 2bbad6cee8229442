// package: handlebars@4.7.8
// load: dist/handlebars.js
// Templates compiled in setup, with helpers and partials.
Handlebars.registerHelper("upper", (s) => String(s).toUpperCase());
Handlebars.registerHelper("plural", function (n, word) { return n + " " + word + (n === 1 ? "" : "s") });
Handlebars.registerPartial("item", "<li>{{upper name}} — {{plural qty \"box\"}}</li>");
var list = Handlebars.compile("<ul>{{#each items}}{{> item}}{{else}}empty{{/each}}</ul>{{#if note}} note: {{note}}{{/if}}");
var first = list({ items: [{ name: "apple", qty: 1 }] });
// probe
console.log(first, list({ items: [{ name: "pear", qty: 3 }, { name: "fig", qty: 0 }], note: "<ok>" }), list({ items: [] }));
console.log(Handlebars.compile("{{#with person}}{{lastName}}, {{firstName}}{{/with}} {{@root.n}}")({ person: { firstName: "A", lastName: "B" }, n: 5 }));
