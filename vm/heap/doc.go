// Package heap is the one place in Stasis that reads and writes goja's
// internal structures: what JavaScript cannot reflect on and goja does not
// export, which an image must hold all the same.
//
// What lives here:
//   - Mirrors of goja's unexported types (Stash for a closure's scope, JSFunc,
//     ClassFunc and ArrowFunc for functions, Base for an object's own
//     properties, GeneratorObject and AsyncRunner for suspended frames,
//     MapObject, Array, ArrayBuffer, the iterators, ...), each reached from
//     a *goja.Object by an ...Of function, with typed accessors to its fields.
//   - Constructors that build the same structures in a fresh runtime
//     (FunctionFactory, NewPrivateEnvType, NewMapIter, ...), which the image
//     package uses on load.
//   - Knowledge of goja's compiler: a program's tree of nested programs
//     (ProgramInfo), closure slot order (ClosureSlots), where a suspended
//     frame resumes (ResumesAt).
//   - The job queue and the call stack, for promise jobs queued from Go
//     (AppendJob, PrependJob, PushFrame).
//
// Fields are found by name and type with reflection when the process starts
// (Check), never by fixed offsets, so that every supported goja version
// works; a field that is gone or changed type makes Check refuse, naming it.
// mirror.go says how to read one more field, versions.go what differs between
// goja versions, and Fingerprint hashes the layout that images record.
//
// Nothing outside this package imports goja's internals: vm, natives and
// image go through it.
package heap
