// package: immer@9.0.21
// load: dist/immer.umd.development.js
// Immutable updates through drafts, with a draft still open at the save.
var { produce, createDraft, finishDraft, enablePatches, produceWithPatches, original, isDraft } = immer;
enablePatches();
var base = { todos: [{ title: "a", done: false }], meta: { count: 1 } };
var next = produce(base, (d) => { d.todos.push({ title: "b", done: true }); d.meta.count++ });
var draft = createDraft(next);
draft.todos[0].done = true;
draft.meta.note = "open across the save";
var [withPatches, patches] = produceWithPatches(next, (d) => { d.todos.pop() });
// probe
console.log(JSON.stringify(next), base.todos.length, next.todos[0] === base.todos[0], Object.isFrozen(next));
console.log(isDraft(draft), original(draft.todos[0]).done, JSON.stringify(patches), withPatches.todos.length);
var finished = finishDraft(draft);
console.log(JSON.stringify(finished), finished.todos[1] === next.todos[1], JSON.stringify(next.meta));
try { draft.meta.note = "after" } catch (e) { console.log("revoked draft:", e.constructor.name) }
