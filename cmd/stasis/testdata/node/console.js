// The console's counts and group indentation are saved with the world.
console.count("jobs");
console.count("jobs");
console.group("outer");
console.count();
// save
console.count("jobs");
console.log("indented\nand so is this");
console.groupEnd();
console.count();
console.log("not indented");
console.table([{ id: 1, name: "a" }, { id: 2, name: "b" }]);
