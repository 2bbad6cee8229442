// package: ejs@3.1.10
// load: ejs.min.js
var page = ejs.compile("<h1><%= title %></h1><ul><% items.forEach(function (i) { %><li><%- i %></li><% }) %></ul>");
var esc = ejs.compile("<p><%= html %></p>");
var cached = ejs.render("<%= 1 + 2 %>", {});
// probe
console.log(page({ title: "Frozen & thawed", items: ["<b>a</b>", "b"] }));
console.log(esc({ html: "<script>x</script>" }), cached, ejs.render("<%= n * 2 %>", { n: 21 }));
var fresh = ejs.compile("<%= a %>-<%= b %>"); console.log(fresh({ a: 1, b: 2 }));
