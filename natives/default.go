package natives

// Default returns new instances of the plugins of a standard Stasis world,
// in the order they are installed: Timers, FS, Modules, Process, Buffers, URLs.
func Default() []Plugin {
	return []Plugin{&Timers{}, &FS{}, &Modules{}, &Process{}, &Buffers{}, &URLs{}}
}
