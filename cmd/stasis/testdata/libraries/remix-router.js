// package: @remix-run/router@1.23.0
// load: dist/router.umd.js
// React Router's history and route matching, which make URLs with URL: a
// memory history with listeners and entries built in setup, routes matched
// and paths resolved after a load.
var R = RemixRouter;
var log = [];
var history = R.createMemoryHistory({ initialEntries: ["/", "/users/42?tab=posts#top"], initialIndex: 1, v5Compat: true });
var stop = history.listen(({ action, location, delta }) => log.push([action, location.pathname + location.search + location.hash, delta].join(" ")));
history.push("/files/a b/c.txt?raw=1", { from: "setup" });
history.push({ pathname: "/search", search: "?q=é&n=1" });
history.go(-1);
var routes = [{ path: "/", id: "root", children: [{ path: "users/:id", id: "user" }, { path: "files/*", id: "files" }, { index: true, id: "home" }] }];
// probe
console.log(log.join("\n"), history.index, JSON.stringify(history.location.state));
history.replace("/users/7?x=%20y");
console.log(log[log.length - 1], history.createHref(history.location), history.createURL(history.location).href);
console.log(history.createURL("/a b?x=1#h").href, history.createURL({ pathname: "/p", search: "?q=é" }).search);
for (const path of ["/users/42", "/files/a/b/c", "/", "/nope"]) {
  const m = R.matchRoutes(routes, path);
  console.log(path, JSON.stringify(m && m.map((x) => [x.route.id, x.params, x.pathnameBase])));
}
console.log(JSON.stringify(R.resolvePath("../x?y#z", "/a/b")), R.generatePath("/users/:id/*", { id: "7", "*": "a/b" }), JSON.stringify(R.parsePath("/p?q=1#h")));
stop();
history.push("/after-stop");
console.log(log.length, history.location.pathname);
