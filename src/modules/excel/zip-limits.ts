/**
 * An XLSX file is a ZIP archive. Before a workbook is parsed, every entry is inflated here with a
 * hard output limit, so a small upload cannot expand into gigabytes in the parser (a "zip bomb":
 * deflate reaches ~1000:1, and the sizes an archive declares can lie). Only what real XLSX files
 * use is accepted: stored or deflated entries, no ZIP64, no encryption.
 */
import { inflateRawSync } from 'node:zlib';

/** What one workbook may expand to, all entries together (a 5,000-row template is ~2 MiB). */
export const MAX_UNZIPPED_BYTES = 48 * 1024 * 1024;
const MAX_ENTRIES = 2000;

export class ZipProblem extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function endOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) return i;
  }
  throw new ZipProblem('not a ZIP archive');
}

/** Throws ZipProblem unless `buf` is a ZIP whose entries all inflate within the limits. */
export function assertZipWithinLimits(buf: Buffer, maxTotal = MAX_UNZIPPED_BYTES): void {
  if (buf.length < 22) throw new ZipProblem('not a ZIP archive');
  const eocd = endOfCentralDirectory(buf);
  const entries = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || offset === 0xffffffff) throw new ZipProblem('ZIP64 archives are not accepted');
  if (entries > MAX_ENTRIES) throw new ZipProblem('too many entries');
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > buf.length || buf.readUInt32LE(offset) !== CENTRAL) throw new ZipProblem('damaged central directory');
    const flags = buf.readUInt16LE(offset + 8);
    const method = buf.readUInt16LE(offset + 10);
    const compressed = buf.readUInt32LE(offset + 20);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const local = buf.readUInt32LE(offset + 42);
    if (flags & 0x1) throw new ZipProblem('encrypted entries are not accepted');
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL) throw new ZipProblem('damaged entry');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + compressed > buf.length) throw new ZipProblem('damaged entry');
    const data = buf.subarray(start, start + compressed);
    let size: number;
    if (method === 0) size = data.length;
    else if (method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: maxTotal - total + 1 }).length;
      } catch (e) {
        throw new ZipProblem(e instanceof RangeError ? 'the workbook expands to more than the size limit' : 'damaged entry');
      }
    } else throw new ZipProblem(`compression method ${method} is not accepted`);
    total += size;
    if (total > maxTotal) throw new ZipProblem('the workbook expands to more than the size limit');
    offset += 46 + nameLength + extraLength + commentLength;
  }
}
