// The admin side of the control socket, for the commands here and for the web UI: talk to a session's
// control.sock, find the live sessions, read their pending approvals, and format them.
export { controlRequest, controlSubscribe, CONTROL_TIMEOUT_MS, MAX_CONTROL_FRAME } from './control-client.js';
export type { ControlSubscription } from './control-client.js';
export { fetchPending, fetchStatus, parseControlEvent, parsePending, sendDecision } from './control-protocol.js';
export type { Approver, ControlEvent, Decision, PendingApproval, Scope, SessionStatus } from './control-protocol.js';
export { adminRuntimeRoot, listLiveSessions, liveSessionsFromProcess, selectSession } from './live-sessions.js';
export type { LiveSession } from './live-sessions.js';
export { findApproval, gatherPending } from './pending-lookup.js';
export type { FoundApproval, SessionPending } from './pending-lookup.js';
export { createSessionFeed, POLL_MS } from './session-feed.js';
export type { SessionFeed, SessionFeedHandlers } from './session-feed.js';
export { localTime, pendingCommand, timeLeft } from './admin-format.js';
