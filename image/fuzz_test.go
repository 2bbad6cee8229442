package image

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/vm"
)

// FuzzLoad mutates the payload of a real world (testdata/fuzzworld) in its
// structure, not its bytes: each mutation sets one number of the decoded
// payload (an object's kind, a column entry, a field of a record: a
// generator's program counter, a scope's slot count, an arguments object's
// length) to a value the fuzzer picks. The result is encoded and wrapped in
// a container with valid checksums, so every mutation reaches the loader.
// Load must refuse the image with one line, or yield a world that saves
// again and in which the probe runs without taking the process down (it may
// throw, or fail with an error); a load or save error that is a recovered
// panic of the engine is a finding: a check the loader lacks.
//
// The checked-in corpus (testdata/fuzz/FuzzLoad) runs as an ordinary test;
// docs/FUZZING.md says how to fuzz for longer.
func FuzzLoad(f *testing.F) {
	f.Add([]byte{})
	f.Add(mutation(0, 1))
	f.Fuzz(func(t *testing.T, muts []byte) {
		base := fuzzBase(t)
		p, err := format.Decode(base.payload, format.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		nums := numbersOf(p)
		var changed []string
		// An array made millions of elements long is a world that may be
		// (the loader admits lengths up to 2^32-1, as JavaScript does),
		// but the probe's map and join over it take as long as they would
		// in Node, in loops goja cannot interrupt: such a world is loaded
		// and saved, not probed.
		probe := base.probe
		for len(muts) > 0 {
			at, n := binary.Uvarint(muts)
			if n <= 0 {
				break
			}
			val, m := binary.Uvarint(muts[n:])
			if m <= 0 {
				break
			}
			muts = muts[n+m:]
			num := nums[at%uint64(len(nums))]
			changed = append(changed, fmt.Sprintf("%s = %d (was %d)", num.path(), val, num.v.Uint()))
			if strings.HasPrefix(num.path(), "p.Objects.ArrLen") && val > 1<<16 {
				probe = ""
			}
			num.set(val)
		}
		data, err := format.Encode(p)
		if err != nil {
			t.Fatal(err)
		}
		var img bytes.Buffer
		if err := format.Write(&img, &base.meta, data); err != nil {
			t.Fatal(err)
		}
		loadAndProbe(t, img.Bytes(), probe, changed)
	})
}

// mutation encodes one structural mutation for FuzzLoad's input.
func mutation(at, val uint64) []byte {
	b := binary.AppendUvarint(nil, at)
	return binary.AppendUvarint(b, val)
}

// loadAndProbe loads an image and, if it loads, uses the world.
func loadAndProbe(t *testing.T, img []byte, probe string, changed []string) {
	var out bytes.Buffer
	v, _, err := Load(bytes.NewReader(img), LoadOptions{VM: vm.Options{Stdout: &out, Stderr: &out}})
	if err != nil {
		if strings.Contains(err.Error(), "internal error") || strings.Contains(err.Error(), "\n") {
			t.Fatalf("load: %v\nmutations: %s", err, strings.Join(changed, "; "))
		}
		return
	}
	rt := v.Runtime()
	// A mutated world may loop or recurse without end: stop it.
	rt.SetMaxCallStackSize(2000)
	stop := time.AfterFunc(5*time.Second, func() { rt.Interrupt("fuzz: too long") })
	defer stop.Stop()
	// Running the world may fail in any way but one: the process must
	// survive it. (Load cannot tell that a function was paired with another
	// function's program of the same kind, whose scopes differ; goja then
	// fails inside, and the VM turns that into an error.)
	if probe != "" {
		_, _ = v.RunScript("probe.js", probe)
	}
	if _, err := EncodePayload(v); err != nil && strings.Contains(err.Error(), "internal error") {
		t.Fatalf("save again: %v\nmutations: %s", err, strings.Join(changed, "; "))
	}
}

type fuzzWorld struct {
	payload []byte
	meta    Meta
	probe   string
}

var (
	fuzzOnce  sync.Once
	fuzzState fuzzWorld
	fuzzErr   error
)

// fuzzBase builds the world of testdata/fuzzworld once and keeps its image.
func fuzzBase(t testing.TB) *fuzzWorld {
	fuzzOnce.Do(func() {
		src, err := os.ReadFile("testdata/fuzzworld/world.js")
		if err != nil {
			fuzzErr = err
			return
		}
		probe, err := os.ReadFile("testdata/fuzzworld/probe.js")
		if err != nil {
			fuzzErr = err
			return
		}
		v, err := NewWorld(vm.Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}})
		if err != nil {
			fuzzErr = err
			return
		}
		if _, err := v.RunScript("world.js", string(src)); err != nil {
			fuzzErr = err
			return
		}
		var img bytes.Buffer
		if err := Save(&img, v, SaveOptions{Created: time.Unix(1, 0)}); err != nil {
			fuzzErr = err
			return
		}
		meta, data, err := format.Read(&img, format.Limits{})
		if err != nil {
			fuzzErr = err
			return
		}
		fuzzState = fuzzWorld{payload: data, meta: *meta, probe: string(probe)}
	})
	if fuzzErr != nil {
		t.Fatal(fuzzErr)
	}
	return &fuzzState
}

