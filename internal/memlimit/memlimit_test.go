package memlimit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Lines of /proc/self/mountinfo as the kernel writes them.
const (
	v2Mount       = "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
	v1MemoryMount = "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	v1CPUMount    = "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	unifiedMount  = "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
	procMount     = "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
	meminfo       = "MemTotal:       24683548 kB\nMemFree:        19280968 kB\n"
	machineBytes  = 24683548 * 1024
	noLimitV1     = "9223372036854771712\n"
)

func TestRead(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  uint64
	}{
		{"no files: not Linux", nil, None},
		{"the machine's memory alone", map[string]string{"proc/meminfo": meminfo}, machineBytes},
		{"cgroup v2: the group's memory.max", map[string]string{
			"proc/meminfo":                                      meminfo,
			"proc/self/cgroup":                                  "0::/system.slice/app.service\n",
			"proc/self/mountinfo":                               procMount + v2Mount,
			"sys/fs/cgroup/system.slice/memory.max":             "max\n",
			"sys/fs/cgroup/system.slice/app.service/memory.max": "536870912\n",
		}, 512 << 20},
		{"cgroup v2: a parent's smaller memory.max", map[string]string{
			"proc/meminfo":                               meminfo,
			"proc/self/cgroup":                           "0::/kubepods/pod1/ctr\n",
			"proc/self/mountinfo":                        v2Mount,
			"sys/fs/cgroup/kubepods/memory.max":          "max\n",
			"sys/fs/cgroup/kubepods/pod1/memory.max":     "268435456\n",
			"sys/fs/cgroup/kubepods/pod1/ctr/memory.max": "max\n",
		}, 256 << 20},
		{"cgroup v2: max everywhere, so the machine's memory", map[string]string{
			"proc/meminfo":                        meminfo,
			"proc/self/cgroup":                    "0::/user.slice\n",
			"proc/self/mountinfo":                 v2Mount,
			"sys/fs/cgroup/user.slice/memory.max": "max\n",
		}, machineBytes},
		{"cgroup v2: a container at its namespace's root", map[string]string{
			"proc/meminfo":             meminfo,
			"proc/self/cgroup":         "0::/\n",
			"proc/self/mountinfo":      "1000 990 0:30 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw\n",
			"sys/fs/cgroup/memory.max": "1073741824\n",
		}, 1 << 30},
		{"cgroup v2: a limit larger than the machine", map[string]string{
			"proc/meminfo":                 meminfo,
			"proc/self/cgroup":             "0::/big\n",
			"proc/self/mountinfo":          v2Mount,
			"sys/fs/cgroup/big/memory.max": "1099511627776\n",
		}, machineBytes},
		{"cgroup v2: a mount point with a space", map[string]string{
			"proc/self/cgroup":                "0::/app\n",
			"proc/self/mountinfo":             "35 24 0:30 / /sys/fs/my\\040cgroup rw - cgroup2 cgroup2 rw\n",
			"sys/fs/my cgroup/app/memory.max": "4096\n",
		}, 4096},
		{"cgroup v1: memory.limit_in_bytes", map[string]string{
			"proc/meminfo":        meminfo,
			"proc/self/cgroup":    "4:memory:/process_api/d19\n3:cpuset:/\n1:cpu:/\n0::/\n",
			"proc/self/mountinfo": v1CPUMount + v1MemoryMount + unifiedMount,
			"sys/fs/cgroup/memory/process_api/d19/memory.limit_in_bytes": "2147483648\n",
			"sys/fs/cgroup/memory/process_api/d19/memory.stat":           "cache 0\nhierarchical_memory_limit " + noLimitV1,
		}, 2 << 30},
		{"cgroup v1: a parent's limit in hierarchical_memory_limit", map[string]string{
			"proc/self/cgroup":                               "4:memory:/a/b\n0::/\n",
			"proc/self/mountinfo":                            v1MemoryMount + unifiedMount,
			"sys/fs/cgroup/memory/a/b/memory.limit_in_bytes": noLimitV1,
			"sys/fs/cgroup/memory/a/b/memory.stat":           "cache 0\nhierarchical_memory_limit 1048576\nhierarchical_memsw_limit 1048576\n",
		}, 1 << 20},
		{"cgroup v1: no limit (the kernel's page-rounded maximum)", map[string]string{
			"proc/meminfo":        meminfo,
			"proc/self/cgroup":    "4:memory:/process_api/d19\n0::/\n",
			"proc/self/mountinfo": v1MemoryMount + unifiedMount,
			"sys/fs/cgroup/memory/process_api/d19/memory.limit_in_bytes": noLimitV1,
			"sys/fs/cgroup/memory/process_api/d19/memory.stat":           "hierarchical_memory_limit " + noLimitV1,
		}, machineBytes},
		{"cgroup v1: a container whose mount's root is its group", map[string]string{
			"proc/self/cgroup":                           "9:memory:/docker/abc\n",
			"proc/self/mountinfo":                        "34 30 0:31 /docker/abc /sys/fs/cgroup/memory ro,relatime - cgroup cgroup rw,memory\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes": "67108864\n",
		}, 64 << 20},
		{"cgroup v1: a mount that does not hold the group", map[string]string{
			"proc/self/cgroup":                           "9:memory:/docker/abcdef\n",
			"proc/self/mountinfo":                        "34 30 0:31 /docker/abc /sys/fs/cgroup/memory ro,relatime - cgroup cgroup rw,memory\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes": "67108864\n",
		}, None},
		{"a group whose directory is not mounted", map[string]string{
			"proc/meminfo":        meminfo,
			"proc/self/cgroup":    "0::/gone\n",
			"proc/self/mountinfo": v2Mount,
		}, machineBytes},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := fixture(t, c.files)
			got, err := Read(root)
			if err != nil || got != c.want {
				t.Errorf("Read = %d, %v; want %d", got, err, c.want)
			}
		})
	}
}

// TestReadRefuses: a file that is there but says something Read does not
// understand is an error naming it, not a limit made up.
func TestReadRefuses(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		file  string
	}{
		{"meminfo", map[string]string{"proc/meminfo": "MemTotal: lots\n"}, "meminfo"},
		{"/proc/self/cgroup", map[string]string{"proc/self/cgroup": "0:/\n"}, "cgroup"},
		{"memory.max", map[string]string{
			"proc/self/cgroup": "0::/a\n", "proc/self/mountinfo": v2Mount,
			"sys/fs/cgroup/a/memory.max": "half\n",
		}, "memory.max"},
		{"memory.limit_in_bytes", map[string]string{
			"proc/self/cgroup": "4:memory:/a\n", "proc/self/mountinfo": v1MemoryMount,
			"sys/fs/cgroup/memory/a/memory.limit_in_bytes": "-1\n",
		}, "memory.limit_in_bytes"},
		{"mountinfo", map[string]string{
			"proc/self/cgroup": "0::/a\n", "proc/self/mountinfo": "35 24 - cgroup2\n",
		}, "mountinfo"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Read(fixture(t, c.files))
			if err == nil || got != None || !strings.Contains(err.Error(), c.file) {
				t.Errorf("Read = %d, %v; want None and an error naming %s", got, err, c.file)
			}
		})
	}
}

// fixture writes files (paths relative to the root) into a new directory
// standing for the file system's root, and returns it.
func fixture(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}
