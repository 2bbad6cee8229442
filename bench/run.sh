#!/usr/bin/env bash
# Runs the image benchmarks and prints each measure as a ratio against its
# baseline measured in the same run: save vs JSON.stringify and load vs
# JSON.parse of the same data, image size vs JSON size, code speed in a
# Stasis world and a resumed world vs plain goja, and load vs running the
# sources of lodash and marked. Usage: bench/run.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-3}
out=$(go test ./image -run '^$' -bench 'Save|Stringify|Load|Parse|Run|Libraries' -benchtime 3x -count "$count" -timeout 0)
echo "$out" | grep '^Benchmark' >&2
echo "$out" | awk '
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	t[name] += $3; n[name]++
	for (i = 4; i < NF; i++) {
		if ($(i+1) == "bytes") b[name] = $i
		if ($(i+1) == "retained-bytes/load") kept[name] += $i
	}
}
function ratio(a, c) { return (t[c] > 0 && n[a] > 0) ? sprintf("%.2f", (t[a]/n[a]) / (t[c]/n[c])) : "n/a" }
function size(a, c) { return (b[c] > 0) ? sprintf("%.2f", b[a] / b[c]) : "n/a" }
END {
	print "| data set | save / JSON.stringify | load / JSON.parse | image size / JSON size |"
	print "|---|---|---|---|"
	split("Tree1M Graph200k Instances100k", sets, " ")
	for (i = 1; i <= 3; i++) {
		s = sets[i]
		printf "| %s | %s | %s | %s |\n", s, ratio("BenchmarkSave/" s, "BenchmarkStringify/" s), ratio("BenchmarkLoad/" s, "BenchmarkParse/" s), size("BenchmarkSave/" s, "BenchmarkStringify/" s)
	}
	print ""
	print "| code running in | time / plain goja |"
	print "|---|---|"
	printf "| a Stasis world | %s |\n", ratio("BenchmarkRun/StasisWorld", "BenchmarkRun/PlainGoja")
	printf "| a world resumed from an image | %s |\n", ratio("BenchmarkRun/ResumedWorld", "BenchmarkRun/PlainGoja")
	print ""
	print "| world with lodash and marked | time / running their sources |"
	print "|---|---|"
	printf "| save | %s |\n", ratio("BenchmarkLibraries/Save", "BenchmarkLibraries/RunSources")
	printf "| load (warm script cache) | %s |\n", ratio("BenchmarkLibraries/Load", "BenchmarkLibraries/RunSources")
	printf "| image size | %d bytes |\n", b["BenchmarkLibraries/Save"]
	if (n["BenchmarkLibraries/Load"] > 0) printf "\nlive heap kept per load, after the loaded worlds are dropped: %d bytes\n", kept["BenchmarkLibraries/Load"] / n["BenchmarkLibraries/Load"]
}'
