#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus from the bundled samples (run from the repo root).
Only a few small files per target: libFuzzer grows its own corpus in the build directory.
Regression inputs (reproducers of fixed findings) are added by hand as corpus/<target>/regress-*
and are kept by this script."""
import base64, os, re, struct

root = os.path.join('tests', 'fuzz', 'corpus')

def write(target, name, data):
    os.makedirs(os.path.join(root, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(root, target, name), 'wb') as f:
        f.write(data)

def ldif_values(attribute):
    values = []
    for sample in ('corp-config', 'corp-domain', 'child-domain'):
        text = open(f'samples/{sample}.ldif', encoding='utf-8').read().replace('\n ', '')
        for match in re.finditer(r'^' + attribute + r'(::?) ?(.*)$', text, re.M | re.I):
            raw = match.group(2)
            values.append(base64.b64decode(raw) if match.group(1) == '::' else raw.encode())
    return list(dict.fromkeys(values))  # unique, in order

for i, blob in enumerate(ldif_values('msExchSmtpRelayIpList')[:4]):
    write('ip_security', f'sample-{i}', blob)
for i, blob in enumerate(ldif_values('nTSecurityDescriptor')[:2]):
    write('security_descriptor', f'sample-{i}', blob)
for i, blob in enumerate(ldif_values('objectSid')[:3]):
    write('sid', f'sample-{i}', blob)
write('sid', 'world', bytes([1, 1, 0, 0, 0, 0, 0, 1]) + struct.pack('<I', 0))
write('sid', 'large-authority', bytes([1, 2, 1, 2, 3, 4, 5, 6]) + struct.pack('<II', 7, 8))
for i, dn in enumerate(ldif_values('dn')[:3]):
    write('dn', f'sample-{i}', dn)
write('dn', 'escapes', r'CN=a\,CN=Servers+OU=x\2C\00,OU=#04026869,DC=corp,DC=example')
ranges = ['10.0.0.0/8', '192.168.1.1-192.168.1.20', '10.0.0.0(255.0.0.0)',
          'fe80::1%11', '[::1]', '::ffff:10.1.2.3/120', '0.0.0.0-255.255.255.255\n::/0',
          '[::]:25', '0.0.0.0:587', 'SMTP:*;1', 'Local:SMTP:*.contoso.com;10',
          '10.1.2.3;255.255.0.0', '10.0.0.1']
for i, text in enumerate(ranges):
    write('ip_range', f'seed-{i}', text)
for i, value in enumerate(ldif_values('msExchSmtpReceiveRemoteIPRanges')[:2]):
    write('ip_range', f'sample-{i}', value)
for name in ('exch55-open', 'exch56-restricted'):
    write('registry_export', name, open(f'samples/ims/{name}.reg', 'rb').read())
small = ('version: 1\n\n# comment\ndn: CN=a,DC=corp,DC=example\nobjectClass: top\n'
         'cn: a\ndescription:: aGVsbG8=\n folded\nmsExchSmtpRelayIpList;binary:: AAAA\n\n'
         'dn: CN=b,DC=corp,DC=example\r\nchangetype: add\r\ncn: b\r\n')
for target in ('ldif', 'pipeline'):
    write(target, 'small', small)
    for sample in ('corp-config', 'corp-domain', 'child-domain'):
        write(target, sample, open(f'samples/{sample}.ldif', 'rb').read())
