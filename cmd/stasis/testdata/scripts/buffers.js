// Buffer, TextEncoder, TextDecoder, atob and btoa print what node prints.
const b = Buffer.from("héllo wörld");
console.log(b.length, b.toString(), b.toString("hex"), b.toString("base64"), b.toString("latin1"), b.toString("base64url"));
console.log(Buffer.isBuffer(b), Buffer.isBuffer(new Uint8Array(2)), b instanceof Uint8Array, Buffer.byteLength("héllo"), Buffer.byteLength("héllo", "latin1"));
const s = b.subarray(1, 4); s[0] = 0x41; console.log(s instanceof Buffer, b.toString("utf8", 0, 4), b.slice(0, 2) instanceof Buffer);
console.log(Buffer.from("48656c6c6f", "hex").toString(), Buffer.from("aGVsbG8=", "base64").toString(), Buffer.from("aGVsbG8", "base64url").toString(), Buffer.from("ÿé", "latin1").toString("hex"));
console.log(Buffer.concat([Buffer.from("ab"), Buffer.from("cd")]).toString(), Buffer.alloc(5, "ab").toString(), Buffer.alloc(3).toString("hex"), Buffer.alloc(3, 7).toString("hex"));
console.log(Buffer.from("abc").equals(Buffer.from("abc")), Buffer.compare(Buffer.from("a"), Buffer.from("b")), Buffer.from("b").compare(Buffer.from("a")), [Buffer.from("b"), Buffer.from("a")].sort(Buffer.compare).map(String));
const w = Buffer.alloc(16);
w.writeUInt32BE(0xdeadbeef, 0); w.writeInt16LE(-2, 4); w.writeUInt8(255, 6); w.writeDoubleLE(1.5, 8);
console.log(w.toString("hex"), w.readUInt32BE(0).toString(16), w.readInt16LE(4), w.readUInt8(6), w.readDoubleLE(8), w.readUInt16LE(0));
console.log(JSON.stringify(Buffer.from("hi")), Buffer.from("hi").map(x => x + 1).toString(), Buffer.from([1, 2, 3]).filter(x => x > 1).length);
console.log(w.write("xyz", 1), w.toString("utf8", 0, 5).length, Buffer.from("€").toString("utf16le").length, Buffer.from("hi", "utf16le").toString("hex"), Buffer.from("hi", "ucs2").toString("ucs2"));
const c = Buffer.alloc(4); Buffer.from("wxyz").copy(c, 1, 0, 2); console.log(c.toString("hex"), Buffer.isEncoding("UTF-8"), Buffer.isEncoding("nope"), Buffer.from("AbC", "ascii").toString("ascii"));
console.log(btoa("hello"), atob("aGVsbG8="), atob(" aGVs bG8 "), btoa("\xff\xfe"));
try { btoa("€") } catch (e) { console.log(e.name) }
try { atob("a") } catch (e) { console.log(e.name) }
const te = new TextEncoder(); const td = new TextDecoder();
console.log(te.encoding, te.encode("h€") , td.encoding, td.fatal, td.decode(te.encode("h€llo")), new TextDecoder("utf-16le").decode(Buffer.from("hi", "utf16le")));
const euro = te.encode("€"); console.log(td.decode(euro.subarray(0, 2), {stream: true}) + "|" + td.decode(euro.subarray(2), {stream: true}) + "|" + td.decode());
console.log(JSON.stringify(new TextDecoder().decode(new Uint8Array([0xff, 0x41, 0xe2, 0x82]))), te.encodeInto("h€", new Uint8Array(3)));
try { new TextDecoder("utf-8", {fatal: true}).decode(new Uint8Array([0xff])) } catch (e) { console.log(e.name, e.code) }
try { new TextDecoder("nope") } catch (e) { console.log(e.name, e.code) }
console.log(new TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])), new TextDecoder("utf-8", {ignoreBOM: true}).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])).length, new TextDecoder("latin1").encoding);
console.log(require("buffer").Buffer === Buffer, typeof require("util").TextDecoder, Object.keys(b).length === b.length, Buffer.from("x").toString.name);
