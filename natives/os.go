package natives

import (
	"os"
	"os/user"
	"runtime"
	"strconv"
	"strings"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// makeOS makes the built-in module "os": Node's functions read the host
// when called (so a resumed world reads the loading machine); EOL and
// devNull are constants.
func makeOS(v *vm.VM) *goja.Object {
	rt := v.Runtime()
	m := rt.NewObject()
	eol, devNull := "\n", "/dev/null"
	if runtime.GOOS == "windows" {
		eol, devNull = "\r\n", `\\.\nul`
	}
	_ = m.Set("EOL", eol)
	_ = m.Set("devNull", devNull)
	fn := func(name string, f func() any) {
		v.DefineFunction(m, name, 0, func(goja.FunctionCall) goja.Value { return rt.ToValue(f()) })
	}
	fn("platform", func() any { return nodePlatform() })
	fn("arch", func() any { return nodeArch() })
	fn("type", func() any {
		switch runtime.GOOS {
		case "windows":
			return "Windows_NT"
		case "darwin":
			return "Darwin"
		}
		if len(runtime.GOOS) == 0 {
			return ""
		}
		return strings.ToUpper(runtime.GOOS[:1]) + runtime.GOOS[1:]
	})
	fn("endianness", func() any { return "LE" })
	fn("homedir", func() any { h, _ := os.UserHomeDir(); return h })
	fn("tmpdir", func() any { return strings.TrimSuffix(os.TempDir(), string(os.PathSeparator)) })
	fn("hostname", func() any { h, _ := os.Hostname(); return h })
	fn("release", func() any { return readTrim("/proc/sys/kernel/osrelease") })
	fn("uptime", func() any {
		f := strings.Fields(readTrim("/proc/uptime"))
		if len(f) > 0 {
			if x, err := strconv.ParseFloat(f[0], 64); err == nil {
				return x
			}
		}
		return 0
	})
	fn("loadavg", func() any {
		out := []any{0.0, 0.0, 0.0}
		for i, f := range strings.Fields(readTrim("/proc/loadavg")) {
			if i < 3 {
				if x, err := strconv.ParseFloat(f, 64); err == nil {
					out[i] = x
				}
			}
		}
		return rt.NewArray(out...)
	})
	fn("totalmem", func() any { return meminfo("MemTotal:") })
	fn("freemem", func() any { return meminfo("MemAvailable:") })
	fn("availableParallelism", func() any { return runtime.NumCPU() })
	fn("cpus", func() any {
		cpus := make([]any, runtime.NumCPU())
		for i := range cpus {
			c := rt.NewObject()
			_ = c.Set("model", "")
			_ = c.Set("speed", 0)
			times := rt.NewObject()
			for _, k := range []string{"user", "nice", "sys", "idle", "irq"} {
				_ = times.Set(k, 0)
			}
			_ = c.Set("times", times)
			cpus[i] = c
		}
		return rt.NewArray(cpus...)
	})
	fn("userInfo", func() any {
		info := rt.NewObject()
		u, err := user.Current()
		if err != nil {
			throwf(v, "os.userInfo: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		_ = info.Set("uid", uid)
		_ = info.Set("gid", gid)
		_ = info.Set("username", u.Username)
		_ = info.Set("homedir", u.HomeDir)
		_ = info.Set("shell", os.Getenv("SHELL"))
		return info
	})
	return m
}

func readTrim(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// meminfo reads a /proc/meminfo field in bytes (0 where there is none).
func meminfo(field string) int64 {
	for _, line := range strings.Split(readTrim("/proc/meminfo"), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
					return kb * 1024
				}
			}
		}
	}
	return 0
}
