// package: xstate@4.38.3
// load: dist/xstate.js
// A state machine with a delayed transition pending at the save.
var { createMachine, interpret, assign } = XState;
var light = createMachine({
  id: "light", initial: "green", context: { changes: 0 },
  states: {
    green: { after: { 60: "yellow" }, on: { EMERGENCY: "red" } },
    yellow: { after: { 60: "red" }, entry: assign({ changes: (c) => c.changes + 1 }) },
    red: { on: { RESET: "green" }, entry: assign({ changes: (c) => c.changes + 1 }), type: "final" },
  },
});
var seen = [];
var service = interpret(light).onTransition((s) => { if (s.changed) seen.push(s.value + ":" + s.context.changes) }).onDone(() => console.log("done after", seen.join()));
service.start();
// probe
console.log("now", service.state.value, service.state.context.changes, service.state.matches("green"), light.transition("green", "EMERGENCY").value);
