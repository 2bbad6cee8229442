// Package memlimit finds how much memory the process may use (Read): the
// least of its control group's memory limit and the machine's memory, as
// Linux tells them in files under /proc and /sys/fs/cgroup.
//
// The control group comes from /proc/self/cgroup, and where its hierarchy
// is mounted from /proc/self/mountinfo (a container sees its own group at
// the root of its cgroup namespace, or the host's path under a mount whose
// root is that path). With cgroup v2 the limit is the least memory.max of
// the group and its ancestors up to the mount; with cgroup v1 (and hybrid
// hosts, where the memory controller stays on v1) it is the least of the
// group's memory.limit_in_bytes and the hierarchical_memory_limit of its
// memory.stat (which takes in its ancestors'). The machine's memory is
// MemTotal in /proc/meminfo. This is what go.uber.org/automaxprocs does for
// CPUs and KimMachineGun/automemlimit for memory; neither takes the root
// of the files as a parameter, which the tests need, and the latter sets
// the process's memory limit itself, which is not what its caller wants.
package memlimit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// None is what Read returns when it finds no limit at all (not Linux, or
// /proc not mounted).
const None = math.MaxUint64

// Read returns the bytes of memory the process may use, as the files under
// root (the file system's root, "/", but for tests) say: the least of its
// control group's limit and the machine's memory, or None if it finds
// neither. A file that is missing sets no limit; a file that is there but
// cannot be read or understood is an error, with None.
func Read(root string) (uint64, error) {
	machine, err := memTotal(root)
	if err != nil {
		return None, err
	}
	group, err := cgroupLimit(root)
	if err != nil {
		return None, err
	}
	return min(machine, group), nil
}

// memTotal returns the machine's memory from /proc/meminfo, or None.
func memTotal(root string) (uint64, error) {
	name := filepath.Join(root, "proc/meminfo")
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return None, nil
	}
	if err != nil {
		return None, fmt.Errorf("memory limit: %w", err)
	}
	for line := range strings.Lines(string(data)) {
		rest, ok := strings.CutPrefix(line, "MemTotal:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return None, fmt.Errorf("memory limit: %s: MemTotal %q is not a number of kB", name, strings.TrimSpace(rest))
		}
		kb, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil || kb > None/1024 {
			return None, fmt.Errorf("memory limit: %s: MemTotal %q is not a number of kB", name, strings.TrimSpace(rest))
		}
		return kb * 1024, nil
	}
	return None, nil
}

// group is one line of /proc/self/cgroup: a hierarchy, its controllers
// (none for cgroup v2) and the process's group in it.
type group struct {
	id, controllers, path string
}

// mount is what Read needs of one line of /proc/self/mountinfo.
type mount struct {
	root, point, fstype, options string
}

// cgroupLimit returns the memory limit of the process's control group, or
// None.
func cgroupLimit(root string) (uint64, error) {
	groups, err := readGroups(filepath.Join(root, "proc/self/cgroup"))
	if err != nil || groups == nil {
		return None, err
	}
	mounts, err := readMounts(filepath.Join(root, "proc/self/mountinfo"))
	if err != nil || mounts == nil {
		return None, err
	}
	var v1, v2 *group
	for i, g := range groups {
		switch {
		case g.id == "0" && g.controllers == "":
			v2 = &groups[i]
		case v1 == nil && hasItem(g.controllers, "memory"):
			v1 = &groups[i]
		}
	}
	// A hybrid host has both; its memory controller is the v1 one.
	if v1 != nil {
		if dir, _ := find(root, mounts, v1.path, func(m mount) bool {
			return m.fstype == "cgroup" && hasItem(m.options, "memory")
		}); dir != "" {
			return v1Limit(dir)
		}
	}
	if v2 != nil {
		if dir, point := find(root, mounts, v2.path, func(m mount) bool { return m.fstype == "cgroup2" }); dir != "" {
			return v2Limit(dir, point)
		}
	}
	return None, nil
}

// find returns the directory (under root) of the group at path in the
// first mount that is of its hierarchy and holds it, and that mount's
// point (under root); "" if none does.
func find(root string, mounts []mount, path string, ofHierarchy func(mount) bool) (dir, point string) {
	for _, m := range mounts {
		if !ofHierarchy(m) {
			continue
		}
		rel, ok := strings.CutPrefix(path, m.root)
		if !ok || m.root != "/" && rel != "" && rel[0] != '/' {
			continue // the group is outside what this mount shows
		}
		point = filepath.Join(root, m.point)
		dir = filepath.Join(point, rel)
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir, point
		}
	}
	return "", ""
}

