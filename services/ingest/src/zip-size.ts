/**
 * The uncompressed size a zip archive (an .xlsx workbook) declares, read from its central directory without
 * inflating anything, so that a workbook which would unpack to gigabytes (a zip bomb) is refused before exceljs
 * loads it into memory. Zip64 archives (sizes or counts beyond 32 bits) are reported as unbounded: no workbook a
 * submission may hold needs them.
 */

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
/** Fixed part of the end record; a trailing comment may follow (at most 65 535 bytes). */
const END_RECORD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const ENTRY_HEADER_BYTES = 46;
const ZIP64_MARK = 0xffffffff;

/**
 * The sum of the uncompressed sizes of the archive's entries; `Infinity` for a Zip64 archive; undefined when the
 * bytes are not a zip archive (the workbook reader then refuses them as it would any unreadable upload).
 */
export function declaredUnpackedSize(bytes: Buffer): number | undefined {
  const end = findEndRecord(bytes);
  if (end === undefined) return undefined;
  const entries = bytes.readUInt16LE(end + 10);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (entries === 0xffff || directoryOffset === ZIP64_MARK) return Infinity;
  let total = 0;
  let at = directoryOffset;
  for (let i = 0; i < entries; i++) {
    if (at + ENTRY_HEADER_BYTES > bytes.length || bytes.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY)
      return undefined;
    const size = bytes.readUInt32LE(at + 24);
    if (size === ZIP64_MARK) return Infinity;
    total += size;
    at +=
      ENTRY_HEADER_BYTES +
      bytes.readUInt16LE(at + 28) +
      bytes.readUInt16LE(at + 30) +
      bytes.readUInt16LE(at + 32);
  }
  return total;
}

function findEndRecord(bytes: Buffer): number | undefined {
  const lowest = Math.max(0, bytes.length - END_RECORD_BYTES - MAX_COMMENT_BYTES);
  for (let at = bytes.length - END_RECORD_BYTES; at >= lowest; at--)
    if (bytes.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  return undefined;
}
