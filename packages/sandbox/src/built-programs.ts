// Where the C programs built by `make -C shim` (the root build script) live. src/ and dist/ are both
// three levels below the repository root.
import { fileURLToPath } from 'node:url';

export const BUILT_SHIM_PATH = fileURLToPath(new URL('../../../shim/build/shimgate-shim', import.meta.url));
export const EXEC_HELPER_PATH = fileURLToPath(new URL('../../../shim/build/shimgate-sandbox-exec', import.meta.url));
