/** SOQL errors as Salesforce words them: the query, a caret under the token, and `ERROR at Row:1:Column:N`. */
import { ApiError } from '../errors.js';

export function located(soql: string, token: string | undefined, text: string): string {
  let col = token ? soql.toLowerCase().indexOf(token.toLowerCase()) : 0;
  if (col < 0) col = 0;
  return `\n${soql}\n${' '.repeat(col)}^\nERROR at Row:1:Column:${col + 1}\n${text}`;
}

export function malformed(soql: string, text: string, token?: string): ApiError {
  return new ApiError('MALFORMED_QUERY', located(soql, token, text));
}
