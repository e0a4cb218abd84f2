// curl (7.88's `curl --help all`, plus options of later versions). curl 7 takes any unique prefix of
// a long option ("--conf" is --config); "--no-NAME" turns a boolean off; curl 8's "--expand-NAME" is
// NAME with variables expanded. Rules look at URLs (the words) and at options through
// args_must_include.
//
// Hardening: curl runs outside the agent sandbox, so a config file it reads or a protocol it speaks
// is a way out: -q first (no .curlrc), --proto and --proto-redir limited to http and https (no
// file:///proc/self/environ, no dict/gopher/ldap/smb), and refused: -K/--config (options the rules
// never see), -:/--next (a second transfer without the protocol limits), --proto/--proto-redir (the
// server sets them), --unix-socket/--abstract-unix-socket (local services outside the sandbox, such as
// a container socket), --variable (curl 8: reads environment variables, where credentials are, and
// files into the request). CURL_HOME, SSLKEYLOGFILE, QLOGDIR and the OpenSSL config variables of the
// caller are dropped.
import { optionTable } from './option-table.js';
import type { ToolSpec } from './tool-spec.js';

const OPTIONS = optionTable(
  [
    '--abstract-unix-socket=', '--alt-svc=', '--anyauth', '-a --append', '--aws-sigv4=', '--basic',
    '--cacert=', '--capath=', '-E --cert=', '--cert-status', '--cert-type=', '--ciphers=', '--compressed',
    '--compressed-ssh', '-K --config=', '--connect-timeout=', '--connect-to=', '-C --continue-at=',
    '-b --cookie=', '-c --cookie-jar=', '--create-dirs', '--create-file-mode=', '--crlf', '--crlfile=',
    '--curves=', '-d --data=', '--data-ascii=', '--data-binary=', '--data-raw=', '--data-urlencode=',
    '--delegation=', '--digest', '-q --disable', '--disable-eprt', '--disable-epsv',
    '--disallow-username-in-url', '--dns-interface=', '--dns-ipv4-addr=', '--dns-ipv6-addr=', '--dns-servers=',
    '--doh-cert-status', '--doh-insecure', '--doh-url=', '-D --dump-header=', '--egd-file=', '--engine=',
    '--etag-compare=', '--etag-save=', '--expect100-timeout=', '-f --fail', '--fail-early', '--fail-with-body',
    '--false-start', '-F --form=', '--form-escape', '--form-string=', '--ftp-account=',
    '--ftp-alternative-to-user=', '--ftp-create-dirs', '--ftp-method=', '--ftp-pasv', '-P --ftp-port=',
    '--ftp-pret', '--ftp-skip-pasv-ip', '--ftp-ssl-ccc', '--ftp-ssl-ccc-mode=', '--ftp-ssl-control',
    '-G --get', '-g --globoff', '--happy-eyeballs-timeout-ms=', '--haproxy-protocol', '-I --head',
    '-H --header=', '-h --help=~', '--hostpubmd5=', '--hostpubsha256=', '--hsts=', '--http0.9', '-0 --http1.0',
    '--http1.1', '--http2', '--http2-prior-knowledge', '--http3', '--http3-only', '--ignore-content-length',
    '-i --include', '-k --insecure', '--interface=', '-4 --ipv4', '-6 --ipv6', '--json=',
    '-j --junk-session-cookies', '--keepalive-time=', '--key=', '--key-type=', '--krb=', '--libcurl=',
    '--limit-rate=', '-l --list-only', '--local-port=', '-L --location', '--location-trusted',
    '--login-options=', '--mail-auth=', '--mail-from=', '--mail-rcpt=', '--mail-rcpt-allowfails',
    '-M --manual', '--max-filesize=', '--max-redirs=', '-m --max-time=', '--metalink', '--negotiate',
    '-n --netrc', '--netrc-file=', '--netrc-optional', '-: --next', '--no-alpn', '-N --no-buffer',
    '--no-clobber', '--no-keepalive', '--no-npn', '--no-progress-meter', '--no-sessionid', '--noproxy=',
    '--ntlm', '--ntlm-wb', '--oauth2-bearer=', '-o --output=', '--output-dir=', '-Z --parallel',
    '--parallel-immediate', '--parallel-max=', '--pass=', '--path-as-is', '--pinnedpubkey=', '--post301',
    '--post302', '--post303', '--preproxy=', '-# --progress-bar', '--proto=', '--proto-default=',
    '--proto-redir=', '-x --proxy=', '--proxy-anyauth', '--proxy-basic', '--proxy-cacert=', '--proxy-capath=',
    '--proxy-cert=', '--proxy-cert-type=', '--proxy-ciphers=', '--proxy-crlfile=', '--proxy-digest',
    '--proxy-header=', '--proxy-insecure', '--proxy-key=', '--proxy-key-type=', '--proxy-negotiate',
    '--proxy-ntlm', '--proxy-pass=', '--proxy-pinnedpubkey=', '--proxy-service-name=',
    '--proxy-ssl-allow-beast', '--proxy-ssl-auto-client-cert', '--proxy-tls13-ciphers=',
    '--proxy-tlsauthtype=', '--proxy-tlspassword=', '--proxy-tlsuser=', '--proxy-tlsv1', '-U --proxy-user=',
    '--proxy1.0=', '-p --proxytunnel', '--pubkey=', '-Q --quote=', '--random-file=', '-r --range=', '--rate=',
    '--raw', '-e --referer=', '-J --remote-header-name', '-O --remote-name', '--remote-name-all',
    '-R --remote-time', '--remove-on-error', '-X --request=', '--request-target=', '--resolve=', '--retry=',
    '--retry-all-errors', '--retry-connrefused', '--retry-delay=', '--retry-max-time=', '--sasl-authzid=',
    '--sasl-ir', '--service-name=', '-S --show-error', '-s --silent', '--socks4=', '--socks4a=', '--socks5=',
    '--socks5-basic', '--socks5-gssapi', '--socks5-gssapi-nec', '--socks5-gssapi-service=',
    '--socks5-hostname=', '-Y --speed-limit=', '-y --speed-time=', '--ssl', '--ssl-allow-beast',
    '--ssl-auto-client-cert', '--ssl-no-revoke', '--ssl-reqd', '--ssl-revoke-best-effort', '-2 --sslv2',
    '-3 --sslv3', '--stderr=', '--styled-output', '--suppress-connect-headers', '--tcp-fastopen',
    '--tcp-nodelay', '-t --telnet-option=', '--tftp-blksize=', '--tftp-no-options', '-z --time-cond=',
    '--tls-max=', '--tls13-ciphers=', '--tlsauthtype=', '--tlspassword=', '--tlsuser=', '-1 --tlsv1',
    '--tlsv1.0', '--tlsv1.1', '--tlsv1.2', '--tlsv1.3', '--tr-encoding', '--trace=', '--trace-ascii=',
    '--trace-time', '--unix-socket=', '-T --upload-file=', '--url=', '--url-query=', '-B --use-ascii',
    '-u --user=', '-A --user-agent=', '-v --verbose', '-V --version', '-w --write-out=', '--xattr',
    '--variable=', '--ca-native', '--proxy-ca-native', '--ech=', '--ipfs-gateway=', '--skip-existing',
    '--trace-config=', '--trace-ids', '--mptcp', '--proxy-http2', '--out-null', '--follow', '--sigalgs=',
    '--knownhosts=', '--upload-flags=', '--ssl-sessions=', '--vlan-priority=', '--ip-tos=', '--tcp-keepcnt=',
    '--dump-ca-embed', '--proxy-dump-ca-embed',
  ],
  { abbreviations: true, unknown: 'maybe', negation: true, transparentPrefixes: ['expand-'] },
);

