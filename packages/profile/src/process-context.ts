// The I/O edge of profile resolution: read who we are and where from the running process, once.
import { homedir, userInfo } from 'node:os';
import type { ExpansionContext } from './expand.js';
import { BUILTIN_PROFILE_DIR, userProfileDir, type ProfileDirs } from './locate.js';

export function expansionContextFromProcess(workdir: string): ExpansionContext {
  const info = userInfo();
  return {
    workdir,
    home: process.env.HOME || info.homedir || homedir(),
    uid: info.uid,
    user: info.username,
    env: { ...process.env },
  };
}

export function profileDirsFromProcess(): ProfileDirs {
  return { user: userProfileDir(process.env, process.env.HOME || homedir()), builtin: BUILTIN_PROFILE_DIR };
}
