package image

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/internal/benchcpu"
	"github.com/stasisvm/stasis/vm"
)

// Benchmark data sets. Each script builds `data`, what the image holds;
// json is an expression over data giving the same information as JSON can
// carry it (references become ids), the baseline's data. The worlds that
// are saved and loaded hold data alone, never the baseline's copy.
var benchSets = []struct{ name, script, json string }{
	{"Tree1M", `
		var data = [];
		for (var i = 0; i < 200000; i++) data.push({ id: i, name: "n" + (i % 1000), ok: i % 2 == 0, pos: { x: i, y: -i }, tags: ["t" + (i % 7), { w: i % 3 }] });`,
		`data`},
	{"Graph200k", `
		var nodes = [];
		for (var i = 0; i < 200000; i++) nodes.push({ id: i, label: "v" + (i % 5000), edges: [] });
		for (var i = 0; i < 200000; i++) { var n = nodes[i]; n.edges.push(nodes[(i * 7 + 1) % 200000], nodes[(i * 13 + 5) % 200000]); n.parent = nodes[i >> 1] }
		var data = nodes;`,
		`data.map(n => ({ id: n.id, label: n.label, edges: n.edges.map(e => e.id), parent: n.parent.id }))`},
	{"Instances100k", `
		class Account { constructor(id, owner, balance) { this.id = id; this.owner = owner; this.balance = balance; this.history = [] } deposit(x) { this.balance += x } }
		var data = new Map();
		for (var i = 0; i < 100000; i++) { var a = new Account(i, "owner" + (i % 977), i * 1.25); a.history.push(i % 10); data.set("acct" + i, a) }`,
		`Array.from(data, ([k, a]) => [k, { id: a.id, owner: a.owner, balance: a.balance, history: a.history }])`},
}

func benchWorld(b *testing.B, script string) *vm.VM {
	b.Helper()
	v, err := NewWorld(vm.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := v.RunScript("bench.js", script); err != nil {
		b.Fatal(err)
	}
	return v
}

// jsonBaseline returns a world holding a set's data, the baseline's data
// made from it and JSON.stringify.
func jsonBaseline(b *testing.B, script, json string) (data goja.Value, stringify goja.Callable) {
	b.Helper()
	v := benchWorld(b, script)
	rt := v.Runtime()
	data, err := v.RunScript("json.js", json)
	if err != nil {
		b.Fatal(err)
	}
	stringify, _ = goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("stringify"))
	return data, stringify
}

func BenchmarkSave(b *testing.B) {
	for _, set := range benchSets {
		b.Run(set.name, func(b *testing.B) {
			v := benchWorld(b, set.script)
			var buf bytes.Buffer
			cpu := benchcpu.Start(b)
			for i := 0; i < b.N; i++ {
				buf.Reset()
				if err := Save(&buf, v, SaveOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			cpu.Stop(b)
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
	}
}

func BenchmarkStringify(b *testing.B) {
	for _, set := range benchSets {
		b.Run(set.name, func(b *testing.B) {
			data, stringify := jsonBaseline(b, set.script, set.json)
			var n int
			cpu := benchcpu.Start(b)
			for i := 0; i < b.N; i++ {
				s, err := stringify(goja.Undefined(), data)
				if err != nil {
					b.Fatal(err)
				}
				n = len(s.String())
			}
			cpu.Stop(b)
			b.ReportMetric(float64(n), "bytes")
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	for _, set := range benchSets {
		b.Run(set.name, func(b *testing.B) {
			img := benchImage(b, set.script)
			cpu := benchcpu.Start(b)
			for i := 0; i < b.N; i++ {
				if _, _, err := Load(bytes.NewReader(img), LoadOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			cpu.Stop(b)
		})
	}
}

// benchImage returns the image of a set's world. The world is dropped and
// collected before it returns, so that a benchmark of loads starts with a
// heap that holds only the image, as a process that loads one does (and
// as benchJSON leaves the heap for parses).
func benchImage(b *testing.B, script string) []byte {
	b.Helper()
	v := benchWorld(b, script)
	var buf bytes.Buffer
	if err := Save(&buf, v, SaveOptions{}); err != nil {
		b.Fatal(err)
	}
	v = nil
	runtime.GC()
	return buf.Bytes()
}

// benchJSON returns the JSON text of a set's baseline data; the world is
// dropped and collected before it returns (see benchImage).
func benchJSON(b *testing.B, script, json string) string {
	b.Helper()
	data, stringify := jsonBaseline(b, script, json)
	v, err := stringify(goja.Undefined(), data)
	if err != nil {
		b.Fatal(err)
	}
	text := v.String()
	data, stringify, v = nil, nil, nil
	runtime.GC()
	return text
}

// BenchmarkParse is the baseline of BenchmarkLoad: JSON.parse of the
// set's JSON text into a fresh VM, as Load builds a fresh world.
func BenchmarkParse(b *testing.B) {
	for _, set := range benchSets {
		b.Run(set.name, func(b *testing.B) {
			text := benchJSON(b, set.script, set.json)
			cpu := benchcpu.Start(b)
			for i := 0; i < b.N; i++ {
				fresh, err := vm.New(vm.Options{})
				if err != nil {
					b.Fatal(err)
				}
				rt := fresh.Runtime()
				parse, _ := goja.AssertFunction(rt.Get("JSON").ToObject(rt).Get("parse"))
				if _, err := parse(goja.Undefined(), rt.ToValue(text)); err != nil {
					b.Fatal(err)
				}
			}
			cpu.Stop(b)
		})
	}
}