const PROTOCOLS = '=http,https';

export const curl: ToolSpec = {
  name: 'curl',
  summary: 'curl: -q first, --proto/--proto-redir =http,https; -K/--config, -:/--next, --proto*, --unix-socket, --abstract-unix-socket, --variable refused; CURL_HOME, SSLKEYLOGFILE dropped',
  layout: 'anywhere',
  options: OPTIONS,
  hardening: {
    prepend: ['-q', '--proto', PROTOCOLS, '--proto-redir', PROTOCOLS],
    refuseOptions: [
      { options: ['-K', '--config'], reason: 'it reads options from a file the intercept rules never see', fix: 'put the options on the command line' },
      { options: ['-:', '--next'], reason: 'it starts a second transfer without the server\'s protocol limits', fix: 'run curl once per transfer' },
      { options: ['--proto', '--proto-redir'], reason: 'the server sets the protocols (http and https)' },
      { options: ['--unix-socket', '--abstract-unix-socket'], reason: 'it reaches local services outside the agent sandbox' },
      { options: ['--variable'], reason: 'it reads environment variables (credentials) and files into the request' },
    ],
    env: {
      drop: ['CURL_HOME', 'SSLKEYLOGFILE', 'QLOGDIR', 'NETRC', 'POSIXLY_CORRECT', 'OPENSSL_CONF', 'OPENSSL_ENGINES', 'OPENSSL_MODULES'],
      set: {},
    },
  },
};
