package main

import (
	"os"
	"runtime/debug"
	"testing"
)

// gcSettings reads the GC percent and the memory limit without changing them.
func gcSettings() (percent int, limit int64) {
	percent = debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

func TestNoGCWhileLoading(t *testing.T) {
	tests := []struct {
		name      string
		size      int64
		env       map[string]string // set; the others of GOGC and GOMEMLIMIT are unset
		off       bool
		wantLimit int64
	}{
		{"small image", 300 << 10, nil, true, loadNoGCMinLimit},
		{"limit grows with the image", 3 << 20, nil, true, 3 << 20 * loadNoGCLimitPerByte},
		{"large image", 64 << 20, nil, true, 64 << 20 * loadNoGCLimitPerByte},
		{"GOGC set", 300 << 10, map[string]string{"GOGC": "100"}, false, 0},
		{"GOMEMLIMIT set", 300 << 10, map[string]string{"GOMEMLIMIT": "1GiB"}, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
				t.Setenv(name, "") // restored after the test
				if v, ok := tt.env[name]; ok {
					os.Setenv(name, v)
				} else {
					os.Unsetenv(name)
				}
			}
			percent, limit := gcSettings()
			restore := noGCWhileLoading(tt.size)
			gotPercent, gotLimit := gcSettings()
			restore()
			if p, l := gcSettings(); p != percent || l != limit {
				t.Errorf("after restore: percent %d, limit %d; want %d, %d", p, l, percent, limit)
			}
			if tt.off {
				if gotPercent != -1 || gotLimit != tt.wantLimit {
					t.Errorf("while loading: percent %d, limit %d; want -1, %d", gotPercent, gotLimit, tt.wantLimit)
				}
			} else if gotPercent != percent || gotLimit != limit {
				t.Errorf("while loading: percent %d, limit %d; want them unchanged (%d, %d)", gotPercent, gotLimit, percent, limit)
			}
		})
	}
}
