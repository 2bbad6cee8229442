#!/usr/bin/env bash
# Runs the start-up and memory benchmarks of the stasis executable and
# prints each as a ratio against its baseline measured in the same run:
# an almost empty bundle vs `stasis --version`, a bundle with lodash vs
# `stasis run lodash.js call.js` (wall time and the child processes' CPU
# time), a TypeScript 5 bundle that transpiles a snippet vs `stasis run
# typescript.js main.js` and vs node from a user-land startup snapshot of
# the same library, and the peak resident memory of a save vs the world's
# own.
# Usage: bench/startup.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-3}
out=$(go test ./cmd/stasis -run '^$' -bench 'BundleStartup|TypeScriptStartup' -benchtime 5x -count "$count" -timeout 0
	go test ./cmd/stasis -run '^$' -bench 'SaveMemory' -benchtime 1x -count "$count" -timeout 0)
echo "$out" | grep '^Benchmark' >&2
echo "$out" | awk '
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	t[name] += $3; n[name]++
	for (i = 4; i < NF; i++) {
		if ($(i+1) == "cpu-ns/op") c[name] += $i
		if ($(i+1) == "maxrss-ratio") r[name] += $i
	}
}
function ratio(a, b) { return (t[b] > 0 && n[a] > 0) ? sprintf("%.2f", (t[a]/n[a]) / (t[b]/n[b])) : "n/a" }
function cratio(a, b) { return (c[b] > 0) ? sprintf("%.2f", c[a] / c[b]) : "n/a" }
END {
	print "| start-up | wall time ratio | CPU time ratio |"
	print "|---|---|---|"
	printf "| empty bundle / stasis --version | %s | %s |\n", ratio("BenchmarkBundleStartup/EmptyBundle", "BenchmarkBundleStartup/Version"), cratio("BenchmarkBundleStartup/EmptyBundle", "BenchmarkBundleStartup/Version")
	printf "| lodash bundle / stasis run lodash.js call.js | %s | %s |\n", ratio("BenchmarkBundleStartup/Bundle", "BenchmarkBundleStartup/RunSource"), cratio("BenchmarkBundleStartup/Bundle", "BenchmarkBundleStartup/RunSource")
	printf "| TypeScript bundle / stasis run typescript.js main.js | %s | %s |\n", ratio("BenchmarkTypeScriptStartup/Bundle", "BenchmarkTypeScriptStartup/RunSource"), cratio("BenchmarkTypeScriptStartup/Bundle", "BenchmarkTypeScriptStartup/RunSource")
	printf "| TypeScript bundle / node with a startup snapshot | %s | %s |\n", ratio("BenchmarkTypeScriptStartup/Bundle", "BenchmarkTypeScriptStartup/NodeSnapshot"), cratio("BenchmarkTypeScriptStartup/Bundle", "BenchmarkTypeScriptStartup/NodeSnapshot")
	printf "| node with a startup snapshot / node | %s | %s |\n", ratio("BenchmarkTypeScriptStartup/NodeSnapshot", "BenchmarkTypeScriptStartup/Node"), cratio("BenchmarkTypeScriptStartup/NodeSnapshot", "BenchmarkTypeScriptStartup/Node")
	if (n["BenchmarkSaveMemory"] > 0) printf "\npeak RSS of save-image / of run (200,000 records): %.2f\n", r["BenchmarkSaveMemory"] / n["BenchmarkSaveMemory"]
}'
