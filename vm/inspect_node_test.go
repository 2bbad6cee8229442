package vm

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// nodeLayoutCases are values whose printing depends on Node's layout rules
// (grouping arrays in columns, when to break lines) rather than on goja.
var nodeLayoutCases = []string{
	`({a: {b: {c: {d: 1}}}})`,
	`({a: {b: {c: {}}}})`,
	`[[1, 2, [3, 4, [5, [6]]]]]`,
	`({x: Array.from({length: 28}, (_, i) => i + 1)})`,
	`[1, 2, 3, 4, 5, 6]`,
	`[1, 2, 3, 4, 5, 6, 7]`,
	`['a', 'b', 'c', 'd', 'e', 'f', 'g']`,
	`Array.from({length: 26}, (_, i) => String.fromCharCode(97 + i).repeat(i % 5 + 1))`,
	`Array.from({length: 120}, (_, i) => i)`,
	`Array.from({length: 30}, (_, i) => 'item' + i)`,
	`[1, 2, 3, 4, 5, 6, 7, {a: 1}]`,
	`new Array(2 ** 32 - 1)`,
	`[1, , 3, 4, 5, 6, 7, 8]`,
	`[, , 1, , 2]`,
	`(() => { const s = []; s[5] = 1; s[1000] = 2; s.x = 3; return s })()`,
	`(() => { const s = []; s[300] = 1; return s })()`,
	`[true, false, true, false, true, false, true]`,
	`[-1, 20, -300, 4000, 5, 6, 7, 8, 9, 10]`,
	`Array.from({length: 30}, (_, i) => i * 1000000)`,
	`['xxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxx', 'xxxxxxxxxxxxxxx']`,
	`({aaaa: 'xxxxxxxxxxxxxxx', bbbb: 'xxxxxxxxxxxxxxx', cccc: 'xxxxxxxxxxxxxxx', d: 1})`,
	`new Map([[1, {a: [1, 2, 3]}], ['k', 'v']])`,
	`Promise.resolve([1, 2, 3, 4, 5, 6, 7, 8, 9])`,
	`Array.from({length: 200}, (_, i) => i % 3 ? i : undefined).map((x, i) => i % 7 ? x : 'str')`,
	`new Uint8Array(20)`,
	`[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], {a: Array.from({length: 22}, (_, i) => i + 1)}]`,
	`(async () => {})`,
	`(async function () {})`,
	// What a function is shows, not what its source text starts with.
	`({asyncLoad() {}, *gen() {}, async am() {}, async() {}, classify() {}, class: 1}) `,
	`(() => { const o = {asyncLoad() {}, *gen() {}, async am() {}, async() {}, classify() {}}; return Object.values(o) })()`,
	`[function* () {}, async () => {}, class {}, class K extends Array {}, Math.max, function f() {}.bind(null)]`,
	`[1.5, -0, 2n, NaN, 100000, 3, 4, 5]`,
	`({a: 1, b: 'two', c: [3], d: {e: 4}, f: null, g: undefined, h: true, i: Symbol('x')})`,
	`[[], {}, [[]], [{}], {a: []}]`,
	`[{a: 1, b: 2}, {a: 3, b: 4}, {a: 5, b: 6}, {a: 7, b: 8}, {a: 9, b: 10}, {a: 11, b: 12}, {a: 13, b: 14}]`,
	// Map and Set iterators show what they have still to give.
	`new Map([[1, {a: [1, 2]}], ['k', 'v']]).entries()`,
	`[new Map([[1, 2]]).keys(), new Map([[1, 2]]).values(), new Set([1]).entries(), new Set([1]).keys()]`,
	`(() => { const s = new Set([1, 2, 3]); const it = s.values(); it.next(); s.add(4); return it })()`,
	`(() => { const m = new Map([[1, 2], [3, 4], [5, 6]]); const it = m.entries(); it.next(); m.delete(1); m.delete(3); return it })()`,
	`(() => { const it = new Map([[1, 2]]).entries(); it.next(); it.next(); return [it, new Set().values()] })()`,
	`({a: {b: {c: new Map([[1, 2]]).keys()}}, d: [new Set(['x'.repeat(30), 'y'.repeat(30), 'z'.repeat(30)]).entries()]})`,
	`new Set(Array.from({length: 120}, (_, i) => i)).entries()`,
	`(() => { const it = new Set([1]).values(); it.extra = 1; return it })()`,
	// Errors with properties of their own, tags, prototypes past the depth.
	`(() => { const e = new RangeError('x'); e.stack = 'RangeError: x\n    at f (a.js:1:1)'; e.code = 'E'; e.info = {a: [1]}; return [e] })()`,
	`(() => { class T { constructor() { this.a = 1 } }; T.prototype[Symbol.toStringTag] = 'tag'; return [new T, {a: {b: {c: new T}}}] })()`,
	`({a: {b: {c: Object.assign(Object.create(null), {x: 1})}}, t: {b: 2, [Symbol.toStringTag]: 'own'}})`,
}

// TestInspectLikeNode prints each case with Inspect and with node's
// util.inspect, and compares.
func TestInspectLikeNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	src, _ := json.Marshal(nodeLayoutCases)
	out, err := exec.Command(node, "-e", `const util = require('util');
		for (const c of `+string(src)+`) process.stdout.write(util.inspect((0, eval)(c)) + '\0')`).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	want := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(want) != len(nodeLayoutCases) {
		t.Fatalf("node printed %d values for %d cases", len(want), len(nodeLayoutCases))
	}
	for i, c := range nodeLayoutCases {
		v, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := v.RunScript("case.js", c)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if got := Inspect(v.Runtime(), res, InspectOptions{}); got != want[i] {
			t.Errorf("%s:\n got %s\nnode %s", c, got, want[i])
		}
	}
}
