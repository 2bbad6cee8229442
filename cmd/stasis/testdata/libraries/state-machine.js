// package: javascript-state-machine@3.1.0
// load: dist/state-machine.js
// A state machine whose transitions a pending timer drives after the load.
var door = new StateMachine({
  init: "closed",
  transitions: [
    { name: "open", from: "closed", to: "opened" },
    { name: "close", from: "opened", to: "closed" },
    { name: "lock", from: "closed", to: "locked" },
    { name: "unlock", from: "locked", to: "closed" },
  ],
  data: { history: [] },
  methods: { onEnterState: function (lc) { this.history.push(lc.from + ">" + lc.to) } },
});
door.open();
setTimeout(() => { door.close(); door.lock(); console.log("timer:", door.state, door.history.join(" ")) }, 50);
// probe
console.log(door.state, door.can("close"), door.cannot("lock"), door.transitions().join(), door.allStates().join());
