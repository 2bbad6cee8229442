#!/usr/bin/env bash
# Runs the start-up and memory benchmarks of the stasis executable and
# prints each as a ratio against its baseline measured in the same run:
# an almost empty bundle vs `stasis --version`, a bundle with lodash vs
# `stasis run lodash.js call.js`, a TypeScript 5 bundle that transpiles a
# snippet vs `stasis run typescript.js main.js` and vs node from a
# user-land startup snapshot of the same library, and the peak resident
# memory of a save vs the world's own. The benchmarks are compiled once
# and run COUNT rounds, interleaved (every benchmark once per round, as in
# bench/run.sh); each ratio is of the medians over the rounds, of wall time
# and, in brackets, of the child processes' CPU time (on a machine shared
# with other jobs it varies far less than wall time). The load average is
# printed before and after. Usage: bench/startup.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/stasis.test" ./cmd/stasis
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)" >&2
for i in $(seq "$count"); do
	(cd cmd/stasis && "$tmp/stasis.test" -test.run '^$' -test.bench 'BundleStartup|TypeScriptStartup' -test.benchtime 5x -test.timeout 0)
	(cd cmd/stasis && "$tmp/stasis.test" -test.run '^$' -test.bench 'SaveMemory' -test.benchtime 1x -test.timeout 0)
done >"$tmp/out"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)" >&2
grep '^Benchmark' "$tmp/out" >&2
awk -f bench/medians.awk -f /dev/stdin "$tmp/out" <<'EOF'
/^Benchmark/ {
	for (i = 4; i < NF; i++) if ($(i+1) == "maxrss-ratio") rss[name, n[name]] = $i
}
function ms(arr, a) { return sprintf("%.1f", median(arr, a) / 1e6) }
function row(label, a, c) {
	printf "| %s | %s (%s) | %s, %s ms | %s, %s ms |\n", label, ratio(a, c), cratio(a, c), ms(wall, a), ms(cpu, a), ms(wall, c), ms(cpu, c)
}
END {
	b = "BenchmarkBundleStartup/"; t = "BenchmarkTypeScriptStartup/"
	printf "medians of %d interleaved rounds; wall time ratio (CPU time ratio); each side: wall, CPU\n\n", n[b "Version"]
	print "| start-up | ratio | measured | baseline |"
	print "|---|---|---|---|"
	row("empty bundle / stasis --version", b "EmptyBundle", b "Version")
	row("lodash bundle / stasis run lodash.js call.js", b "Bundle", b "RunSource")
	row("TypeScript bundle / stasis run typescript.js main.js", t "Bundle", t "RunSource")
	row("TypeScript bundle / node with a startup snapshot", t "Bundle", t "NodeSnapshot")
	row("node with a startup snapshot / node", t "NodeSnapshot", t "Node")
	if (n["BenchmarkSaveMemory"] > 0) printf "\npeak RSS of save-image / of run (200,000 records): %.2f\n", median(rss, "BenchmarkSaveMemory")
}
EOF
