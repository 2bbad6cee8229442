package image

import (
	"fmt"

	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/vm"
	"github.com/stasisvm/stasis/vm/heap"
)

// Compiled code in images: an image stores, besides each script's source,
// its compiled program tree (vm/heap's EncodeProgram), so that a loaded
// world compiles nothing. The code is valid only for the goja, Go and
// instruction layouts named by its key (heap.CodeKey); a build with another
// key, or a load with LoadOptions.CompileSource, compiles the sources, and
// the world is the same. A script whose program cannot be stored (a source
// map, a type missing from the registry) is stored as source alone. And a
// load compiles the scripts of an image whose scripts hold little source
// (compileBelow), without reading their stored code.

// compileBelow is the most source, in bytes, that the scripts of an image
// may hold for a load to compile them rather than read their stored code.
// Reading stored code needs the registry of goja's instruction types
// (heap.CodeKey), which a process makes once, in several milliseconds of
// CPU (a seventh of starting a bundle of an almost empty world), while
// goja compiles 32 KB of source in about one.
const compileBelow = 32 << 10

// compileSmall tells whether the scripts of p are compiled from their
// sources whatever code the image stores (see compileBelow).
func compileSmall(p *payload) bool {
	n := 0
	for _, sc := range p.Scripts {
		if sc.Digest == nil {
			n += len(sc.Source)
		}
	}
	return n <= compileBelow
}

type codeKey struct{}

// codeOf returns the stored form of a registered script's program, made
// once per world (nil when it cannot be stored).
func codeOf(v *vm.VM, s *vm.Script) []byte {
	m := codeTable(v)
	code, ok := m[s]
	if !ok {
		code, _ = heap.EncodeProgram(s.Program, s.Name, s.Source)
		m[s] = code
	}
	return code
}

func codeTable(v *vm.VM) map[*vm.Script][]byte {
	m, _ := v.Attachment(codeKey{}).(map[*vm.Script][]byte)
	if m == nil {
		m = map[*vm.Script][]byte{}
		v.SetAttachment(codeKey{}, m)
	}
	return m
}

// rememberCode records the stored form a script was loaded from, so that
// saving the world again does not encode its program again.
func rememberCode(v *vm.VM, s *vm.Script, code []byte) { codeTable(v)[s] = code }

// codeSection makes the code section for the scripts of a payload: the
// registered scripts come first, in registry order, then the eval code the
// walk found in functions; built-in scripts get none.
func codeSection(v *vm.VM, scripts []scriptRecord) *format.CodeSection {
	key := heap.CodeKey()
	if key == "" {
		return nil
	}
	all := v.Scripts().All()
	out := &format.CodeSection{Key: key, Programs: make([][]byte, len(scripts))}
	stored := 0
	for i, sc := range scripts {
		switch {
		case sc.Digest != nil:
			continue
		case i < len(all) && all[i].Name == sc.Name && all[i].Source == sc.Source:
			out.Programs[i] = codeOf(v, all[i])
		default:
			// Eval code that the walk found in a function: the world
			// that loads it registers it, and saves its code; so does
			// this one, to save the same bytes.
			if c, err := programCache.compile(sc.Name, sc.Source, sc.Strict, 0); err == nil {
				out.Programs[i], _ = heap.EncodeProgram(c.prg, sc.Name, sc.Source)
			}
		}
		if out.Programs[i] != nil {
			stored++
		}
	}
	if stored == 0 {
		return nil
	}
	return out
}

// storedCode returns the stored program of script i of p, or nil when the
// image has none that this build may use.
func storedCode(p *payload, compileSource bool, i int) []byte {
	c := p.Code
	if compileSource || c == nil || i >= len(c.Programs) || len(c.Programs[i]) == 0 || c.Key != heap.CodeKey() {
		return nil
	}
	return c.Programs[i]
}

// scriptJob makes the program of one script of a payload on a goroutine of
// its own: TypeScript's took as long to decode as the rest of its world to
// make, and the two now overlap.
type scriptJob struct {
	done chan struct{} // closed when c or err is set
	c    *compiled
	err  error
	code []byte // the stored code decoded, nil when the source is compiled (set by the job)
}

// startScripts starts a job for every script of p but the built-in ones
// (nil there): decoding its stored code, else compiling its source. held
// is the size of the payload that p's sources and code are read in place
// from: each script's cache entry counts its share of it (entrySize), so
// that the payload counts once however many scripts it holds.
func startScripts(p *payload, compileSource bool, held int) []*scriptJob {
	jobs := make([]*scriptJob, len(p.Scripts))
	compileSource = compileSource || compileSmall(p)
	n := 0
	for _, sc := range p.Scripts {
		if sc.Digest == nil {
			n++
		}
	}
	held /= max(n, 1)
	for i, sc := range p.Scripts {
		if sc.Digest != nil {
			continue
		}
		j := &scriptJob{done: make(chan struct{})}
		jobs[i] = j
		go func() {
			defer close(j.done)
			defer func() {
				// Out of the goroutine, a panic of the compiler would end
				// the process: it refuses the image instead.
				if x := recover(); x != nil {
					j.c, j.err = nil, fmt.Errorf("internal error: %v", x)
				}
			}()
			// Here, not before the goroutine starts: the code key needs
			// the registry of instruction types, which the first load of a
			// process builds (or a bundle's Prepare, beside the layout
			// check) while the world is made.
			j.code = storedCode(p, compileSource, i)
			if j.code != nil {
				j.c, j.err = programCache.decode(sc.Name, sc.Source, sc.Strict, j.code, held)
			} else {
				j.c, j.err = programCache.compile(sc.Name, sc.Source, sc.Strict, held)
			}
		}()
	}
	return jobs
}
