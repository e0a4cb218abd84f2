// kubectl (cobra/pflag: options anywhere, no abbreviations; 1.32's `kubectl options` plus the value
// options most subcommands share). "kubectl --cache-dir x get delete pod y" deletes: --cache-dir takes
// "x"... and in "--cache-dir get delete", "get". Letters with a different meaning per subcommand
// (-f: --filename or --follow, -p: --patch or --previous) are read both ways. Resource names are not
// normalised ("po", "pods", "pod/x" are all different words): write rules on verbs, or name every form.
//
// Hardening: refused are --kubeconfig (a kubeconfig of the caller's choosing runs programs through
// exec credential plugins and points the server's credentials anywhere), -s/--server (sends the
// credentials to a server of the caller's choosing), --kuberc (aliases and default flags the rules never
// see) and --cache-dir (a discovery cache the caller wrote can map "get po" to secrets). --token,
// --as and --context stay: they choose among what the kubeconfig already grants (rules can name them
// with args_must_include). KUBE_EDITOR, KUBECTL_EXTERNAL_DIFF and the other KUBE*/KUBECTL_* variables
// of the caller are dropped; kuberc is switched off (KUBECTL_KUBERC=false) and the editor is `false`.
import { optionTable } from './option-table.js';
import type { ToolSpec } from './tool-spec.js';

const OPTIONS = optionTable([
  // global (kubectl options)
  '--as=', '--as-group=', '--as-uid=', '--cache-dir=', '--certificate-authority=', '--client-certificate=',
  '--client-key=', '--cluster=', '--context=', '--disable-compression', '--insecure-skip-tls-verify',
  '--kubeconfig=', '--kuberc=', '--log-flush-frequency=', '--match-server-version', '-n --namespace=', '--password=',
  '--profile=', '--profile-output=', '--request-timeout=', '-s --server=', '--tls-server-name=', '--token=',
  '--user=', '--username=', '-v --v=', '--vmodule=', '--warnings-as-errors', '-h --help',
  // shared by many subcommands, with the same meaning everywhere
  '-o --output=', '-l --selector=', '--filename=', '-c --container=', '--field-selector=', '-L --label-columns=',
  '--sort-by=', '--template=', '-k --kustomize=', '--type=', '--image=', '--replicas=', '--for=', '--timeout=',
  '--grace-period=', '--from-literal=', '--from-file=', '--from-env-file=', '--patch=', '--patch-file=',
  '--subresource=', '--raw=', '--chunk-size=', '--restart=', '--port=', '--env=', '--labels=', '--overrides=',
  '--dry-run=?', '--cascade=?', '--validate=?', '--field-manager=', '--since=', '--since-time=', '--tail=',
  '--show-kind', '--show-labels', '-A --all-namespaces', '-w --watch', '--watch-only', '--all', '--force', '--now',
  '--overwrite', '-R --recursive', '-i --stdin', '-t --tty', '--rm', '--follow', '--previous', '--ignore-not-found',
  '--server-side', '--prune', '--record',
  // different meanings per subcommand: read both ways
  '-f=~', '-p=~',
]);

export const kubectl: ToolSpec = {
  name: 'kubectl',
  summary: 'kubectl: global and shared value options for matching; --kubeconfig, -s/--server, --kuberc, --cache-dir refused; KUBE*/KUBECTL_* dropped, kuberc off',
  layout: 'anywhere',
  options: OPTIONS,
  hardening: {
    refuseOptions: [
      { options: ['--kubeconfig'], reason: 'a kubeconfig of the caller\'s choosing runs programs (exec credential plugins) and can send the credentials anywhere', fix: 'use --context to choose among the server\'s contexts' },
      { options: ['-s', '--server'], reason: 'it sends the server\'s credentials to a server of the caller\'s choosing', fix: 'use --context or --cluster' },
      { options: ['--kuberc'], reason: 'it reads aliases and default flags from a file the intercept rules never see' },
      { options: ['--cache-dir'], reason: 'a discovery cache the caller wrote can map one resource name to another' },
    ],
    env: {
      drop: ['KUBE_*', 'KUBECTL_*', 'KUBERC', 'KUBECACHEDIR', 'KUBECONFIG'],
      set: { KUBECTL_KUBERC: 'false', KUBE_EDITOR: 'false' },
    },
  },
};
