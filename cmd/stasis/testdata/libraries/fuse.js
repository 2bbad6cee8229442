// package: fuse.js@7.0.0
// load: dist/fuse.js
// Fuzzy search over a list with weighted keys.
var books = [{ title: "Old Man's War", author: { name: "John Scalzi" } }, { title: "The Lock Artist", author: { name: "Steve Hamilton" } },
  { title: "HTML5", author: { name: "Remy Sharp" } }, { title: "Right Ho Jeeves", author: { name: "P.D Woodhouse" } }];
var fuse = new Fuse(books, { keys: [{ name: "title", weight: 0.7 }, { name: "author.name", weight: 0.3 }], includeScore: true, threshold: 0.4 });
fuse.add({ title: "The Lost Symbol", author: { name: "Dan Brown" } });
// probe
var show = (rs) => rs.map((r) => r.item.title + "@" + r.score.toFixed(3)).join("; ");
console.log(show(fuse.search("lock")), "|", show(fuse.search("jon scalzi")), "|", show(fuse.search({ $or: [{ title: "html" }, { "author.name": "brwn" }] })));
