export { ShimgateError, ProfileInvalidError, formatIssue } from './errors.js';
export type { ShimgateErrorCode, ValidationIssue } from './errors.js';
export { loadProfileFile, validateProfileFile } from './load.js';
export { credentialWarnings } from './credential-warnings.js';
export { mergeProfiles } from './merge.js';
export { normalizeProfile } from './normalize.js';
export { expandProfile, expandString, expansionVariables } from './expand.js';
export type { ExpansionContext } from './expand.js';
export { locateProfile, listProfiles, userProfileDir, BUILTIN_PROFILE_DIR } from './locate.js';
export type { ListedProfile, ProfileDirs } from './locate.js';
export { resolveProfile, MAX_EXTENDS_DEPTH } from './resolve.js';
export type { Resolution, ResolveOptions } from './resolve.js';
export { expansionContextFromProcess, profileDirsFromProcess } from './process-context.js';
export { DEFAULT_APPROVAL_TIMEOUT_SECS, TOOL_NAMES } from './types.js';
export type {
  Action,
  ActionType,
  CallerPolicy,
  CommandSandbox,
  CredentialSource,
  InterceptRule,
  MediatedCommand,
  ProfileDocument,
  ResolvedCommand,
  ResolvedProfile,
  ResolvedRule,
  ToolName,
  WorkdirAccess,
} from './types.js';
