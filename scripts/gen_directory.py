#!/usr/bin/python3
"""Deterministic generator of realistic Active Directory / Exchange relay data as LDIF.

Standard library only. Writes LDIF on stdout. Every binary value is a real format:
  * msExchSmtpRelayIpList: the IPSecurity blob (docs: exchange-relay-facts section 3)
  * objectSid: binary SIDs (revision, count, 48-bit authority big-endian, sub-authorities LE)
  * nTSecurityDescriptor of receive connectors: self-relative security descriptors with a DACL

Targets:
  export  as `ldapsearch -LLL` prints it from AD: full objects, `attr:: base64` for binary or
          unsafe values, lines folded at 76 columns.
  slapd   loadable with `ldapadd` into slapd started by scripts/test-servers/slapd.sh (schema
          tests/integration/schema/exchange-ad-test.schema). slapd.sh already created the domain
          head and CN=Users of --base, so those two are written as `changetype: modify` records
          (adding objectSid etc.); use --include-base to write them as plain adds instead.
  samba   only what must be ADDED to a freshly provisioned Samba AD DC after
          `samba.sh extend-schema`: the Exchange containers and objects (no domain head, no Guest,
          no computed attributes).

Run with --self-test to check the encoders against the worked examples.
"""
import argparse
import base64
import hashlib
import struct
import sys
import uuid

# ---------------------------------------------------------------------------------------------
# IPSecurity blob (msExchSmtpRelayIpList / msExchIPSecurity)
# ---------------------------------------------------------------------------------------------

REF = 0x80000000


def _ipv4(text):
    parts = [int(p) for p in text.split(".")]
    if len(parts) != 4 or any(p < 0 or p > 255 for p in parts):
        raise ValueError("bad IPv4 address: %r" % text)
    return bytes(parts)


def encode_ip_security(grant=(), deny=(), grant_names=(), deny_names=(), flags=1):
    """Encodes an IPSecurity blob.

    grant/deny: sequences of (address, mask) dotted quads. One address entry per distinct mask,
    in first-seen order. grant_names/deny_names: sequences of (name, exact) pairs; one name entry
    per distinct (component count, exact) pair. flags: header flags word (the worked example
    written by Exchange has 1).
    Layout: header (24 bytes), deny-address list header + entries, grant-address list header +
    entries, deny-name list header + entries, grant-name list header + entries; then the data
    (per address entry: mask then addresses) and the NUL-terminated names.
    """

    def group_addresses(pairs):
        groups = []  # [(mask bytes, [address bytes])]
        for address, mask in pairs:
            m = _ipv4(mask)
            for g in groups:
                if g[0] == m:
                    g[1].append(_ipv4(address))
                    break
            else:
                groups.append((m, [_ipv4(address)]))
        return groups

    def group_names(pairs):
        groups = []  # [(component count word, [name])]
        for name, exact in pairs:
            word = len(name.split(".")) | (REF if exact else 0)
            for g in groups:
                if g[0] == word:
                    g[1].append(name)
                    break
            else:
                groups.append((word, [name]))
        return groups

    deny_a, grant_a = group_addresses(deny), group_addresses(grant)
    deny_n, grant_n = group_names(deny_names), group_names(grant_names)

    # Reference area: sizes first, so that data offsets are known.
    pos = 24
    deny_a_hdr = pos
    pos += 8 + 20 * len(deny_a)
    grant_a_hdr = pos
    pos += 8 + 20 * len(grant_a)
    deny_n_hdr = pos
    pos += 8 + sum(8 + 4 * len(g[1]) for g in deny_n)
    grant_n_hdr = pos
    pos += 8 + sum(8 + 4 * len(g[1]) for g in grant_n)
    ref_size = pos

    data = bytearray()
    ref_area = bytearray()

    def addr_list(groups):
        out = struct.pack("<II", len(groups), sum(len(g[1]) for g in groups))
        for mask, addresses in groups:
            ff = 0
            while ff < 4 and mask[ff] == 0xFF:
                ff += 1
            next_byte = mask[ff] if ff < 4 else 0
            offset = ref_size + len(data)
            data.extend(mask)
            for a in addresses:
                data.extend(a)
            out += struct.pack("<IIIII", 2, len(addresses) + 1, ff, next_byte, REF | offset)
        return out

    name_fixups = []  # (position in ref_area, name)

    def name_list(groups, base):
        out = bytearray(struct.pack("<II", len(groups), sum(len(g[1]) for g in groups)))
        for word, names in groups:
            out += struct.pack("<II", word, len(names))
            for n in names:
                name_fixups.append((base + len(out) - 24, n))
                out += b"\0\0\0\0"
        return bytes(out)

    ref_area += struct.pack("<IIIIII", REF | deny_a_hdr, REF | grant_a_hdr, REF | deny_n_hdr,
                            REF | grant_n_hdr, flags, ref_size)
    ref_area += addr_list(deny_a)
    ref_area += addr_list(grant_a)
    ref_area += name_list(deny_n, len(ref_area) + 24)
    ref_area += name_list(grant_n, len(ref_area) + 24)
    assert len(ref_area) == ref_size, (len(ref_area), ref_size)
    for where, name in name_fixups:
        offset = ref_size + len(data)
        data.extend(name.encode("ascii") + b"\0")
        struct.pack_into("<I", ref_area, where, REF | offset)
    return bytes(ref_area) + bytes(data)


