var buf = new ArrayBuffer(16);
var u8 = new Uint8Array(buf), i16 = new Int16Array(buf, 2, 3), f64 = new Float64Array(buf, 8, 1);
var dv = new DataView(buf, 4, 8);
u8[0] = 255; u8[1] = 7; i16[0] = -2; f64[0] = Math.PI; dv.setUint16(0, 0xBEEF);
var all = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array]
  .map(C => { var a = new C(3); a[0] = C.name.startsWith("Big") ? -5n : -5; a[2] = C.name.startsWith("Big") ? 9n : 9.5; return a });
var alone = new Uint16Array([1, 2, 3]); alone.tag = "t";
// save
console.log(Array.from(u8).join(), Array.from(i16).join(), f64[0], dv.getUint16(0).toString(16), dv.byteOffset, dv.byteLength);
u8[3] = 1; console.log(i16[0], i16[1], dv.getUint8(0));
console.log(i16.buffer === buf, f64.buffer === u8.buffer, dv.buffer === buf);
for (var a of all) console.log(a.constructor.name, Array.from(a, String).join());
console.log(alone.tag, alone.length, alone.byteLength, Object.getPrototypeOf(alone) === Uint16Array.prototype);
