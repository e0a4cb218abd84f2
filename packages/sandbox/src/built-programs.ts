// Where the C programs built by `make -C shim` (the root build script) live. src/ and dist/ are both
// three levels below the repository root.
import { fileURLToPath } from 'node:url';

export const BUILT_SHIM_PATH = fileURLToPath(new URL('../../../shim/build/shimgate-shim', import.meta.url));
export const EXEC_HELPER_PATH = fileURLToPath(new URL('../../../shim/build/shimgate-sandbox-exec', import.meta.url));
export const AGENT_SCOPE_PATH = fileURLToPath(new URL('../../../shim/build/shimgate-agent-scope', import.meta.url));

/**
 * shimgate's own install: the CLI bundle, the compiled packages, node_modules (koffi's native module
 * runs inside the server) and the built C programs. Nothing under it may be agent-writable.
 */
export const SHIMGATE_INSTALL_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
