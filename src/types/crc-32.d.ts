/** crc-32 ships types for its CRC-32 entry only; its CRC-32C one (crc32c.js) has the same API. */
declare module 'crc-32/crc32c.js' {
  const crc32c: {
    /** The CRC of `data`, as a signed 32-bit integer (`>>> 0` makes it unsigned). */
    buf(data: Uint8Array, seed?: number): number;
  };
  export default crc32c;
}
