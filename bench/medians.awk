# Shared by bench/run.sh and bench/startup.sh: reads `go test -bench`
# output of several rounds and keeps, for each benchmark (name, without
# the -GOMAXPROCS suffix) and each round k, its wall time wall[name, k] and
# CPU time cpu[name, k] (the cpu-ns/op metric, where reported); n[name] is
# the number of rounds seen. The scripts' own rules, which run after this
# one, read name and n[name] to keep their other metrics.
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	k = ++n[name]; wall[name, k] = $3
	for (i = 4; i < NF; i++) if ($(i+1) == "cpu-ns/op") cpu[name, k] = $i
}
# median of the k values of arr for name (0 when there are none)
function median(arr, name,    m, i, j, v, x) {
	m = 0
	for (i = 1; i <= n[name]; i++) if ((name, i) in arr) { m++; v[m] = arr[name, i] + 0 }
	if (m == 0) return 0
	for (i = 2; i <= m; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j+1] = v[j]; v[j+1] = x }
	return (m % 2) ? v[(m+1)/2] : (v[m/2] + v[m/2+1]) / 2
}
# ratios of the medians of a and c: wall times, and CPU times
function ratio(a, c,    x, y) { x = median(wall, a); y = median(wall, c); return (x > 0 && y > 0) ? sprintf("%.2f", x / y) : "n/a" }
function cratio(a, c,    x, y) { x = median(cpu, a); y = median(cpu, c); return (x > 0 && y > 0) ? sprintf("%.2f", x / y) : "n/a" }
