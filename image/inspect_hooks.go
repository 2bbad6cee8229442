package image

import "fmt"

// HookCode is the code of a hook or of main, shown by `stasis inspect
// --hooks` so that a person can read what an image will run before
// loading it.
type HookCode struct {
	Hook   string `json:"hook"`             // "onResume 1", "onSave 2", "main"
	Name   string `json:"name,omitempty"`   // the function's name
	Script string `json:"script,omitempty"` // the script it was compiled from
	Source string `json:"source"`           // its text, or what it is ("bound function", "native function")
}

// hooksCode returns the code of the hooks and main of the payload's roots.
func (in *inspector) hooksCode() []HookCode {
	r := &in.p.Roots
	var out []HookCode
	for i, c := range r.OnResume {
		out = append(out, in.hookCode(fmt.Sprintf("onResume %d", i+1), c))
	}
	if r.Main != codeNone {
		out = append(out, in.hookCode("main", r.Main))
	}
	for i, c := range r.OnSave {
		out = append(out, in.hookCode(fmt.Sprintf("onSave %d", i+1), c))
	}
	return out
}

// hookCode describes the function c: its source from its script when it
// has one, else what kind of function it is (following bound functions
// to their target).
func (in *inspector) hookCode(hook string, c uint64) HookCode {
	h := HookCode{Hook: hook, Name: in.functionName(c)}
	o := in.objRef(c)
	for hops := 0; o >= 0 && hops < 16; hops++ {
		info := in.objs[o]
		switch {
		case info.kind == okBound:
			ext := in.extra(info)
			if len(ext) == 0 {
				h.Source = "bound function"
				return h
			}
			h.Source = "bound function of: "
			o = in.objRef(ext[0])
			continue
		case info.kind == okIntrinsic:
			h.Source += "built-in " + in.str(uint64(info.name))
			return h
		case !info.kind.IsFunction() || info.extra < 0 || int(info.extra) >= len(in.p.Objects.Extra):
			h.Source += info.kind.String()
			return h
		}
		ext := in.p.Objects.Extra[info.extra]
		if len(ext) < 4 || ext[0] == 0 || ext[0] > uint64(len(in.p.Scripts)) {
			h.Source += "function without a script"
			return h
		}
		sc := in.p.Scripts[ext[0]-1]
		h.Script = sc.Name
		if ext[2] == 1 {
			h.Source += in.str(ext[3])
			return h
		}
		if sc.Digest != nil {
			h.Source += "built-in script " + sc.Name
			return h
		}
		cs, err := programCache.compile(sc.Name, sc.Source, sc.Strict, 0)
		if err != nil || ext[1] >= uint64(len(cs.infos)) {
			h.Source += "function whose script does not compile"
			return h
		}
		h.Source += cs.infos[ext[1]].Source
		return h
	}
	if h.Source == "" {
		h.Source = "not a function"
	}
	return h
}
