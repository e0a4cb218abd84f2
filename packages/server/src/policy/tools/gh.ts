// gh (cli/cli's flags, every command: cobra/pflag, options anywhere, no abbreviations). A flag that
// takes a value in one command and not in another (-d: --delete-branch or --draft...) is read both
// ways. Command aliases of gh itself (ext, cs, rs, at; ls, new, remove) read as the commands they
// name.
//
// Hardening: gh runs the aliases and extensions of its (the server's) config as commands the rules
// never see, so the calls that create them are refused: alias set/import, extension
// install/upgrade/exec; config set too (editor, pager, browser name programs; http_unix_socket would
// send the token to a socket of the caller's choosing). The caller's GH_* and GITHUB_* variables are
// dropped (GH_REPO and GH_HOST pick the repository without the rules seeing it); the pager is cat, the
// editor and browser `false`, prompts off. The git that gh runs gets git's hardening through the
// environment (GIT_CHILD_ENV: its config overrides as GIT_CONFIG_COUNT, which beat the repository's).
import { GIT_CHILD_ENV, GIT_ENV } from './git.js';
import { optionTable } from './option-table.js';
import type { ToolSpec } from './tool-spec.js';

const OPTIONS = optionTable([
  '-A=', '-B=', '-D=', '-F=', '-H=', '-L=', '-O=', '-R=', '-S=', '-T=', '-X=', '-a=~', '-b=', '-c=~', '-d=~',
  '-e=~', '-f=~', '-g=', '-h=', '-i=~', '-j=', '-k=', '-l=', '-m=~', '-n=~', '-o=', '-p=~', '-q=', '-r=~',
  '-s=~', '-t=~', '-u=~', '-v', '-w=~', '-x', '-y', '--active', '--add=', '--add-assignee=',
  '--add-label=', '--add-project=', '--add-readme', '--add-reviewer=', '--add-topic=', '--admin', '--all',
  '--allow-write', '--app=', '--approve', '--archive=', '--archived', '--assignee=', '--attempt=', '--author=',
  '--author-date=', '--author-email=', '--author-name=', '--auto', '--base=', '--body=', '--body-file=',
  '--branch=', '--bundle=', '--bundle-from-oci', '--cache=', '--cert-identity=', '--cert-identity-regex=',
  '--cert-oidc-issuer=', '--cleanup-tag', '--clear', '--clobber', '--clone', '--closed=~', '--codespace=',
  '--color=', '--comment=~', '--commenter=', '--comments=~', '--commit=', '--committer=', '--committer-date=',
  '--committer-email=', '--committer-name=', '--config', '--confirm', '--conflict-status', '--created=',
  '--custom-trusted-root=', '--date=', '--debug', '--debug-file=', '--default', '--default-branch-only',
  '--default-permissions', '--delete-branch', '--deny-self-hosted-runners', '--desc=', '--description=',
  '--detach', '--devcontainer-path=', '--dir=', '--disable-auto', '--disable-issues', '--disable-wiki',
  '--discussion-category=', '--display-name=', '--displayName=', '--draft', '--drafts', '--dry-run',
  '--edit-last', '--editor', '--enable-issues', '--enable-wiki', '--env=', '--env-file=', '--event=',
  '--exclude=', '--exclude-drafts', '--exclude-pre-releases', '--exit-status', '--expand', '--extension=',
  '--fail-fast', '--failed', '--field=', '--field-id=', '--file=', '--filename=', '--files', '--filter=',
  '--flag', '--follow', '--followers=', '--force', '--fork', '--fork-name=', '--forks=', '--full',
  '--generate-notes', '--gitignore=', '--good-first-issues=', '--hash=', '--head=', '--header=', '--help',
  '--help-wanted-issues=', '--homepage=', '--host=', '--hostname=', '--id=', '--idle-timeout=', '--include',
  '--include-all-branches', '--include-content', '--include-prs', '--input=', '--insecure-storage',
  '--insiders', '--interactions=', '--internal', '--interval=', '--involves=', '--iteration-id=', '--job=',
  '--jq=', '--json=~', '--key=', '--label=', '--language=', '--license=', '--limit=', '--location=',
  '--locked', '--log', '--log-failed', '--machine=', '--match-head-commit=', '--mention=', '--mentions=',
  '--merge', '--merged', '--merged-at=', '--method=', '--milestone=', '--name=', '--name-only',
  '--no-archived', '--no-assignee', '--no-browser', '--no-label', '--no-milestone', '--no-project',
  '--no-public-good', '--no-store', '--notes=', '--notes-file=', '--notes-from-tag', '--notes-start-tag=',
  '--number-topics=', '--org=', '--output=', '--owner=', '--paginate', '--parent=', '--parents', '--patch',
  '--pattern=', '--pin=', '--precompiled=', '--predicate-type=', '--prerelease', '--preview=', '--private',
  '--profile=', '--project=', '--project-id=', '--projects', '--public', '--push', '--raw', '--raw-field=',
  '--reactions=', '--readme=', '--reason=', '--rebase', '--recover=', '--recurse-submodules', '--recursive',
  '--ref=', '--releases', '--remote=~', '--remote-name=', '--remove=', '--remove-assignee=', '--remove-label=',
  '--remove-milestone', '--remove-project=', '--remove-reviewer=', '--remove-scopes=', '--remove-topic=',
  '--repo=', '--repo-deprecated=', '--repo-owner=', '--repos=', '--request-changes', '--required',
  '--reset-scopes', '--retention-period=', '--review-requested=', '--reviewed-by=', '--scopes=', '--search=',
  '--secret', '--secure-storage', '--server-port=', '--settings', '--shell', '--show-token', '--signer-repo=',
  '--signer-workflow=', '--silent', '--single-column', '--single-select-option-id=',
  '--single-select-options=', '--size=', '--skip-existing', '--skip-ssh-key', '--slurp', '--source=~',
  '--source-owner=', '--squash', '--stars=', '--static', '--status', '--stdio', '--subject=', '--tag=',
  '--target=', '--target-owner=', '--team=', '--team-mentions=', '--template=', '--text=', '--title=',
  '--topic=', '--tree=', '--tuf-root=', '--tuf-url=', '--undo', '--unset', '--updated=',
  '--upstream-remote-name=', '--url=', '--user=~', '--verbose', '--verify-only', '--verify-tag', '--version',
  '--view', '--watch', '--web', '--wiki', '--with-token', '--workflow=', '--yaml', '--yes',
]);

