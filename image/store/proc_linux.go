package store

import (
	"fmt"
	"os"
	"strings"
)

// processIdentity tells process pid apart from any other process that had
// or will have the same pid: the boot id and the process's start time (in
// clock ticks since boot, field 22 of /proc/PID/stat). Empty if unknown.
func processIdentity(pid int) string {
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	fields := strings.Fields(s[i+1:])
	const startField = 22 - 3 // fields after the name start at field 3
	if len(fields) <= startField {
		return ""
	}
	return strings.TrimSpace(string(boot)) + "/" + fields[startField]
}
