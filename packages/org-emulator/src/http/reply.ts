/** What a handler answers (status, body, content type, headers) and the REST request body it reads. */
import { ApiError } from '../errors.js';

export type Reply = { status: number; body?: unknown; contentType?: string; headers?: Record<string, string> };

export const JSON_TYPE = 'application/json;charset=UTF-8';
export const XML_TYPE = 'text/xml;charset=UTF-8';

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, contentType: JSON_TYPE, headers };
}

export function restError(e: ApiError): Reply {
  return json(e.status, e.toRest());
}

/** A REST request body: a JSON object, else JSON_PARSER_ERROR; empty: {}. */
export function parseJsonBody(raw: Buffer): Record<string, unknown> {
  if (!raw.length) return {};
  try {
    const v = JSON.parse(raw.toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new ApiError('JSON_PARSER_ERROR', `Unexpected character: ${(e as Error).message}`, []);
  }
}
