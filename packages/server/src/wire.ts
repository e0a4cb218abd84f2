// Wire constants of the shim ⇄ server protocol (DESIGN §4.1). shim/wire.h is the source of truth;
// wire.test.ts checks that these agree with it.
export const PROTOCOL_VERSION = 1;
export const FRAME_HEADER_BYTES = 4;
/** Largest request frame (length prefix excluded) the server reads before refusing the call. */
export const MAX_FRAME = 1024 * 1024;
/** Largest answer frame the shim accepts. */
export const MAX_RESPONSE_FRAME = 4096;
export const MAX_ARGS = 4096;
export const MAX_ENV = 4096;
/** Exactly stdin, stdout, stderr and the caller's cwd (a directory fd). */
export const NUM_FDS = 4;

export const EXIT_UNAVAILABLE = 125;
export const EXIT_DENIED = 126;
export const EXIT_NOT_FOUND = 127;

export const ENV_SOCKET = 'SHIMGATE_SOCKET';
export const ENV_AUDIT_SOCKET = 'SHIMGATE_AUDIT_SOCKET';
export const ENV_SESSION_TOKEN = 'SHIMGATE_SESSION_TOKEN';
export const ENV_SHIM_DIR = 'SHIMGATE_SHIM_DIR';
export const ENV_SHIM_SOURCES_DIR = 'SHIMGATE_SHIM_SOURCES_DIR';
export const ENV_MEDIATED = 'SHIMGATE_MEDIATED';
export const ENV_AUDITED = 'SHIMGATE_AUDITED';
export const ENV_SESSION_ID = 'SHIMGATE_SESSION_ID';
/** Server-only: the broker nonce naming a mediated command's parent (not in wire.h; the shim never reads it). */
export const ENV_SANDBOX_CONTEXT = 'SHIMGATE_SANDBOX_CONTEXT';
