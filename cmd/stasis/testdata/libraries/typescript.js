// package: typescript@5.4.5
// load: lib/typescript.js
// The TypeScript 5 compiler (it makes helpers with a template tag at load).
var source = "interface P { x: number }\nconst tag = (s: TemplateStringsArray) => s.raw[0];\nexport class Box<T> { constructor(private value: T) {}\n  get(): T { return this.value } }\nexport const twice = (p: P): number => p.x * 2;\n";
var first = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2015, module: ts.ModuleKind.CommonJS } });
var sf = ts.createSourceFile("a.ts", source, ts.ScriptTarget.Latest, true);
var kinds = [];
ts.forEachChild(sf, (n) => { kinds.push(ts.SyntaxKind[n.kind]) });
// probe
console.log(first.outputText);
console.log(kinds.join(), ts.version);
var again = ts.transpileModule("let n: number = 1;\nenum Color { Red, Green }\nconst f = async (x?: string) => x ?? `d${n}`;", { compilerOptions: { target: ts.ScriptTarget.ES5 } });
console.log(again.outputText);
console.log(JSON.stringify(ts.transpileModule("const a: = 1", { reportDiagnostics: true }).diagnostics.map((d) => d.messageText)));