const LIST = { ls: 'list' };
const CREATE_LIST = { ls: 'list', new: 'create' };
const PERSISTS_COMMANDS = 'it creates a gh command the intercept rules never see (aliases and extensions run as commands)';

export const gh: ToolSpec = {
  name: 'gh',
  summary: 'gh: every command\'s value flags and gh\'s own aliases for matching; alias set/import, extension install/upgrade/exec, config set refused; GH_*/GITHUB_* dropped, pager cat',
  layout: 'anywhere',
  options: OPTIONS,
  subcommands: {
    aliases: {
      '': { ext: 'extension', extensions: 'extension', cs: 'codespace', rs: 'ruleset', at: 'attestation' },
      ...Object.fromEntries(['alias', 'cache', 'codespace', 'config', 'extension', 'gpg-key', 'label', 'org', 'project', 'ruleset', 'run', 'ssh-key', 'workflow'].map((c) => [c, LIST])),
      ...Object.fromEntries(['gist', 'issue', 'pr', 'release', 'repo'].map((c) => [c, CREATE_LIST])),
      secret: { ls: 'list', remove: 'delete' },
      variable: { ls: 'list', remove: 'delete' },
    },
  },
  hardening: {
    refuseWords: [
      { words: ['alias', 'set'], reason: PERSISTS_COMMANDS, fix: 'write the full command' },
      { words: ['alias', 'import'], reason: PERSISTS_COMMANDS, fix: 'write the full command' },
      { words: ['extension', 'install'], reason: PERSISTS_COMMANDS },
      { words: ['extension', 'upgrade'], reason: 'it replaces the code of a gh extension' },
      { words: ['extension', 'exec'], reason: 'it runs a gh extension, code the intercept rules never see' },
      { words: ['config', 'set'], reason: 'gh\'s config is the server\'s (editor, pager, browser and http_unix_socket name programs and sockets)' },
    ],
    env: {
      drop: ['GH_*', 'GITHUB_*', ...GIT_ENV.drop],
      keep: GIT_ENV.keep,
      set: {
        GH_PAGER: 'cat', GH_EDITOR: 'false', GH_BROWSER: 'false', GH_PROMPT_DISABLED: '1', GH_NO_UPDATE_NOTIFIER: '1', GH_SPINNER_DISABLED: '1',
        ...GIT_CHILD_ENV, // gh runs git (pr checkout, repo clone, the push of pr create)
      },
    },
  },
};
