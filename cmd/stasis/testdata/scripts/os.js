// require("os") answers as in node.
const os = require("os");
console.log(os.EOL === "\n", os.platform(), os.type(), os.arch(), os.endianness(), typeof os.cpus().length, typeof os.totalmem(), os.homedir() === process.env.HOME, os.tmpdir(), typeof os.hostname(), typeof os.release(), typeof os.uptime(), os.loadavg().length, Object.keys(os.userInfo()), os.devNull, typeof os.availableParallelism(), require("node:os") === os, os.freemem() <= os.totalmem(), os.cpus().length === os.availableParallelism());