// number is one settable number of a decoded payload, with the way to it
// (indices of fields and elements from the payload).
type number struct {
	v   reflect.Value
	way []int
}

// path names the number for people: p.Objects.Extra[19][11].
func (n number) path() string {
	out := "p"
	t := reflect.TypeOf(payload{})
	for _, i := range n.way {
		if t.Kind() == reflect.Struct {
			out += "." + t.Field(i).Name
			t = t.Field(i).Type
		} else {
			out += fmt.Sprintf("[%d]", i)
			t = t.Elem()
		}
	}
	return out
}

func (n number) set(x uint64) {
	if n.v.Kind() == reflect.Uint8 {
		x &= 0xff
	}
	n.v.SetUint(x)
}

// numbersOf lists every number of a payload that a mutation may change:
// the unsigned integers and bytes of every section, in section order.
func numbersOf(p *payload) []number {
	var out []number
	var walk func(v reflect.Value, way []int)
	walk = func(v reflect.Value, way []int) {
		switch v.Kind() {
		case reflect.Uint64, reflect.Uint8:
			out = append(out, number{v, way})
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), append(way[:len(way):len(way)], i))
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i), append(way[:len(way):len(way)], i))
				}
			}
		case reflect.Map:
			// Lone surrogates: keys cannot be set in place; leave them.
		}
	}
	walk(reflect.ValueOf(p).Elem(), nil)
	return out
}

// TestWriteFuzzSeeds writes the seed corpora of FuzzDecode and FuzzLoad
// from the current build, when STASIS_WRITE_FUZZ_SEEDS is set (run it after
// a format change; the corpora are checked in).
func TestWriteFuzzSeeds(t *testing.T) {
	if os.Getenv("STASIS_WRITE_FUZZ_SEEDS") == "" {
		t.Skip("set STASIS_WRITE_FUZZ_SEEDS=1 to rewrite the seed corpora")
	}
	base := fuzzBase(t)
	write := func(dir, name string, b []byte) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		corpus := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(corpus), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("format/testdata/fuzz/FuzzDecode", "world", base.payload)
	var img bytes.Buffer
	if err := format.Write(&img, &base.meta, base.payload); err != nil {
		t.Fatal(err)
	}
	write("format/testdata/fuzz/FuzzReadContainer", "world", img.Bytes())
	p, err := format.Decode(base.payload, format.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	nums := numbersOf(p)
	// One seed per section of numbers: set the first, middle and last
	// number of the payload to values that once loaded.
	for i, at := range []int{0, len(nums) / 3, len(nums) / 2, 2 * len(nums) / 3, len(nums) - 1} {
		write("testdata/fuzz/FuzzLoad", fmt.Sprintf("seed%d", i), mutation(uint64(at), 1<<40))
	}
}
