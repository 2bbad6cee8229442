// mdtool renders Markdown as HTML. It is a Stasis app shipped as a bundle:
// the build runs marked's UMD script and this file once, saves the world
// with the parser preloaded, and `stasis bundle` turns the image into one
// executable that needs no file beside it (see README.md, "Bundles").
//
//	mdtool FILE...        render each Markdown file (needs require("fs"))
//	mdtool -e TEXT...     render TEXT (the words joined by spaces)
//
// Everything here runs at build time except the function given to
// stasis.setMain, which runs each time the bundle starts.

if (typeof marked === "undefined") {
	throw new Error("mdtool.js: load marked first (package/lib/marked.umd.js from `npm pack marked@4.3.0`)");
}
marked.setOptions({ headerIds: false, mangle: false });

// Work done at build time is in the image: the renderer and a small cache
// of rendered snippets (the usage text) are ready the moment the app starts.
var usage = [
	"usage: mdtool FILE...      render Markdown files as HTML",
	"       mdtool -e TEXT...   render TEXT as HTML",
].join("\n");
var builtWith = { marked: "4.3.0", at: new Date().toISOString() };

function exit(code) {
	if (typeof stasis.exit === "function") stasis.exit(code);
}

stasis.setMain(function mdtool(...args) {
	if (args.length === 0 || args[0] === "-h" || args[0] === "--help") {
		console.log(usage);
		exit(args.length === 0 ? 2 : 0);
		return;
	}
	if (args[0] === "--version") {
		console.log("mdtool, marked " + builtWith.marked + ", built " + builtWith.at);
		return;
	}
	if (args[0] === "-e" || typeof require !== "function") {
		// Without require("fs") a world cannot read files: render the words.
		var words = args[0] === "-e" ? args.slice(1) : args;
		console.log(marked.parse(words.join(" ")).trimEnd());
		return;
	}
	var fs = require("fs");
	for (var file of args) {
		console.log(marked.parse(fs.readFileSync(file, "utf8")).trimEnd());
	}
});
