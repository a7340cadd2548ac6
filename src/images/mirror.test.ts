// Reading apt sources in both sources.list(5) formats and choosing the Debian archive among them.
// The sample texts are written here; the mirror host names are placeholders (example.org).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MIRROR_ENV,
  MirrorError,
  parseDeb822Sources,
  parseOneLineSources,
  pickDebianMirror,
  resolveMirror,
  validateMirror,
  type AptSource,
} from './mirror.js';

const DEB822 = `Types: deb
# http://snapshot.example.org/archive/debian/20250520T000000Z
URIs: http://mirror.example.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
# http://snapshot.example.org/archive/debian-security/20250520T000000Z
URIs: http://mirror.example.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

test('deb822: one source per URI, comments skipped, fields read', () => {
  const s = parseDeb822Sources(DEB822, 'debian.sources');
  assert.equal(s.length, 2);
  assert.deepEqual(s[0], {
    uri: 'http://mirror.example.org/debian',
    suites: ['bookworm', 'bookworm-updates'],
    components: ['main'],
    signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
    origin: 'debian.sources',
  });
  assert.equal(pickDebianMirror(s), 'http://mirror.example.org/debian');
});

test('deb822: several URIs, continuation lines, deb-src only and Enabled: no', () => {
  const text = `Types: deb-src
URIs: http://src.example.org/debian
Suites: trixie
Components: main

Types: deb
URIs: http://off.example.org/debian
Suites: trixie
Enabled: no

types: deb deb-src
uris: https://a.example.org/debian/
 https://b.example.org/debian
suites: trixie
components: main
 contrib
signed-by:
 -----BEGIN PGP PUBLIC KEY BLOCK-----
 .
 abc
 -----END PGP PUBLIC KEY BLOCK-----
`;
  const s = parseDeb822Sources(text, 'x.sources');
  assert.deepEqual(
    s.map((x) => x.uri),
    ['https://a.example.org/debian/', 'https://b.example.org/debian'],
  );
  assert.deepEqual(s[0].components, ['main', 'contrib']);
  assert.equal(s[0].signedBy, undefined);
  assert.equal(pickDebianMirror(s), 'https://a.example.org/debian');
});

test('one-line format: options in brackets, comments, deb-src ignored', () => {
  const text = `# comment
deb-src http://mirror.example.org/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example.org/debian bookworm main contrib # tail
deb http://mirror.example.org/debian-security bookworm-security main
deb https://packages.example.com/apt cloud-sdk main
`;
  const s = parseOneLineSources(text, 'sources.list');
  assert.deepEqual(
    s.map((x) => [x.uri, x.suites[0], x.components.join(' '), x.signedBy]),
    [
      [
        'http://mirror.example.org/debian',
        'bookworm',
        'main contrib',
        '/usr/share/keyrings/debian-archive-keyring.gpg',
      ],
      ['http://mirror.example.org/debian-security', 'bookworm-security', 'main', undefined],
      ['https://packages.example.com/apt', 'cloud-sdk', 'main', undefined],
    ],
  );
});

const src = (uri: string, suites: string[], signedBy?: string): AptSource => ({
  uri,
  suites,
  components: ['main'],
  signedBy,
  origin: 't',
});

test('the security archive and third-party archives are not picked', () => {
  assert.equal(
    pickDebianMirror([
      src('https://packages.example.com/apt', ['cloud-sdk']),
      src('http://security.example.org/debian-security', ['bookworm-security']),
      src('http://ftp.example.org/debian/', ['bookworm']),
    ]),
    'http://ftp.example.org/debian',
  );
  assert.equal(pickDebianMirror([src('http://security.example.org/', ['bookworm-security'])]), undefined);
  assert.equal(pickDebianMirror([src('https://packages.example.com/apt', ['stable'])]), undefined);
});

test('a snapshot archive URI counts as a Debian archive', () => {
  const uri = 'http://snapshot.example.org/archive/debian/20250520T000000Z';
  assert.equal(pickDebianMirror([src(uri, ['bookworm'])]), uri);
});

test('without a debian path segment, a Debian keyring or suite name decides', () => {
  assert.equal(
    pickDebianMirror([
      src('http://apt.example.com/repo', ['jammy']),
      src('http://mirror.example.org/pub/deb', ['trixie']),
    ]),
    'http://mirror.example.org/pub/deb',
  );
  assert.equal(
    pickDebianMirror([
      src('http://m.example.org/d', ['x'], '/usr/share/keyrings/debian-archive-keyring.gpg'),
    ]),
    'http://m.example.org/d',
  );
});

test('--mirror beats the environment, which beats the host sources', () => {
  const host = (): AptSource[] => [src('http://host.example.org/debian', ['bookworm'])];
  const env = { [MIRROR_ENV]: 'http://env.example.org/debian/' };
  assert.deepEqual(resolveMirror('http://flag.example.org/debian', env, host), {
    uri: 'http://flag.example.org/debian',
    origin: '--mirror',
  });
  assert.deepEqual(resolveMirror(undefined, env, host), {
    uri: 'http://env.example.org/debian',
    origin: MIRROR_ENV,
  });
  assert.deepEqual(resolveMirror(undefined, {}, host), {
    uri: 'http://host.example.org/debian',
    origin: 't',
  });
  assert.throws(
    () => resolveMirror(undefined, {}, () => []),
    /pass --mirror URL or set TSVIRT_DEBIAN_MIRROR/,
  );
});

test('a mirror must look like a URI', () => {
  assert.equal(validateMirror('file:/srv/debian/', 'x'), 'file:/srv/debian');
  assert.throws(() => validateMirror('mirror.example.org/debian', '--mirror'), MirrorError);
  assert.throws(() => validateMirror('http://a b', '--mirror'), MirrorError);
});
