// package: mustache@4.2.0
// load: mustache.js
// Logic-less templates, parsed (and cached) in setup.
var tpl = "{{#people}}<li>{{name}} ({{age}}){{#admin}} *{{/admin}}</li>{{/people}}{{^people}}none{{/people}} {{{raw}}} {{> footer}}";
Mustache.parse(tpl);
var view = { people: [{ name: "Ann & Bo", age: 3, admin: true }, { name: "Cy", age: 4 }], raw: "<b>x</b>" };
// probe
console.log(Mustache.render(tpl, view, { footer: "-- {{count}} --" }), Mustache.render(tpl, { people: [], raw: "" }, { footer: "" }));
console.log(Mustache.render("{{=<% %>=}}<% a.b %> {{not}}", { a: { b: "deep" } }), Mustache.escape("<&>"));
