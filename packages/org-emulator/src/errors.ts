/** A Salesforce API error: REST `[{message, errorCode, fields}]`, collection `{statusCode, message, fields}`, SOAP fault `sf:CODE`. */
export class ApiError extends Error {
  public constructor(
    public readonly errorCode: string,
    message: string,
    public readonly fields: string[] = [],
    public readonly status = 400,
  ) {
    super(message);
  }

  public toRest(): Array<{ message: string; errorCode: string; fields: string[] }> {
    return [{ message: this.message, errorCode: this.errorCode, fields: this.fields }];
  }

  public toCollection(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields };
  }
}

export const MESSAGES = {
  duplicateUsername:
    "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ",
  licenseLimitExceeded: 'License Limit Exceeded',
  sessionInvalid: 'Session expired or invalid',
  soapSessionInvalid: 'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
  notFound: 'The requested resource does not exist',
  userLicenseDisallows: (perm: string): string => `The user license doesn't allow the permission: ${perm}`,
  requiredMissing: (fields: string[]): string => `Required fields are missing: [${fields.join(', ')}]`,
  duplicateValue: 'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
} as const;

/** 404 NOT_FOUND: an unknown resource, or an object the running user cannot see. */
export function notFound(): ApiError {
  return new ApiError('NOT_FOUND', MESSAGES.notFound, [], 404);
}

export function methodNotAllowed(method: string, allowed: string): ApiError {
  return new ApiError('METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`, [], 405);
}
