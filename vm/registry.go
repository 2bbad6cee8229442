package vm

import (
	"fmt"

	"github.com/dop251/goja"
)

// Script is one compiled unit of source: a file, a REPL input, a module
// wrapper, or the body of an eval or new Function.
type Script struct {
	ID      int           // position in the registry, from 0
	Name    string        // file name or a label such as "<repl:3>"
	Source  string        // the whole source text as compiled
	Strict  bool          // compiled in strict mode from the outside
	Program *goja.Program // the root program of the compiled unit
}

// Registry keeps every script a VM compiled, in order, with its source.
type Registry struct {
	scripts   []*Script
	byProgram map[*goja.Program]*Script
}

func newRegistry() *Registry {
	return &Registry{byProgram: map[*goja.Program]*Script{}}
}

// Add compiles src as a classic (sloppy unless it says "use strict") script and records it.
func (r *Registry) Add(name, src string) (*Script, error) {
	return r.add(name, src, false)
}

// Compile compiles src (strict if asked) and records it.
func (r *Registry) Compile(name, src string, strict bool) (*Script, error) {
	return r.add(name, src, strict)
}

func (r *Registry) add(name, src string, strict bool) (*Script, error) {
	p, err := goja.Compile(name, src, strict)
	if err != nil {
		return nil, err
	}
	return r.Insert(name, src, strict, p), nil
}

// Insert records an already compiled program (for example one compiled
// concurrently or taken from a cache of compiled scripts).
func (r *Registry) Insert(name, src string, strict bool, p *goja.Program) *Script {
	s := &Script{ID: len(r.scripts), Name: name, Source: src, Strict: strict, Program: p}
	r.scripts = append(r.scripts, s)
	r.byProgram[p] = s
	return s
}

// All returns the scripts in the order they were compiled. The slice must not be modified.
func (r *Registry) All() []*Script { return r.scripts }

// Len returns the number of scripts.
func (r *Registry) Len() int { return len(r.scripts) }

// Get returns the script with the given ID.
func (r *Registry) Get(id int) (*Script, error) {
	if id < 0 || id >= len(r.scripts) {
		return nil, fmt.Errorf("no script %d", id)
	}
	return r.scripts[id], nil
}

// ByProgram returns the script whose root program is p, or nil.
func (r *Registry) ByProgram(p *goja.Program) *Script { return r.byProgram[p] }