// v2Limit returns the least memory.max of the group at dir and of its
// ancestors up to the mount's point, or None.
func v2Limit(dir, point string) (uint64, error) {
	limit := uint64(None)
	for {
		name := filepath.Join(dir, "memory.max")
		data, err := os.ReadFile(name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// The root group has no memory.max.
		case err != nil:
			return None, fmt.Errorf("memory limit: %w", err)
		default:
			s := string(bytes.TrimSpace(data))
			if s != "max" {
				n, err := strconv.ParseUint(s, 10, 64)
				if err != nil {
					return None, fmt.Errorf("memory limit: %s: %q is not a number of bytes", name, s)
				}
				limit = min(limit, n)
			}
		}
		if dir == point || len(dir) <= len(point) {
			return limit, nil
		}
		dir = filepath.Dir(dir)
	}
}

// v1Limit returns the least of memory.limit_in_bytes and memory.stat's
// hierarchical_memory_limit of the group at dir, or None. The kernel
// writes "no limit" as the largest multiple of the page size an int64
// holds.
func v1Limit(dir string) (uint64, error) {
	limit := uint64(None)
	name := filepath.Join(dir, "memory.limit_in_bytes")
	data, err := os.ReadFile(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return None, fmt.Errorf("memory limit: %w", err)
	default:
		s := string(bytes.TrimSpace(data))
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return None, fmt.Errorf("memory limit: %s: %q is not a number of bytes", name, s)
		}
		limit = n
	}
	name = filepath.Join(dir, "memory.stat")
	data, err = os.ReadFile(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return None, fmt.Errorf("memory limit: %w", err)
	default:
		for line := range strings.Lines(string(data)) {
			f := strings.Fields(line)
			if len(f) == 0 || f[0] != "hierarchical_memory_limit" {
				continue
			}
			var n uint64
			if len(f) == 2 {
				n, err = strconv.ParseUint(f[1], 10, 64)
			}
			if len(f) != 2 || err != nil {
				return None, fmt.Errorf("memory limit: %s: %q is not a number of bytes", name, strings.TrimSpace(line))
			}
			limit = min(limit, n)
			break
		}
	}
	if page := uint64(os.Getpagesize()); limit >= math.MaxInt64/page*page {
		return None, nil
	}
	return limit, nil
}

// readGroups reads /proc/self/cgroup: nil if it is missing.
func readGroups(name string) ([]group, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("memory limit: %w", err)
	}
	groups := []group{}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, "\n")
		if line == "" {
			continue
		}
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			return nil, fmt.Errorf("memory limit: %s: line %q is not id:controllers:path", name, line)
		}
		groups = append(groups, group{f[0], f[1], f[2]})
	}
	return groups, nil
}

// readMounts reads the cgroup file systems of /proc/self/mountinfo: nil if
// it is missing. A line is "id parent major:minor root point options
// [optional fields...] - fstype source super-options" (proc(5)), with
// spaces and the like in paths escaped as \ooo.
func readMounts(name string) ([]mount, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("memory limit: %w", err)
	}
	defer f.Close()
	mounts := []mount{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if !strings.Contains(line, " - cgroup") {
			continue
		}
		before, after, _ := strings.Cut(line, " - ")
		b, a := strings.Fields(before), strings.Fields(after)
		if len(b) < 6 || len(a) < 3 {
			return nil, fmt.Errorf("memory limit: %s: line %q has too few fields", name, line)
		}
		mounts = append(mounts, mount{root: unescape(b[3]), point: unescape(b[4]), fstype: a[0], options: a[2]})
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("memory limit: %s: %w", name, err)
	}
	return mounts, nil
}

// unescape undoes the kernel's escapes of a path in mountinfo: a space,
// tab, newline or backslash is written as a backslash and three octal
// digits.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// hasItem reports whether the comma-separated list holds item.
func hasItem(list, item string) bool {
	for s := range strings.SplitSeq(list, ",") {
		if s == item {
			return true
		}
	}
	return false
}
