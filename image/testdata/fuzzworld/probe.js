// Uses every part of world.js; run by FuzzLoad in a loaded (possibly
// mutated) world. Every use is guarded: a mutated world may throw, but it
// must never crash the engine.
var out = [];
function t(f) { try { out.push(String(f())) } catch (e) { out.push('threw ' + (e && e.name)) } }
t(function () { return counter() });
t(function () { return acct.deposit(1) + acct.balance + Account.count() });
t(function () { return new Account('bob').deposit(2) });
t(function () { return JSON.stringify([gen.next(), gen.next(), gen.next()]) });
t(function () { return JSON.stringify([gen2.next(), gen2.return(9), gen2.next()]) });
t(function () { return args.length + ':' + args[0] + ':' + args[1] + ':' + Array.prototype.slice.call(args) });
t(function () { return sparse.length + ':' + Object.keys(sparse) + ':' + sparse[5] });
t(function () { return dense.length + ':' + dense.map(function (x) { return typeof x }) + ':' + dense[1] });
t(function () { return [...map].length + ':' + map.get('a') + ':' + set.has(map) + ':' + set.size });
t(function () { return weak.get(acct) });
t(function () { return bytes[0] + ':' + bytes.length + ':' + view.getUint8(2) + ':' + buf.byteLength });
t(function () { return date.toISOString() + ':' + re.source + re.flags + re.lastIndex + ':' + re.test('xabbc') });
t(function () { return err.name + ':' + err.message + ':' + (err instanceof TypeError) });
t(function () { return withSym[sym] + ':' + withSym[Symbol.for('shared')] + ':' + sym.description });
t(function () { return proxy.hidden + ':' + proxy.target });
t(function () { return bound(2) + ':' + bound.name + ':' + bound.length });
t(function () { return Object.isFrozen(frozen) + ':' + frozen.a });
t(function () { return boxed.map(function (b) { return typeof b + b.valueOf() }).join() });
t(function () { return lexical + ':' + JSON.stringify(constant) + ':' + chain.root });
t(function () { return [1, 2, 3].sumAll() });
t(function () { return Object.getPrototypeOf(chain) !== null });
promise.then(function (v) { out.push(v) });
out.join('\n');
