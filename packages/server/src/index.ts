export { createMediationServer } from './mediation-server.js';
export type { MediationServer, MediationServerOptions } from './mediation-server.js';
export type { SessionRuntime } from './call-runner.js';
export { createAuditReceiver } from './audit-receiver.js';
export { createBroker, NONCE_PATTERN } from './policy/broker.js';
export type { Broker } from './policy/broker.js';
export { decide, ruleLabel } from './policy/decide.js';
export { ruleMatches, ruleMatchesReading } from './policy/intercept-matcher.js';
export { normalizeArgs } from './policy/normalize-args.js';
export type { Reading, ReadToken } from './policy/argv-reading.js';
export { TOOL_SPECS, toolSpecFor } from './policy/tools/index.js';
export type { ToolSpec } from './policy/tools/tool-spec.js';
export { hardenCall, NO_FACTS as NO_TOOL_FACTS } from './policy/tools/hardening.js';
export type { Hardened, ToolFacts } from './policy/tools/hardening.js';
export { listGitCommands } from './policy/tools/git-command-list.js';
export type { Decision } from './policy/decide.js';
export { resolveCredentials } from './credentials.js';
export type { CredentialTable } from './credentials.js';
export { noAdminGate } from './approval-gate.js';
export { createApprovalQueue } from './approval-queue.js';
export type { ApprovalEvent, ApprovalQueue, Approver, PendingApproval, SessionApproval } from './approval-queue.js';
export { createControlServer } from './control-server.js';
export type { ControlServerOptions } from './control-server.js';
export type { ApprovalAnswer, ApprovalGate, ApprovalRequest } from './approval-gate.js';
export { openAuditLog } from './audit-log.js';
export type { AuditLog, AuditEvent, AuditActionType, AuditSession } from './audit-log.js';
export { verifyChain, GENESIS_HASH } from './audit-chain.js';
export type { ChainCheck } from './audit-chain.js';
export { encodeFrame, FrameDecoder } from './frame-decoder.js';
export {
  ENV_AUDITED,
  ENV_AUDIT_SOCKET,
  ENV_MEDIATED,
  ENV_SESSION_ID,
  ENV_SESSION_TOKEN,
  ENV_SHIM_DIR,
  ENV_SHIM_SOURCES_DIR,
  ENV_SOCKET,
  EXIT_DENIED,
  EXIT_NOT_FOUND,
  EXIT_UNAVAILABLE,
} from './wire.js';
