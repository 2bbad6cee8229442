// package: rxjs@7.8.1
// load: dist/bundles/rxjs.umd.js
// Reactive streams with timers pending at the save (one after another, so
// that a busy machine firing them late does not change their order).
var { interval, timer, Subject, BehaviorSubject, concat, of } = rxjs;
var { map, take, filter, scan, debounceTime, toArray } = rxjs.operators;
var log = [];
var counter = interval(40).pipe(take(3), map((n) => n * 10));
var later = timer(60).pipe(map(() => "timer fired"));
var state = new BehaviorSubject(1);
var sums = state.pipe(scan((a, b) => a + b, 0));
sums.subscribe((v) => log.push("sum " + v));
var sub = concat(counter, later).subscribe({ next: (v) => log.push(String(v)), complete: () => { log.push("complete"); console.log(log.join(",")) } });
state.next(2);
var events = new Subject();
var gathered = events.pipe(filter((x) => x % 2), toArray());
gathered.subscribe((xs) => console.log("odd events", xs.join()));
// probe
state.next(3);
[1, 2, 3, 4, 5].forEach((x) => events.next(x));
events.complete();
of(1, 2, 3).pipe(map((x) => x * x)).subscribe((x) => log.push("sq " + x));
console.log(log.join(","));
