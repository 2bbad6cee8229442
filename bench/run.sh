#!/usr/bin/env bash
# Runs the benchmarks measured in one process and prints each as a ratio
# against its baseline measured in the same run: save vs JSON.stringify and
# load vs JSON.parse of the same data, image size vs JSON size, code speed
# in a Stasis world and a resumed world vs plain goja, load vs running the
# sources of lodash and marked, and a durable checkpoint into each store vs
# the save it contains. The benchmarks run COUNT rounds, interleaved (every
# benchmark once per round), and each ratio is of the medians; where the
# benchmark reports CPU time, the ratio of CPU times is given in brackets
# (on a machine shared with other jobs it varies far less than wall time).
# The load average is printed before and after. Usage: bench/run.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/image.test" ./image
go test -c -o "$tmp/durable.test" ./durable
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)" >&2
for i in $(seq "$count"); do
	(cd image && "$tmp/image.test" -test.run '^$' -test.bench 'Save|Stringify|Load|Parse|Run|Libraries' -test.benchtime 3x -test.timeout 0)
	(cd durable && "$tmp/durable.test" -test.run '^$' -test.bench 'Checkpoint' -test.benchtime 5x -test.timeout 0)
done >"$tmp/out"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)" >&2
grep '^Benchmark' "$tmp/out" >&2
awk -f bench/medians.awk -f /dev/stdin "$tmp/out" <<'EOF'
/^Benchmark/ {
	for (i = 4; i < NF; i++) {
		if ($(i+1) == "bytes") b[name] = $i
		if ($(i+1) == "retained-bytes/load") kept[name, n[name]] = $i
	}
}
function both(a, c) { return ratio(a, c) " (" cratio(a, c) ")" }
function size(a, c) { return (b[c] > 0) ? sprintf("%.2f", b[a] / b[c]) : "n/a" }
END {
	printf "medians of %d interleaved rounds; wall time ratio (CPU time ratio)\n\n", n["BenchmarkSave/Tree1M"]
	print "| data set | save / JSON.stringify | load / JSON.parse | image size / JSON size |"
	print "|---|---|---|---|"
	split("Tree1M Graph200k Instances100k", sets, " ")
	for (i = 1; i <= 3; i++) {
		s = sets[i]
		printf "| %s | %s | %s | %s |\n", s, both("BenchmarkSave/" s, "BenchmarkStringify/" s), both("BenchmarkLoad/" s, "BenchmarkParse/" s), size("BenchmarkSave/" s, "BenchmarkStringify/" s)
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
	printf "| load (warm script cache) | %s |\n", both("BenchmarkLibraries/Load", "BenchmarkLibraries/RunSources")
	printf "| image size | %d bytes |\n", b["BenchmarkLibraries/Save"]
	if (n["BenchmarkLibraries/Load"] > 0) printf "\nlive heap kept per load, after the loaded worlds are dropped: %d bytes\n", median(kept, "BenchmarkLibraries/Load")
	print ""
	print "| records | image size | save (wall, CPU) | files / save | SQLite / save | Postgres / save |"
	print "|---|---|---|---|---|---|"
	split("1000 10000 100000", sizes, " ")
	for (i = 1; i <= 3; i++) {
		s = "BenchmarkCheckpoint/save/" sizes[i]
		if (n[s] == 0) continue
		printf "| %s | %d bytes | %.1f ms, %.1f ms | %s | %s | %s |\n", sizes[i], b[s], median(wall, s) / 1e6, median(cpu, s) / 1e6, both("BenchmarkCheckpoint/files/" sizes[i], s), both("BenchmarkCheckpoint/sqlite/" sizes[i], s), both("BenchmarkCheckpoint/postgres/" sizes[i], s)
	}
}
EOF
