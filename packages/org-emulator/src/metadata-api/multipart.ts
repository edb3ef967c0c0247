/** multipart/form-data as the REST deployRequest sends it: the parts by name (the zip `file`, `entity_content`). */
import { ApiError } from '../errors.js';

export function parseMultipart(raw: Buffer, contentType: string): Array<{ name: string; data: Buffer }> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new ApiError('INVALID_INPUT', 'multipart boundary missing');
  const delim = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: Array<{ name: string; data: Buffer }> = [];
  let pos = raw.indexOf(delim);
  while (pos !== -1) {
    const start = pos + delim.length;
    if (raw.slice(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delim, start);
    if (next === -1) break;
    const part = raw.slice(start + 2, next - 2); // skip CRLF after delimiter and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.slice(0, headerEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
    parts.push({ name, data: part.slice(headerEnd + 4) });
    pos = next;
  }
  return parts;
}
