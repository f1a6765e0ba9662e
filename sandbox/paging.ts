// EC2's NextToken: an opaque token for the next page, valid only with the filters of the call that made it.
import { createHash } from 'node:crypto';

import { ec2Error } from './api-errors';

interface PageToken {
  offset: number;
  /** Which query the token belongs to: a token cannot be used with other filters. */
  query: string;
}

export function queryKey(params: URLSearchParams): string {
  const relevant = [...params].filter(([key]) => key.startsWith('Filter.')).sort(([a], [b]) => a.localeCompare(b));
  return createHash('sha256').update(JSON.stringify(relevant)).digest('base64').slice(0, 12);
}

export function decodeToken(token: string, query: string): number {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageToken;
    if (decoded.query === query && Number.isInteger(decoded.offset) && decoded.offset >= 0) return decoded.offset;
  } catch {
    // Falls through to the error below.
  }
  throw ec2Error('InvalidPaginationToken', 'The pagination token is invalid or has expired.');
}

export function encodeToken(offset: number, query: string): string {
  return Buffer.from(JSON.stringify({ offset, query } satisfies PageToken)).toString('base64url');
}
