// Runs in the resumed world: everything world.js built is still there.
todos.add("eggs");
console.log(todos.title, todos.open.map(t => t.text).join(", "));
console.log(visits.hit(), "count is", visits.count);
