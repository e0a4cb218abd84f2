// kubectl under its tool spec: global value options anywhere, no kubeconfig or server of the caller's.
import { describe, expect, it } from '@jest/globals';
import { admin, allow, deny, hardened, verdict } from '../../testing/tool-calls.js';

describe('kubectl matching: a read-only allow-list stays closed', () => {
  const rules = [allow(['get']), allow(['describe']), allow(['logs']), admin(['exec']), deny([])];
  it.each<[string, string]>([
    ['get pods', 'passthrough'],
    ['--context prod get pods', 'passthrough'],
    ['-n kube-system get pods -o wide', 'passthrough'],
    ['--cache-dir get delete pod x', 'deny'], // --cache-dir takes "get": it is a delete
    ['--cache-dir=/tmp get pods', 'passthrough'],
    ['--as get delete pod x', 'deny'],
    ['-v 9 delete pod x', 'deny'],
    ['logs -f pod', 'passthrough'], // -f: --follow here, --filename elsewhere; both readings are logs
    ['-f get delete pod', 'deny'], // -f may take "get"
    ['exec -it pod -- sh', 'admin'],
    ['delete pod x', 'deny'],
  ])('kubectl %s → %s', (line, expected) => {
    expect(verdict('kubectl', rules, line)).toBe(expected);
  });
});

describe('kubectl hardening', () => {
  it.each<[string, string]>([
    ['--kubeconfig /tmp/evil get pods', '--kubeconfig'],
    ['--kubeconfig=/tmp/evil get pods', '--kubeconfig'],
    ['-s https://evil get pods', '-s'],
    ['--server=https://evil get pods', '--server'],
    ['--kuberc /tmp/rc get pods', '--kuberc'],
    ['get pods --cache-dir /tmp/c', '--cache-dir'],
  ])('kubectl %s', (line, option) => {
    expect(hardened('kubectl', line)).toMatch(new RegExp(`^the kubectl tool spec refuses .*${option}`));
  });

  it.each(['get pods', '--context prod get pods', '--token abc get pods', 'get pods -n x -o yaml'])('lets kubectl %s through', (line) => {
    expect(hardened('kubectl', line)).toBe(`ok: ${line}`);
  });
});
