/*
 * mount-view.h — the command's own mount namespace: every mount read-only except its writable
 * grants. Landlock governs opening, creating and removing files but not chmod, chown, xattrs or
 * times; a read-only mount refuses those (EROFS) everywhere outside fs_write*, while git and tar
 * keep changing modes inside it.
 */
#ifndef SHIMGATE_MOUNT_VIEW_H
#define SHIMGATE_MOUNT_VIEW_H

#include "sandbox-opts.h"

/* In a fresh mount namespace (enter_namespaces): makes every mount private and read-only, then
 * binds each --rw/--rw-file path onto itself writable and noexec (only where the host mount was
 * writable), binds the binary and each --rx path that this made noexec onto itself exec again,
 * and re-enters the cwd through the new mounts. Refuses (126) on any failure. */
void make_readonly_view(const struct sandbox_opts *o, const char *who);

#endif