# The worked example of facts section 3: "Only the list below: 127.0.0.1" (84 bytes).
WORKED_EXAMPLE_ONLY_LOCALHOST = bytes.fromhex(
    "18000080 20000080 3C000080 44000080 01000000 4C000000"
    "00000000 00000000 01000000 01000000"
    "02000000 02000000 04000000 00000000 4C000080"
    "00000000 00000000 00000000 00000000 FFFFFFFF 7F000001".replace(" ", ""))

SENTINEL = ("0.0.0.0", "255.255.255.255")  # "only the list below" with nobody on it

# ---------------------------------------------------------------------------------------------
# SIDs, GUIDs and security descriptors
# ---------------------------------------------------------------------------------------------


def encode_sid(text):
    parts = text.split("-")
    if len(parts) < 3 or parts[0].upper() != "S" or parts[1] != "1":
        raise ValueError("bad SID: %r" % text)
    authority = int(parts[2])
    subs = [int(p) for p in parts[3:]]
    if len(subs) > 15:
        raise ValueError("too many sub-authorities: %r" % text)
    return (bytes([1, len(subs)]) + authority.to_bytes(6, "big")
            + b"".join(struct.pack("<I", s) for s in subs))


def guid_bytes(text):
    """GUID as stored in ACEs and objectGUID: Data1/2/3 little-endian, then 8 bytes as written."""
    return uuid.UUID(text).bytes_le


ACCESS_ALLOWED, ACCESS_DENIED, ACCESS_ALLOWED_OBJECT, ACCESS_DENIED_OBJECT = 0x00, 0x01, 0x05, 0x06
ACE_INHERIT_ONLY = 0x08
ACE_CONTAINER_INHERIT = 0x02
ADS_RIGHT_DS_CONTROL_ACCESS = 0x100
READ_GENERIC = 0x00020094      # READ_CONTROL | LIST_OBJECT | READ_PROPERTY | LIST_CHILDREN
FULL_CONTROL = 0x000F01FF

RIGHT_SUBMIT = "a18293f1-0685-4540-aa63-e32df421b3a2"
RIGHT_ACCEPT_ANY_RECIPIENT = "5c82f031-4e4c-4326-88e1-8c4f0cad9de5"
RIGHT_ACCEPT_ANY_SENDER = "b857b50b-94a2-4b53-93f6-41cebd2fced0"
RIGHT_ACCEPT_AUTHORITATIVE_DOMAIN_SENDER = "c22841f4-96cb-498a-ac02-f9a87c74eb14"
RIGHT_BYPASS_ANTI_SPAM = "d19299b4-86c2-4c9a-8fa7-acb70c63023a"
RIGHT_ACCEPT_HEADERS_ROUTING = "04031f4f-7c36-43ea-9b49-4bd0f5f1e6af"

SID_ANONYMOUS = "S-1-5-7"
SID_AUTHENTICATED_USERS = "S-1-5-11"
SID_EVERYONE = "S-1-1-0"
SID_EXTERNALLY_SECURED = "S-1-9-1419165041-1139599005-3936102811-1022490595-23"


def encode_ace(ace_type, flags, mask, sid, object_type=None, inherited_object_type=None):
    body = struct.pack("<I", mask)
    if ace_type in (ACCESS_ALLOWED_OBJECT, ACCESS_DENIED_OBJECT):
        oflags = (1 if object_type else 0) | (2 if inherited_object_type else 0)
        body += struct.pack("<I", oflags)
        if object_type:
            body += guid_bytes(object_type)
        if inherited_object_type:
            body += guid_bytes(inherited_object_type)
    body += encode_sid(sid)
    return struct.pack("<BBH", ace_type, flags, 4 + len(body)) + body


def encode_acl(aces):
    has_object = any(a[0] in (ACCESS_ALLOWED_OBJECT, ACCESS_DENIED_OBJECT) for a in aces)
    payload = b"".join(aces)
    return struct.pack("<BBHHH", 4 if has_object else 2, 0, 8 + len(payload), len(aces), 0) + payload


def encode_sd(owner, group, dacl_aces):
    """Self-relative SD: header (20 bytes), DACL, owner SID, group SID; no SACL."""
    dacl = encode_acl(dacl_aces)
    owner_b, group_b = encode_sid(owner), encode_sid(group)
    control = 0x8000 | 0x0004 | 0x0400  # SELF_RELATIVE | DACL_PRESENT | DACL_AUTO_INHERITED
    dacl_off = 20
    owner_off = dacl_off + len(dacl)
    group_off = owner_off + len(owner_b)
    header = struct.pack("<BBHIIII", 1, 0, control, owner_off, group_off, 0, dacl_off)
    return header + dacl + owner_b + group_b


def grants(sid, rights, flags=0, deny=False):
    kind = ACCESS_DENIED_OBJECT if deny else ACCESS_ALLOWED_OBJECT
    return [encode_ace(kind, flags, ADS_RIGHT_DS_CONTROL_ACCESS, sid, object_type=r) for r in rights]


def det_guid(text):
    """Deterministic objectGUID from a DN."""
    return uuid.UUID(bytes=hashlib.md5(text.lower().encode("utf-8")).digest()[:16], version=4)


# ---------------------------------------------------------------------------------------------
# DNs and LDIF output
# ---------------------------------------------------------------------------------------------


def escape_rdn_value(value):
    """RFC 4514 section 2.4 escaping of an attribute value inside a DN."""
    out = []
    for i, ch in enumerate(value):
        if ch in '\\,+"<>;':
            out.append("\\" + ch)
        elif ch == "\0":
            out.append("\\00")
        elif (i == 0 and ch in " #") or (i == len(value) - 1 and ch == " "):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def rdn(value, attr="CN"):
    return "%s=%s" % (attr, escape_rdn_value(value))


