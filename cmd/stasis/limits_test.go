package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want uint64
		err  bool
	}{
		{"1000", 1000, false}, {"512M", 512 << 20, false}, {"2g", 2 << 30, false}, {"2GB", 2 << 30, false},
		{"16MiB", 16 << 20, false}, {"1K", 1024, false}, {"1T", 1 << 40, false},
		{"0", 0, true}, {"", 0, true}, {"-5", 0, true}, {"1.5G", 0, true}, {"lots", 0, true}, {"99999999999T", 0, true},
	} {
		got, err := parseSize(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// TestLoadLimitFlags: every command that loads an image refuses one over a
// limit the command line (or $STASIS_OPTIONS, also for a bundle) sets, with
// one line naming the flag that raises it, and loads it when the limit is
// raised.
func TestLoadLimitFlags(t *testing.T) {
	stasisBinary(t) // built from this package's directory, before stasis() changes it
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"nop.js": "\n",
		"w.js": "var xs = []; for (var i = 0; i < 300; i++) xs.push({ i: i, s: 'x'.repeat(100) + i });\n" +
			"var buf = new ArrayBuffer(5000);\n" +
			"stasis.setMain(function () { console.log('loaded', xs.length) });\n",
	})
	if status, _, stderr := stasis(t, dir, "", "save-image", "-o", "w.img", "w.js"); status != 0 {
		t.Fatalf("save-image: %s", stderr)
	}
	over := func(what string) string { return "image is over a load limit: " + what }
	for _, tt := range []struct {
		flag, want string
	}{
		{"--max-objects=100", over("") + " objects are over the limit of 100 (--max-objects raises it, also in $STASIS_OPTIONS)"},
		{"--max-image-size=1K", over("payload of ") + " bytes unpacked is over the limit of 1024 (--max-image-size raises it, also in $STASIS_OPTIONS)"},
		{"--max-string-size=10K", over("strings of ") + " bytes are over the limit of 10240 (--max-string-size raises it, also in $STASIS_OPTIONS)"},
		{"--max-buffer-size=4000", over("ArrayBuffers of 5000 bytes are over the limit of 4000 (--max-buffer-size raises it, also in $STASIS_OPTIONS)")},
	} {
		// The messages hold the image's own counts: check the parts around them.
		parts := strings.SplitN(tt.want, ": ", 2)
		head, tail := parts[0]+": ", tt.want[strings.LastIndex(tt.want, " are over")+1:]
		if !strings.Contains(tt.want, " are over") {
			tail = tt.want[strings.LastIndex(tt.want, " bytes unpacked")+1:]
		}
		for _, cmd := range [][]string{
			{"load-image", tt.flag, "w.img"}, {"inspect", tt.flag, "w.img"}, {"repl", tt.flag, "w.img"},
			{"save-image", tt.flag, "-i", "w.img", "-o", "w2.img", "nop.js"}, {"run", tt.flag, "--checkpoint", "w.img", "nop.js"},
		} {
			status, stdout, stderr := stasis(t, dir, "", cmd...)
			if status != exitError || !strings.Contains(stderr, head) || !strings.HasSuffix(stderr, tail+"\n") ||
				strings.Count(stderr, "\n") != 1 || strings.Contains(stdout, "loaded") {
				t.Errorf("%s: status %d, stdout %q, stderr %q; want 1 and one line %q ... %q", strings.Join(cmd, " "), status, stdout, stderr, head, tail)
			}
		}
		t.Setenv("STASIS_OPTIONS", tt.flag)
		if status, _, stderr := stasis(t, dir, "", "load-image", "w.img"); status != exitError || !strings.HasSuffix(stderr, tail+"\n") {
			t.Errorf("STASIS_OPTIONS=%s load-image: status %d, stderr %q", tt.flag, status, stderr)
		}
		// The command line wins over the environment.
		name := tt.flag[:strings.IndexByte(tt.flag, '=')]
		if status, stdout, stderr := stasis(t, dir, "", "load-image", name+"=1G", "w.img"); status != 0 || stdout != "loaded 300\n" {
			t.Errorf("load-image %s=1G under STASIS_OPTIONS=%s: status %d, %q %q", name, tt.flag, status, stdout, stderr)
		}
		t.Setenv("STASIS_OPTIONS", "")
	}
	// Raised, the same image loads.
	if status, stdout, stderr := stasis(t, dir, "", "load-image", "--max-objects=2K", "--max-image-size=1G", "w.img"); status != 0 || stdout != "loaded 300\n" {
		t.Errorf("raised limits: status %d, %q %q", status, stdout, stderr)
	}
	if status, _, stderr := stasis(t, dir, "", "load-image", "--max-objects=lots", "w.img"); status != exitError ||
		stderr != "load-image: --max-objects=lots: not a size (a positive number, such as 1000, 512M or 2G)\n" {
		t.Errorf("a bad size: status %d, %q", status, stderr)
	}

	// A bundle parses no flags: its limits come from $STASIS_OPTIONS.
	if status, _, stderr := runStatus(t, dir, "bundle", "-o", "app", "w.img"); status != 0 {
		t.Fatalf("bundle: %d %s", status, stderr)
	}
	for _, tt := range []struct{ env, want string }{
		{"--max-objects=100", "(--max-objects raises it, also in $STASIS_OPTIONS)\n"},
		{"--max-objects=1M", "loaded 300\n"},
	} {
		_, stdout, stderr := proc{dir: dir, env: []string{"STASIS_OPTIONS=" + tt.env}}.run(t, filepath.Join(dir, "app"))
		if got := stdout + stderr; !strings.HasSuffix(got, tt.want) || strings.Count(got, "\n") != 1 {
			t.Errorf("bundle under STASIS_OPTIONS=%s: %q, want one line ending %q", tt.env, got, tt.want)
		}
	}
}
