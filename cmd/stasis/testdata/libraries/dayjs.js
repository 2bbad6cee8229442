// package: dayjs@1.11.13
// load: dayjs.min.js
var start = dayjs("2024-02-28T10:00:00.000Z");
var later = start.add(1, "day").add(3, "hour");
var list = [0, 1, 2].map(n => start.add(n, "month"));
// probe
console.log(later.toISOString(), later.diff(start, "hour"), later.isAfter(start), start.daysInMonth());
console.log(list.map(d => d.toISOString().slice(0, 10)).join(), dayjs.isDayjs(later), start.startOf("year").toISOString());
console.log(dayjs("2020-01-01T00:00:00Z").add(400, "day").toISOString(), start.unix(), start.valueOf());
