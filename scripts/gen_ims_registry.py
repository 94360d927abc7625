#!/usr/bin/env python3
"""Writes the Exchange 5.5 IMS sample exports samples/ims/*.reg the way regedit does
(docs/exchange-relay-facts.md section 6): REGEDIT4 in Windows-1252 with CRLF, or
"Windows Registry Editor Version 5.00" in UTF-16LE with a byte-order mark; REG_MULTI_SZ as
hex(7) (ANSI bytes in REGEDIT4, as NT4's regedit wrote them; UTF-16LE in 5.00), hex data wrapped
at 80 columns with a trailing backslash and two-space indented continuation lines.
Deterministic: the same files every run.  Usage: gen_ims_registry.py OUTDIR"""
import os
import sys

KEY = r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\MSExchangeIMC"


def quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hex_value(name, type_tag, data):
    """regedit's layout: wrap before column 80, continuation lines indented by two spaces."""
    head = quoted(name) + "=" + type_tag + ":"
    lines, line = [], head
    for i, byte in enumerate(data):
        token = "%02x" % byte + ("," if i + 1 < len(data) else "")
        if len(line) + len(token) > 77:
            lines.append(line + "\\")
            line = "  "
        line += token
    lines.append(line)
    return lines


def multi_sz(strings, utf16):
    text = "".join(s + "\0" for s in strings) + "\0"
    return text.encode("utf-16-le" if utf16 else "cp1252")


def export(version5, values, comment):
    utf16 = version5
    lines = ["Windows Registry Editor Version 5.00" if version5 else "REGEDIT4", ""]
    lines += ["; " + c for c in comment] + [""]
    lines += ["[" + KEY + "]", quoted("DisplayName") + "=" + quoted("Microsoft Exchange Internet Mail Service"), ""]
    lines.append("[" + KEY + "\\Parameters]")
    for name, kind, value in values:
        if kind == "sz":
            lines.append(quoted(name) + "=" + quoted(value))
        elif kind == "dword":
            lines.append(quoted(name) + "=dword:%08x" % value)
        elif kind == "multi":
            lines += hex_value(name, "hex(7)", multi_sz(value, utf16))
    lines += ["", "[" + KEY + "\\Parameters\\Queue]", quoted("RetryInterval") + "=" + quoted("0.25,0.5,1,2"), ""]
    text = "\r\n".join(lines) + "\r\n"
    return b"\xff\xfe" + text.encode("utf-16-le") if version5 else text.encode("cp1252")


def common(server):
    return [
        ("ServerName", "sz", server),
        ("Description", "sz", "Internet-Gateway für Außenstellen"),
        ("MaxInboundConnections", "dword", 20),
    ]

SAMPLES = {
    # Only the deny-list bit: every client that is not denied may relay (IMS-RELAY-OPEN).
    "exch55-open.reg": (False, common("EXCH55") + [
        ("RelayFlags", "dword", 0x1),
        ("RelayDenyList", "multi", ["192.0.2.0;255.255.255.0", "198.51.100.7"]),
        ("RelayAllowList", "multi", ["10.0.0.0;255.0.0.0"]),
    ], ["Exported with regedit (REGEDIT4) from EXCH55: relay restricted by a deny list only."]),
    # Allow list of one host and a /28, plus relay for authenticated clients.
    "exch56-restricted.reg": (True, common("EXCH56") + [
        ("RelayFlags", "dword", 0x2 | 0x8),
        ("RelayAllowList", "multi", ["10.1.2.25", "10.1.2.32;255.255.255.240", "10.1.2.77;255.255.255.255"]),
        ("RelayLocalIPList", "multi", []),
    ], ["Exported with reg export from EXCH56: allow list and authenticated clients."]),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "samples", "ims")
    os.makedirs(out, exist_ok=True)
    for name, (version5, values, comment) in SAMPLES.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(export(version5, values, comment))
        print("wrote", os.path.join(out, name))


if __name__ == "__main__":
    main()
