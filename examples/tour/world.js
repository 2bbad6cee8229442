// A small world: data, functions, a class with private state, closures.
// Save it:   go run ./cmd/stasis save-image -o tour.img examples/tour/world.js
// Resume it: go run ./cmd/stasis load-image tour.img examples/tour/more.js
class TodoList {
  #nextId = 1;
  constructor(title) { this.title = title; this.items = new Map() }
  add(text, tags = []) { const id = this.#nextId++; this.items.set(id, { id, text, tags, done: false, added: new Date(Date.UTC(2026, 0, id)) }); return id }
  done(id) { this.items.get(id).done = true }
  get open() { return [...this.items.values()].filter(t => !t.done) }
}

function makeCounter(label) {
  let count = 0;
  return { hit() { return `${label}: ${++count}` }, get count() { return count } };
}

const todos = new TodoList("groceries");
todos.add("milk", ["dairy"]);
todos.add("bread");
todos.done(todos.add("coffee", ["urgent"]));
var visits = makeCounter("visits");
visits.hit();

stasis.onResume(() => console.log(`welcome back: ${todos.open.length} open items, ${visits.hit()}`));
console.log("world built:", todos.items.size, "items");
