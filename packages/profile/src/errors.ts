// One error type for everything a user can get wrong: `code` says what kind, the message names
// the file, the field and the fix. Callers print `message` as it is.
export type ShimgateErrorCode =
  | 'PROFILE_NOT_FOUND'
  | 'PROFILE_READ'
  | 'PROFILE_PARSE'
  | 'PROFILE_INVALID'
  | 'PROFILE_CYCLE'
  | 'PROFILE_DEPTH';

export class ShimgateError extends Error {
  override readonly name = 'ShimgateError';
  constructor(
    readonly code: ShimgateErrorCode | (string & {}),
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One schema problem in one file, at one JSON pointer. */
export interface ValidationIssue {
  file: string;
  pointer: string;
  message: string;
}

export class ProfileInvalidError extends ShimgateError {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super('PROFILE_INVALID', issues.map(formatIssue).join('\n'));
  }
}

export function formatIssue(issue: ValidationIssue): string {
  return `${issue.file}: ${issue.pointer || '/'}: ${issue.message}`;
}
