// package: moment@2.30.1
// load: moment.js
// Dates: parsed, shifted and formatted in UTC.
var start = moment.utc("2024-01-31T10:20:30Z");
var plus = start.clone().add(1, "month").add(2, "days");
var dur = moment.duration({ hours: 26, minutes: 5 });
// probe
console.log(plus.format(), plus.diff(start, "days"), start.isLeapYear(), dur.asMinutes(), dur.days(), dur.hours());
console.log(moment.utc("2020-02-29").add(1, "year").format("YYYY-MM-DD dddd"), start.startOf("week").toISOString(), start.isBefore(plus));
console.log(moment.utc("31/12/1999 23:59", "DD/MM/YYYY HH:mm").add(1, "minute").toISOString(), moment.utc([2024, 0, 1]).dayOfYear());
