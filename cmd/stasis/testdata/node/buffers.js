// Buffers, TextEncoder and TextDecoder survive: a Buffer and a view of it
// share their bytes, a decoder in the middle of a character finishes it.
var buf = Buffer.from("héllo wörld");
var view = buf.subarray(1, 3);
var ints = Buffer.alloc(12);
ints.writeUInt32BE(0xdeadbeef, 0);
ints.writeInt16LE(-2, 4);
ints.writeDoubleLE(1.5, 4);
var decoder = new TextDecoder();
var euro = new TextEncoder().encode("€uro");
var firstPart = decoder.decode(euro.subarray(0, 2), { stream: true });
var utf16 = new TextDecoder("utf-16le", { fatal: true });
var encoder = new TextEncoder();
var encoded = btoa("stasis");
// save
view[0] = 0x45;
console.log(buf.toString(), Buffer.isBuffer(buf), Buffer.isBuffer(view), view.buffer === buf.buffer, buf instanceof Buffer);
console.log(ints.toString("hex"), ints.readUInt32BE(0).toString(16), ints.readDoubleLE(4), ints.readInt8(11));
console.log(JSON.stringify(firstPart), decoder.decode(euro.subarray(2), { stream: true }), JSON.stringify(decoder.decode()));
console.log(utf16.encoding, utf16.fatal, utf16.decode(Buffer.from("hi", "utf16le")), encoder.encode("ok"));
try { utf16.decode(new Uint8Array([0x41])) } catch (e) { console.log(e.code) }
console.log(atob(encoded), Buffer.concat([buf, ints.subarray(0, 2)]).toString("base64"), Buffer.compare(buf, view));
console.log(buf.toString("latin1").length, Buffer.from(buf.toJSON().data).equals(buf), buf.map((x) => x ^ 1).subarray(0, 3).toString());
