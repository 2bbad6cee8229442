// package: lunr@2.3.9
// load: lunr.js
// A search index built in setup and queried after the load.
var docs = [
  { id: "1", title: "Saving worlds", body: "An image holds the whole live world of objects and closures" },
  { id: "2", title: "Timers", body: "Pending timers keep their remaining time across a save" },
  { id: "3", title: "Closures", body: "Captured variables stay shared between closures after loading" },
];
var idx = lunr(function () { this.ref("id"); this.field("title", { boost: 10 }); this.field("body"); docs.forEach((d) => this.add(d)) });
// probe
var show = (rs) => rs.map((r) => r.ref + ":" + r.score.toFixed(4)).join(" ");
console.log(show(idx.search("closures")), "|", show(idx.search("time*")), "|", show(idx.search("+world -timers")));
console.log(show(lunr.Index.load(JSON.parse(JSON.stringify(idx))).search("saving")), lunr.stemmer(new lunr.Token("loading")).toString());
