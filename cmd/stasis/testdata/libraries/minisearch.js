// package: minisearch@6.3.0
// load: dist/umd/index.js
// A full-text index with prefix and fuzzy search, added to after the load.
var ms = new MiniSearch({ fields: ["title", "text"], storeFields: ["title"], searchOptions: { boost: { title: 2 }, fuzzy: 0.2 } });
ms.addAll([{ id: 1, title: "Moby Dick", text: "Call me Ishmael" }, { id: 2, title: "Zen and the Art", text: "motorcycle maintenance" }, { id: 3, title: "Neuromancer", text: "the sky above the port" }]);
// probe
var show = (rs) => rs.map((r) => r.id + ":" + r.title + ":" + r.score.toFixed(3)).join(" ");
console.log(show(ms.search("moby")), "|", show(ms.search("motorcyle")), "|", show(ms.search("ne", { prefix: true })));
ms.add({ id: 4, title: "Moby Duck", text: "rubber ducks at sea" });
console.log(show(ms.search("moby")), JSON.stringify(ms.autoSuggest("zen ar").map((s) => s.suggestion)), ms.documentCount);