def ldif_safe(value):
    """RFC 2849 SAFE-STRING test as OpenLDAP's ldapsearch applies it (else base64)."""
    if isinstance(value, bytes):
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            return False
    if value == "":
        return True
    if value[0] in " :<" or value[-1] == " ":
        return False
    return all(0x20 <= ord(c) < 0x7F for c in value)


# ldapsearch (OpenLDAP 2.5.13, measured against slapd) folds at 78 columns: the first line has
# 78 characters, each continuation line a space + 77. Changed by --ldif-wrap.
LDIF_WRAP = [78]


def fold(line, width=None):
    """ldapsearch folding: first line `width` columns, continuations a space + width-1."""
    if width is None:
        width = LDIF_WRAP[0]
    if width <= 1 or len(line) <= width:
        return line
    parts = [line[:width]]
    rest = line[width:]
    while rest:
        parts.append(" " + rest[:width - 1])
        rest = rest[width - 1:]
    return "\n".join(parts)


def attr_line(name, value):
    if ldif_safe(value):
        text = value.decode("ascii") if isinstance(value, bytes) else value
        return fold("%s: %s" % (name, text))
    raw = value if isinstance(value, bytes) else value.encode("utf-8")
    return fold("%s:: %s" % (name, base64.b64encode(raw).decode("ascii")))


class Entry:
    def __init__(self, dn, kind, attrs, samba_classes=None, domain=None):
        self.dn = dn
        self.kind = kind              # see KINDS below
        self.attrs = attrs            # list of (name, [values])
        self.samba_classes = samba_classes  # objectClass values for the samba target, or None
        self.domain = domain          # owning domain (for domain-part entries)


def write_entry(out, dn, attrs, changetype=None):
    out.write(attr_line("dn", dn) + "\n")
    if changetype:
        out.write("changetype: %s\n" % changetype)
    for name, values in attrs:
        for v in values:
            out.write(attr_line(name, v) + "\n")
    out.write("\n")


def write_modify_replace(out, dn, attrs):
    out.write(attr_line("dn", dn) + "\n")
    out.write("changetype: modify\n")
    for name, values in attrs:
        out.write("replace: %s\n" % name)
        for v in values:
            out.write(attr_line(name, v) + "\n")
        out.write("-\n")
    out.write("\n")


# ---------------------------------------------------------------------------------------------
# The directory model
# ---------------------------------------------------------------------------------------------

WHEN = "20240115093000.0Z"
ORG = "First Organization"
ADMIN_GROUP = "First Administrative Group"
E2007_ADMIN_GROUP = "Exchange Administrative Group (FYDIBOHF23SPDLT)"
ROUTING_GROUP = "First Routing Group"

# Virtual-server cases of --mix sample, in order.
CASES = ["safe", "open-all-except", "wide", "invalid", "auth-nondefault", "mask-zero"]
# --mix busy: every virtual server breaks a rule, 1.4 findings each on average (open-all-except
# breaks two): the shape of the issue-10 benchmark, "about 14,000 findings" at 10,000.
BUSY_CASES = ["open-all-except", "wide", "open-all-except", "invalid", "auth-nondefault"]


def vs_case_attrs(case):
    """Relay-deciding attributes of one virtual server, per case (see samples/README.md)."""
    if case == "safe":
        return [("msExchSmtpRelayIpList", [encode_ip_security(grant=[SENTINEL])]),
                ("msExchSmtpRelayForAuth", ["TRUE"]),
                ("msExchAuthenticationFlags", ["7"]),
                ("msExchAccessSSLFlags", ["8"])]
    if case == "open-all-except":
        # Present blob, both lists empty: grant by default. No auth/relayForAuth/ssl attributes.
        return [("msExchSmtpRelayIpList", [encode_ip_security()])]
    if case == "wide":
        return [("msExchSmtpRelayIpList", [encode_ip_security(
                    grant=[("10.20.0.0", "255.255.0.0"), ("127.0.0.1", "255.255.255.255")])]),
                ("msExchSmtpRelayForAuth", ["TRUE"]),
                ("msExchAuthenticationFlags", ["6"]),
                ("msExchAccessSSLFlags", ["8"])]
    if case == "invalid":
        valid = encode_ip_security(grant=[("10.20.0.0", "255.255.0.0"),
                                          ("127.0.0.1", "255.255.255.255")])
        return [("msExchSmtpRelayIpList", [valid[:30]]),
                ("msExchSmtpRelayForAuth", ["TRUE"]),
                ("msExchAuthenticationFlags", ["4"])]
    if case == "auth-nondefault":
        return [("msExchSmtpRelayIpList", [encode_ip_security(
                    grant=[("127.0.0.1", "255.255.255.255")])]),
                ("msExchSmtpRelayForAuth", ["FALSE"]),
                ("msExchAuthenticationFlags", ["4"]),
                ("msExchAccessSSLFlags", ["8"])]
    if case == "mask-zero":
        return [("msExchSmtpRelayIpList", [encode_ip_security(grant=[("0.0.0.0", "0.0.0.0")])]),
                ("msExchSmtpRelayForAuth", ["TRUE"]),
                ("msExchAuthenticationFlags", ["5"]),
                ("msExchAccessSSLFlags", ["0"])]
    raise ValueError(case)


# Receive-connector kinds, cycled by --receive-connectors.
RC_KINDS = ["Default", "Anonymous Relay", "Externally Secured", "Internet"]


