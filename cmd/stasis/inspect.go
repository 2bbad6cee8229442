package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/image/store"
)

type inspectCmd struct {
	Image string `arg:"" help:"Image file, bundle or location (sqlite:FILE#NAME, postgres://...#NAME) to describe."`
	JSON  bool   `name:"json" help:"Print the summary as JSON (the fields of image.Summary)."`
	Hooks bool   `help:"Also print the code of the onResume hooks, main and the onSave hooks: what the image runs when it is loaded."`

	Limits limitFlags `embed:""`
}

func (c *inspectCmd) Help() string {
	return "Describes what an image holds without loading it: format and versions, sizes,\n" +
		"objects by kind, the largest objects and the path they hang from, scripts,\n" +
		"captured scopes, the records of native plugins (timers, open files), hooks and\n" +
		"main. IMAGE may be a bundle made by 'stasis bundle'. With --hooks, also the code\n" +
		"that loading it runs (onResume hooks and main), to read before you load it,\n" +
		"and of the onSave hooks that saving it again runs.\n\n" +
		"With --json the same is printed as one JSON object; its field names are stable\n" +
		"(see image.Summary in the Go documentation)."
}

func (c *inspectCmd) Run(e *env) error {
	if err := e.limit(c.Limits); err != nil {
		return err
	}
	if !store.IsFile(c.Image) {
		data, err := image.ReadLocation(context.Background(), c.Image)
		if err != nil {
			return err
		}
		s, err := image.InspectWithin(bytes.NewReader(data), int64(len(data)), e.limits)
		if err != nil {
			return fmt.Errorf("%s: %w", c.Image, err)
		}
		return c.print(e, s)
	}
	f, err := os.Open(c.Image)
	if err != nil {
		return image.FileError(c.Image, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return image.FileError(c.Image, err)
	}
	var r io.ReaderAt = f
	size := fi.Size()
	sec, bundle, err := image.BundledImage(f, size)
	if err != nil {
		return image.FileError(c.Image, err)
	}
	if bundle {
		r, size = sec, sec.Size()
	}
	s, err := image.InspectWithin(r, size, e.limits)
	if err != nil {
		return image.FileError(c.Image, err)
	}
	if bundle {
		s.Sizes.Bundle = fi.Size()
	}
	return c.print(e, s)
}

func (c *inspectCmd) print(e *env, s *image.Summary) error {
	if c.JSON {
		b, err := json.MarshalIndent(s, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "%s\n", b)
		return err
	}
	writeSummary(e.stdout, c.Image, s)
	if c.Hooks {
		writeHooks(e.stdout, s.Hooks.Code)
	}
	return nil
}

// writeHooks prints the code of the hooks and main, each under a heading.
func writeHooks(w io.Writer, code []image.HookCode) {
	if len(code) == 0 {
		fmt.Fprintf(w, "\nno hooks and no main: loading runs no code of the image's own but its timers\n")
		return
	}
	for _, h := range code {
		head := h.Hook
		if h.Name != "" {
			head += " " + h.Name
		}
		if h.Script != "" {
			head += " (" + h.Script + ")"
		}
		fmt.Fprintf(w, "\n%s\n", head)
		for _, line := range strings.Split(strings.TrimRight(h.Source, "\n"), "\n") {
			fmt.Fprintf(w, "    %s\n", line)
		}
	}
}

// writeSummary prints s for people.
func writeSummary(w io.Writer, name string, s *image.Summary) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	if s.Sizes.Bundle > 0 {
		p("bundle     %s: %s bytes, of which the image is %s", name, num(s.Sizes.Bundle), num(s.Sizes.File))
	} else {
		p("image      %s", name)
	}
	p("format     %s, written by Stasis %s with goja %s (heap layout %s) on %s",
		s.Format, s.StasisVersion, s.GojaVersion, s.Layout, s.Created)
	if s.Compatible {
		p("           this build can load it")
	} else {
		p("           this build cannot load it: %s", s.Incompatible)
	}
	if len(s.Entry) > 0 {
		p("built from %s", strings.Join(s.Entry, ", "))
	}
	p("size       %s bytes on disk; payload %s bytes stored, %s unpacked",
		num(s.Sizes.File), num(s.Sizes.Stored), num(s.Sizes.Unpacked))
	p("           strings %s bytes (%s strings), script sources %s bytes, buffers %s bytes",
		num(s.Sizes.Strings), num(int64(s.Counts.Strings)), num(s.Sizes.Sources), num(s.Sizes.Buffers))
	p("")
	p("objects    %s, in %s shapes", num(int64(s.Counts.Objects)), num(int64(s.Counts.Shapes)))
	for _, k := range s.Objects {
		p("  %-18s %8s", k.Kind, num(int64(k.Count)))
	}
	if len(s.Largest) > 0 {
		p("largest    (size = property slots + elements + buffer bytes)")
		for _, o := range s.Largest {
			var what []string
			if o.Slots > 0 {
				what = append(what, plural(o.Slots, "slot"))
			}
			if o.Elements > 0 {
				what = append(what, plural(o.Elements, "element"))
			}
			if o.Bytes > 0 {
				what = append(what, num(o.Bytes)+" bytes")
			}
			path := o.Path
			if path == "" {
				path = "(held by internal state only)"
			}
			p("  %8s  %-12s %s  (%s)", num(o.Size), o.Kind, path, strings.Join(what, ", "))
		}
	}
	p("")
	p("scripts    %d, %s bytes of source, %s bytes of compiled code", len(s.Scripts), num(s.Sizes.Sources), num(s.Sizes.Code))
	for _, sc := range s.Scripts {
		strict := ""
		if sc.Strict {
			strict = ", strict"
		}
		p("  %-40s %8s bytes, %s%s", sc.Name, num(int64(sc.Bytes)), plural(sc.Lines, "line"), strict)
	}
	p("scopes     %s captured, %s", num(int64(s.Scopes.Count)), plural(s.Scopes.Slots, "variable"))
	for _, sc := range s.Scopes.Named {
		fn := sc.Function
		if fn == "" {
			fn = "(anonymous)"
		}
		times := ""
		if sc.Count > 1 {
			times = fmt.Sprintf(" (%d scopes; the first)", sc.Count)
		}
		vars := sc.Variables
		more := ""
		if len(vars) > 8 {
			vars, more = vars[:8], fmt.Sprintf(", … (%d more)", len(vars)-8)
		}
		p("  %-24s %s%s  at %s%s", fn, strings.Join(vars, ", "), more, sc.Path, times)
	}
	p("globals    %s", list(s.GlobalVars, 20, "(none defined)"))
	p("lexical    %s", list(s.Globals, 20, "(no let, const or class at top level)"))
	p("built-ins  %s", list(s.Patches, 20, "(unchanged)"))
	p("")
	if len(s.Plugins) == 0 {
		p("plugins    (none)")
	} else {
		p("plugins")
	}
	for _, pl := range s.Plugins {
		p("  %s (version %d): %s", pl.Name, pl.Version, plural(pl.Count, "native object"))
		for _, r := range pl.Records {
			path := r.Path
			if path == "" {
				path = "object " + strconv.Itoa(r.Object)
			}
			p("    %s  %s", path, compact(r.Record))
		}
		if more := pl.Count - len(pl.Records); more > 0 {
			p("    ... and %d more", more)
		}
		if pl.State != nil {
			p("    state  %s", compact(pl.State))
		}
	}
	main := "none"
	if s.Hooks.Main {
		main = "set"
		if s.Hooks.MainName != "" {
			main = s.Hooks.MainName + "()"
		}
	}
	p("hooks      onSave %d, onResume %d, main %s", s.Hooks.OnSave, s.Hooks.OnResume, main)
}

// num writes n with thousands separators.
func num(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return num(int64(n)) + " " + what + "s"
}

func list(items []string, max int, none string) string {
	if len(items) == 0 {
		return none
	}
	if len(items) <= max {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:max], ", ") + fmt.Sprintf(", ... and %d more", len(items)-max)
}

// compact renders a rendered JS value on one line, cut to a readable length.
func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const max = 160
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}