def rc_attrs(kind, domain_sid, index):
    admins = domain_sid + "-512"
    base_aces = [encode_ace(ACCESS_ALLOWED, 0, FULL_CONTROL, admins),
                 encode_ace(ACCESS_ALLOWED, 0, READ_GENERIC, SID_AUTHENTICATED_USERS)]
    anonymous_users = [RIGHT_SUBMIT, RIGHT_ACCEPT_ANY_SENDER,
                       RIGHT_ACCEPT_AUTHORITATIVE_DOMAIN_SENDER, RIGHT_ACCEPT_HEADERS_ROUTING]
    exchange_users = [RIGHT_SUBMIT, RIGHT_ACCEPT_ANY_RECIPIENT, RIGHT_BYPASS_ANTI_SPAM,
                      RIGHT_ACCEPT_HEADERS_ROUTING]
    everything = ["0.0.0.0-255.255.255.255", "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]
    if kind == "Default":
        # ExchangeUsers: authenticated relay only. Safe.
        aces = base_aces + grants(SID_AUTHENTICATED_USERS, exchange_users)
        bindings, ranges, auth = ["0.0.0.0:25", "[::]:25"], everything, 29
    elif kind == "Anonymous Relay":
        # AnonymousUsers plus Accept-Any-Recipient for ANONYMOUS LOGON, from anywhere: open relay.
        aces = (base_aces + grants(SID_ANONYMOUS, anonymous_users)
                + grants(SID_ANONYMOUS, [RIGHT_ACCEPT_ANY_RECIPIENT]))
        bindings, ranges, auth = ["10.0.0.5:25"], everything, 1
    elif kind == "Externally Secured":
        # AuthMechanism ExternalAuthoritative (32): relay for every client in the ranges.
        aces = base_aces + grants(SID_EXTERNALLY_SECURED, exchange_users + [RIGHT_ACCEPT_ANY_SENDER])
        bindings, ranges, auth = ["10.0.0.6:25"], ["192.0.2.0/24", "198.51.100.7"], 33
    else:  # "Internet": AnonymousUsers only; the decoys below must NOT count as relay
        aces = (base_aces + grants(SID_ANONYMOUS, anonymous_users)
                + grants(SID_EVERYONE, [RIGHT_ACCEPT_ANY_RECIPIENT], flags=ACE_INHERIT_ONLY | ACE_CONTAINER_INHERIT)
                + grants(SID_ANONYMOUS, [RIGHT_ACCEPT_ANY_RECIPIENT], deny=True)
                + grants(SID_ANONYMOUS, [RIGHT_ACCEPT_ANY_RECIPIENT]))
        bindings, ranges, auth = ["10.0.0.7:25"], everything, 1
    sd = encode_sd(admins, admins, aces)
    return [("msExchSmtpReceiveBindings", bindings),
            ("msExchSmtpReceiveRemoteIPRanges", ranges),
            ("msExchSMTPReceiveInboundSecurityFlag", [str(auth)]),
            ("msExchSmtpReceiveEnabled", ["TRUE"]),
            ("nTSecurityDescriptor", [sd])]


class Generator:
    def __init__(self, args):
        self.args = args
        self.base = args.base
        self.dns = dns_of(args.base)
        self.netbios = self.dns.split(".")[0].upper()
        self.forest_root = args.forest_root or args.base
        self.config = "CN=Configuration," + self.forest_root
        self.schema = "CN=Schema," + self.config
        self.entries = []

    # -- helpers -------------------------------------------------------------------------------
    def cat(self, schema_cn):
        return "CN=%s,%s" % (schema_cn, self.schema)

    def add(self, dn, kind, classes, category, attrs, samba_classes=None, domain=None,
            cn=None, extra=None):
        """Adds an entry with the attributes AD returns for every object."""
        name = cn if cn is not None else parse_first_rdn_value(dn)
        full = [("objectClass", classes)]
        if name is not None and not dn.upper().startswith("DC="):
            full.append(("cn", [name]))
        full += attrs
        full += [("distinguishedName", [dn]),
                 ("instanceType", ["5" if kind in ("domain-head", "config-root") else "4"]),
                 ("whenCreated", [WHEN]), ("whenChanged", [WHEN]),
                 ("name", [name if name is not None else parse_first_rdn_value(dn, any_attr=True)]),
                 ("objectGUID", [det_guid(dn).bytes_le])]
        if extra:
            full += extra
        if kind.startswith(("config", "exch")):
            full.append(("showInAdvancedViewOnly", ["TRUE"]))
        full.append(("objectCategory", [self.cat(category)]))
        e = Entry(dn, kind, full, samba_classes, domain)
        self.entries.append(e)
        return e

    # -- configuration NC ----------------------------------------------------------------------
    def build_config(self):
        a = self.args
        cfg = self.config
        self.add(cfg, "config-root", ["top", "configuration"], "Configuration", [])
        parts = "CN=Partitions," + cfg
        self.add(parts, "config", ["top", "crossRefContainer"], "Cross-Ref-Container",
                 [("systemFlags", ["-2147483648"])])
        self.add("CN=Enterprise Configuration," + parts, "config-crossref", ["top", "crossRef"],
                 "Cross-Ref", [("nCName", [cfg]), ("dnsRoot", [self.dns]), ("systemFlags", ["1"])])
        self.add("CN=Enterprise Schema," + parts, "config-crossref", ["top", "crossRef"],
                 "Cross-Ref", [("nCName", [self.schema]), ("dnsRoot", [self.dns]),
                               ("systemFlags", ["1"])])
        for dn, sid, _guest in self.domains():
            dns = dns_of(dn)
            nb = dns.split(".")[0].upper()
            self.add("CN=%s,%s" % (escape_rdn_value(nb), parts), "config-crossref",
                     ["top", "crossRef"], "Cross-Ref",
                     [("nCName", [dn]), ("dnsRoot", [dns]), ("nETBIOSName", [nb]),
                      ("systemFlags", ["3"])])
        self.add("CN=Schema," + cfg, "config-schema", ["top", "container"], "Container", [])
        services = "CN=Services," + cfg
        self.add(services, "config", ["top", "container"], "Container", [])

        mse = "CN=Microsoft Exchange," + services
        self.add(mse, "exch", ["top", "container", "msExchConfigurationContainer"],
                 "ms-Exch-Configuration-Container", [("adminDisplayName", ["Microsoft Exchange"])],
                 samba_classes=["container"])
        org = "CN=%s,%s" % (ORG, mse)
        self.add(org, "exch", ["top", "container", "msExchOrganizationContainer"],
                 "ms-Exch-Organization-Container", [("legacyExchangeDN", ["/o=" + ORG])],
                 samba_classes=["msExchOrganizationContainer"])
        ags = "CN=Administrative Groups," + org
        self.add(ags, "exch", ["top", "container", "msExchAdminGroupContainer"],
                 "ms-Exch-Admin-Group-Container", [], samba_classes=["container"])

        self.vs_index = 0
        # Exchange 2000/2003 admin group: virtual servers and SMTP connectors.
        if a.virtual_servers > 0 or a.smtp_connectors > 0 or a.hostile:
            ag = "CN=%s,%s" % (ADMIN_GROUP, ags)
            self.add(ag, "exch", ["top", "msExchAdminGroup"], "ms-Exch-Admin-Group",
                     [("legacyExchangeDN", ["/o=%s/ou=%s" % (ORG, ADMIN_GROUP)])],
                     samba_classes=["msExchAdminGroup"])
            servers = "CN=Servers," + ag
            self.add(servers, "exch", ["top", "container", "msExchServersContainer"],
                     "ms-Exch-Servers-Container", [], samba_classes=["container"])
            count = a.virtual_servers
            server_dn = None
            per = a.virtual_servers_per_server
            for i in range(count):
                n = i % per + 1
                if n == 1:
                    server_dn = self.add_server(servers, "EXCH%03d" % (i // per + 1),
                                                "Version 6.5 (Build 7638.2: Service Pack 2)")
                case = (CASES[i % len(CASES)] if a.mix == "sample"
                        else BUSY_CASES[i % len(BUSY_CASES)] if a.mix == "busy" else "safe")
                self.add_vs(server_dn, n, case)
            if a.hostile:
                hostile_server = self.add_server(servers, 'EVIL&"\'<>', "Version 6.5 (Build 7638.2)")
                self.add_vs(hostile_server, 1, "safe",
                            display_name="<script>alert(1)</script>")
            if a.smtp_connectors > 0:
                rgs = "CN=Routing Groups," + ag
                self.add(rgs, "exch", ["top", "container", "msExchRoutingGroupContainer"],
                         "ms-Exch-Routing-Group-Container", [], samba_classes=["container"])
                rg = "CN=%s,%s" % (ROUTING_GROUP, rgs)
                self.add(rg, "exch", ["top", "msExchRoutingGroup"], "ms-Exch-Routing-Group", [],
                         samba_classes=["container"])
                conns = "CN=Connectors," + rg
                self.add(conns, "exch", ["top", "container", "msExchConnectors"],
                         "ms-Exch-Connectors", [], samba_classes=["container"])
                for i in range(a.smtp_connectors):
                    name = "Internet Mail Connector" if i == 0 else "SMTP Connector %d" % (i + 1)
                    self.add("CN=%s,%s" % (escape_rdn_value(name), conns), "exch",
                             ["top", "mailGateway", "msExchRoutingSMTPConnector"],
                             "ms-Exch-Routing-SMTP-Connector",
                             [("adminDisplayName", [name]),
                              ("routingList", ["SMTP:*;1"]),
                              ("msExchSmtpSmartHost", ["smarthost%d.%s" % (i + 1, self.dns)])],
                             samba_classes=["msExchRoutingSMTPConnector"], cn=name)

        # Exchange 2007+ admin group: receive connectors.
        if a.receive_connectors > 0:
            ag = "CN=%s,%s" % (E2007_ADMIN_GROUP, ags)
            self.add(ag, "exch", ["top", "msExchAdminGroup"], "ms-Exch-Admin-Group",
                     [("legacyExchangeDN", ["/o=%s/ou=%s" % (ORG, E2007_ADMIN_GROUP)])],
                     samba_classes=["msExchAdminGroup"])
            servers = "CN=Servers," + ag
            self.add(servers, "exch", ["top", "container", "msExchServersContainer"],
                     "ms-Exch-Servers-Container", [], samba_classes=["container"])
            rcs = None
            for i in range(a.receive_connectors):
                if i % 4 == 0:
                    server = self.add_server(servers, "EXMBX%03d" % (i // 4 + 1),
                                             "Version 15.1 (Build 2507.6)", with_smtp=False)
                    rcs = "CN=SMTP Receive Connectors,CN=Protocols," + server
                    self.add(rcs, "exch", ["top", "container", "msExchSMTPReceiveConnectorContainer"],
                             "ms-Exch-SMTP-Receive-Connector-Container", [],
                             samba_classes=["container"])
                kind = RC_KINDS[i % len(RC_KINDS)]
                name = kind if i < len(RC_KINDS) else "%s %d" % (kind, i // len(RC_KINDS) + 1)
                attrs = [("adminDisplayName", [name])] + rc_attrs(kind, a.domain_sid, i)
                self.add("CN=%s,%s" % (escape_rdn_value(name), rcs), "exch-rc",
                         ["top", "msExchSmtpReceiveConnector"],
                         "ms-Exch-Smtp-Receive-Connector", attrs,
                         samba_classes=["msExchSmtpReceiveConnector"], cn=name)

    def add_server(self, servers, name, version, with_smtp=True):
        dn = "%s,%s" % (rdn(name), servers)
        self.add(dn, "exch", ["top", "server", "msExchExchangeServer"], "ms-Exch-Exchange-Server",
                 [("adminDisplayName", [name]), ("serialNumber", [version]),
                  ("networkAddress", ["ncacn_ip_tcp:%s.%s" % (name.lower(), self.dns)])],
                 samba_classes=["msExchExchangeServer"], cn=name)
        self.add("CN=Protocols," + dn, "exch", ["top", "container"], "Container", [],
                 samba_classes=["container"])
        if with_smtp:
            self.add("CN=SMTP,CN=Protocols," + dn, "exch", ["top", "container"], "Container", [],
                     samba_classes=["container"])
        return dn

    def add_vs(self, server_dn, n, case, display_name=None):
        if display_name is None:
            display_name = "Default SMTP Virtual Server" if n == 1 else "SMTP Virtual Server #%d" % n
        server_name = parse_first_rdn_value(server_dn)
        attrs = [("adminDisplayName", [display_name]),
                 ("msExchServerBindings", [":25:" if n == 1 else ":%d:" % (2500 + n)]),
                 ("msExchSmtpFullyQualifiedDomainName", ["%s.%s" % (server_name.lower(), self.dns)]),
                 ("msExchSmtpMaxMessageSize", ["10240"])]
        attrs += vs_case_attrs(case)
        self.add("CN=%d,CN=SMTP,CN=Protocols,%s" % (n, server_dn), "exch-vs",
                 ["top", "protocolCfg", "protocolCfgSMTP", "protocolCfgSMTPServer"],
                 "Protocol-Cfg-SMTP-Server", attrs, samba_classes=["protocolCfgSMTPServer"],
                 cn=str(n))
        self.vs_index += 1

    # -- domain NC -------------------------------------------------------------------------------
    def domains(self):
        out = [(self.base, self.args.domain_sid, self.args.guest)]
        for spec in self.args.extra_domain:
            out.append(spec)
        return out

    def build_domain(self, dn, sid, guest, users=True):
        dns = dns_of(dn)
        dc = parse_first_rdn_value(dn, any_attr=True)
        self.add(dn, "domain-head", ["top", "domain", "domainDNS"], "Domain-DNS",
                 [("dc", [dc]), ("objectSid", [encode_sid(sid)])], domain=dn)
        self.add("CN=Users," + dn, "domain-users", ["top", "container"], "Container",
                 [("description", ["Default container for upgraded user accounts"])], domain=dn)
        people = [("Administrator", 500, 66048), ("Guest", 501, 66080 if guest == "enabled" else 66082),
                  ("krbtgt", 502, 514)]
        if users:
            people += [("Alice Adams", 1103, 512), ("Bob Brown", 1104, 66048),
                       ("Carol Clark", 1105, 514)]
        for cn, rid, uac in people:
            sam = cn if rid < 1000 else cn.split()[0].lower()
            attrs = [("sAMAccountName", [sam]), ("userAccountControl", [str(uac)]),
                     ("objectSid", [encode_sid("%s-%d" % (sid, rid))])]
            if rid >= 1000:
                attrs += [("givenName", [cn.split()[0]]), ("sn", [cn.split()[1]]),
                          ("userPrincipalName", ["%s@%s" % (sam, dns)])]
            self.add("%s,CN=Users,%s" % (rdn(cn), dn), "domain-user",
                     ["top", "person", "organizationalPerson", "user"], "Person", attrs,
                     domain=dn, cn=cn)


def dns_of(dn):
    labels = []
    for part in split_dn(dn):
        attr, _, value = part.partition("=")
        if attr.strip().upper() != "DC":
            raise SystemExit("gen_directory.py: %r is not a DC=... domain DN" % dn)
        labels.append(value)
    return ".".join(labels)


def split_dn(dn):
    out, cur, esc = [], "", False
    for ch in dn:
        if esc:
            cur += ch
            esc = False
        elif ch == "\\":
            cur += ch
            esc = True
        elif ch == ",":
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def unescape(value):
    out, i = "", 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            nxt = value[i + 1:i + 3]
            if len(nxt) == 2 and all(c in "0123456789abcdefABCDEF" for c in nxt):
                out += chr(int(nxt, 16))
                i += 3
                continue
            out += value[i + 1]
            i += 2
            continue
        out += value[i]
        i += 1
    return out


def parse_first_rdn_value(dn, any_attr=False):
    first = split_dn(dn)[0]
    attr, _, value = first.partition("=")
    if not any_attr and attr.strip().upper() != "CN":
        return None
    return unescape(value)


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------

# Attributes the export has but the slapd test schema does not define (slapd's core schema
# reserves `name` and `distinguishedName` as abstract supertypes).
SLAPD_DROP = {"distinguishedName", "name"}
# What Samba computes itself or refuses from a client.
SAMBA_DROP = {"distinguishedName", "name", "cn", "objectCategory", "objectSid", "objectGUID",
              "instanceType", "whenCreated", "whenChanged", "uSNCreated", "uSNChanged",
              "showInAdvancedViewOnly"}


def emit(args, out):
    g = Generator(args)
    if args.target == "export":
        if args.part in ("all", "config"):
            g.build_config()
        if args.part in ("all", "domain"):
            g.build_domain(g.base, args.domain_sid, args.guest)
        for e in g.entries:
            if e.kind == "config-schema":
                continue  # a separate naming context: a config-NC export returns a referral
            write_entry(out, e.dn, e.attrs)
        return

    if args.target == "slapd":
        g.build_domain(g.base, args.domain_sid, args.guest)
        for dn, sid, guest in g.domains()[1:]:
            g.build_domain(dn, sid, guest, users=False)
        g.build_config()
        # top-down: sort by depth (stable, so siblings keep their order)
        entries = sorted(g.entries, key=lambda e: len(split_dn(e.dn)))
        for e in entries:
            attrs = [(n, v) for n, v in e.attrs if n not in SLAPD_DROP]
            if e.kind == "domain-user":
                if not any(n == "sn" for n, _ in attrs):  # person MUSTs sn in OpenLDAP
                    attrs.append(("sn", [parse_first_rdn_value(e.dn)]))
            base_entry = e.kind in ("domain-head", "domain-users") and e.domain.lower() == g.base.lower()
            if base_entry and not args.include_base:
                # slapd.sh created these; add AD's attributes to them.
                keep = [(n, v) for n, v in attrs
                        if n not in ("objectClass", "cn", "dc", "description")]
                write_modify_replace(out, e.dn, keep)
            else:
                write_entry(out, e.dn, attrs)
        return

    # samba
    g.build_config()
    for e in g.entries:
        if e.samba_classes is None:
            continue  # provisioned by Samba (CN=Configuration, Partitions, Services, Schema)
        attrs = [("objectClass", e.samba_classes)]
        for n, v in e.attrs:
            if n == "objectClass" or n in SAMBA_DROP:
                continue
            if n == "nTSecurityDescriptor" and not args.samba_sd:
                continue
            if n in ("serialNumber", "legacyExchangeDN", "routingList") and e.samba_classes == ["container"]:
                continue
            attrs.append((n, v))
        write_entry(out, e.dn, attrs)


# ---------------------------------------------------------------------------------------------
# Self test and command line
# ---------------------------------------------------------------------------------------------


def decode_ip_security(b):
    """Minimal decoder (self-test only): returns (flags, grant, deny, grant_names, deny_names)."""
    def word(off):
        if off + 4 > len(b):
            raise ValueError("truncated at %d" % off)
        return struct.unpack_from("<I", b, off)[0]

    def ref(off):
        v = word(off)
        if not v & REF or (v & ~REF) >= len(b):
            raise ValueError("bad reference at %d" % off)
        return v & ~REF

    hdrs = [ref(0), ref(4), ref(8), ref(12)]
    flags, ref_size = word(16), word(20)

    def addrs(h):
        out = []
        for e in range(word(h)):
            base = h + 8 + 20 * e
            family, count, ff, nxt, data = word(base), word(base + 4), word(base + 8), word(base + 12), ref(base + 16)
            assert family == 2
            mask = b[data:data + 4]
            assert mask == bytes([255] * ff + ([nxt] if ff < 4 else []) + [0] * max(0, 3 - ff))
            for k in range(count - 1):
                out.append((".".join(map(str, b[data + 4 + 4 * k:data + 8 + 4 * k])),
                            ".".join(map(str, mask))))
        assert len(out) == word(h + 4)
        return out

    def names(h):
        out, pos = [], h + 8
        for _ in range(word(h)):
            comp, count = word(pos), word(pos + 4)
            for k in range(count):
                start = ref(pos + 8 + 4 * k)
                end = b.index(b"\0", start)
                out.append((b[start:end].decode("ascii"), bool(comp & REF)))
            pos += 8 + 4 * count
        return out

    assert ref_size <= len(b)
    return flags, addrs(hdrs[1]), addrs(hdrs[0]), names(hdrs[3]), names(hdrs[2])


def self_test():
    for case in CASES:
        blob = dict(vs_case_attrs(case))["msExchSmtpRelayIpList"][0]
        try:
            decoded = decode_ip_security(blob)
        except (ValueError, AssertionError) as exc:
            assert case == "invalid", (case, exc)
            continue
        assert case != "invalid", "the invalid case decoded"
        g, d = len(decoded[1]) + len(decoded[3]), len(decoded[2]) + len(decoded[4])
        mode = "only" if g > d else "all-except"
        assert mode == ("all-except" if case == "open-all-except" else "only"), case
    blob = encode_ip_security(grant=[("127.0.0.1", "255.255.255.255")])
    assert blob == WORKED_EXAMPLE_ONLY_LOCALHOST, blob.hex()
    assert len(blob) == 84
    assert encode_sid("S-1-5-7") == bytes.fromhex("010100000000000507000000")
    assert encode_sid("S-1-5-21-1004336348-1177238915-682003330-501")[:8] == bytes.fromhex(
        "0105000000000005")
    assert guid_bytes(RIGHT_ACCEPT_ANY_RECIPIENT).hex() == "31f0825c4c4e264388e18c4f0cad9de5"
    # names and several masks: internal consistency (refs inside the blob, counts)
    b = encode_ip_security(grant=[("10.0.0.0", "255.0.0.0"), ("10.1.2.3", "255.255.255.255"),
                                  ("10.9.9.9", "255.255.255.255")],
                           deny=[("192.0.2.0", "255.255.255.0")],
                           grant_names=[("mail.example.com", True), ("example.org", False)])
    assert decode_ip_security(b) == (
        1, [("10.0.0.0", "255.0.0.0"), ("10.1.2.3", "255.255.255.255"), ("10.9.9.9", "255.255.255.255")],
        [("192.0.2.0", "255.255.255.0")], [("mail.example.com", True), ("example.org", False)], []), \
        decode_ip_security(b)
    assert escape_rdn_value('EVIL&"\'<>') == 'EVIL&\\"\'\\<\\>'
    assert fold("x" * 80, 76) == "x" * 76 + "\n " + "x" * 4
    assert fold("x" * 160, 78) == "x" * 78 + "\n " + "x" * 77 + "\n " + "x" * 5
    sd = encode_sd("S-1-5-32-544", "S-1-5-32-544",
                   grants(SID_ANONYMOUS, [RIGHT_ACCEPT_ANY_RECIPIENT]))
    assert sd[0] == 1 and struct.unpack_from("<I", sd, 16)[0] == 20
    print("gen_directory.py self-test: OK (worked example reproduced byte for byte)")


def parse_extra_domain(text):
    # DN:SID[:enabled|disabled]  (the DN has no ':'; split from the right)
    parts = text.split(":")
    guest = "disabled"
    if parts[-1] in ("enabled", "disabled"):
        guest = parts.pop()
    if len(parts) != 2 or not parts[1].startswith("S-1-"):
        raise argparse.ArgumentTypeError("expected DN:SID[:enabled|disabled], got %r" % text)
    dns_of(parts[0])
    encode_sid(parts[1])
    return (parts[0], parts[1], guest)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", choices=["export", "slapd", "samba"], default="export")
    p.add_argument("--part", choices=["all", "config", "domain"], default="all",
                   help="export target only: configuration NC, domain NC, or both")
    p.add_argument("--base", default="DC=corp,DC=example", help="domain (and forest root) DN")
    p.add_argument("--forest-root", default=None,
                   help="forest root domain DN (configuration and schema NCs live under it); "
                        "default: --base. Set it for a child domain's --part domain export")
    p.add_argument("--domain-sid", default="S-1-5-21-1004336348-1177238915-682003330")
    p.add_argument("--guest", choices=["enabled", "disabled"], default="disabled",
                   help="Guest userAccountControl 66080 (enabled) or 66082 (disabled)")
    p.add_argument("--extra-domain", action="append", default=[], type=parse_extra_domain,
                   metavar="DN:SID[:enabled|disabled]",
                   help="another domain of the forest: a crossRef in the configuration NC "
                        "(slapd target: also its domain head, CN=Users, Administrator, Guest, "
                        "krbtgt; samba target: ignored, Samba refuses a crossRef whose nCName "
                        "does not exist)")
    p.add_argument("--virtual-servers", type=int, default=6)
    p.add_argument("--virtual-servers-per-server", type=int, default=4,
                   help="virtual servers on each Exchange 2000/2003 server (the benchmark: 100, "
                        "10,000 virtual servers on 100 servers as in issue 10)")
    p.add_argument("--receive-connectors", type=int, default=2)
    p.add_argument("--smtp-connectors", type=int, default=1)
    p.add_argument("--mix", choices=["sample", "busy", "safe"], default="sample",
                   help="virtual-server cases: sample (all six cases in turn), busy (every one "
                        "breaks a rule, 1.4 findings each), safe")
    p.add_argument("--hostile", action="store_true",
                   help="export only: one VS with a script-tag name on a server whose DN needs escaping")
    p.add_argument("--include-base", action="store_true",
                   help="slapd target: write the domain head and CN=Users of --base as adds")
    p.add_argument("--samba-no-sd", dest="samba_sd", action="store_false",
                   help="samba target: leave nTSecurityDescriptor out of receive connectors")
    p.add_argument("--ldif-wrap", type=int, default=78,
                   help="fold lines longer than this (ldapsearch 2.5: 78; 0 = never fold)")
    p.add_argument("--self-test", action="store_true")
    args = p.parse_args(argv)
    LDIF_WRAP[0] = args.ldif_wrap
    if args.self_test:
        self_test()
        return 0
    for name in ("virtual_servers", "receive_connectors", "smtp_connectors"):
        if getattr(args, name) < 0:
            p.error("--%s must be >= 0" % name.replace("_", "-"))
    if args.virtual_servers_per_server < 1:
        p.error("--virtual-servers-per-server must be >= 1")
    if args.hostile and args.target != "export":
        p.error("--hostile is for --target export only")
    if args.part != "all" and args.target != "export":
        p.error("--part is for --target export only")
    dns_of(args.base)
    if args.forest_root:
        dns_of(args.forest_root)
        if args.target != "export":
            p.error("--forest-root is for --target export only (slapd/samba: the base is the root)")
    encode_sid(args.domain_sid)
    # Always check the encoder against the worked example before writing anything.
    assert encode_ip_security(grant=[("127.0.0.1", "255.255.255.255")]) == WORKED_EXAMPLE_ONLY_LOCALHOST
    out = sys.stdout
    emit(args, out)
    out.flush()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        sys.exit(1)
