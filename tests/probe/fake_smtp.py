#!/usr/bin/env python3
"""Loopback-only scripted SMTP stub for the relay-probe tests.

usage: fake_smtp.py PORT MODE LOG
MODE: open | closed554 | closed454 | tls-required | auth-required | accept-any-auth |
      silent | noaccept | banner421 | banner554 | hang-ehlo | close-rcpt | flood
Prints the bound port, then serves one connection at a time. Every line a client sends is
appended to LOG as it arrives, so a test can prove what the probe sent. DATA and BDAT are
always refused: nothing can be delivered even if a client tried."""
import socket, sys, time

port, mode, log_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(16)
print(srv.getsockname()[1], flush=True)
if mode == "noaccept":
    while True:
        time.sleep(3600)


def log(text):
    with open(log_path, "a") as f:
        f.write(text + "\n")


def serve(c):
    f = c.makefile("rb")
    send = lambda s: c.sendall(s.encode() + b"\r\n")
    log("CONNECT")
    if mode == "silent":
        time.sleep(3600)
        return
    if mode == "banner421":
        send("421 4.3.2 Service not available")
        return
    if mode == "flood":
        while True:
            send("220-" + "x" * 500)
    send("554 5.7.1 No SMTP service here" if mode == "banner554" else "220 fake.invalid ESMTP stub")
    authenticated = False
    for line in f:
        cmd = line.decode(errors="replace").strip()
        log(cmd)
        up = cmd.upper()
        if up.startswith("QUIT"):
            send("221 2.0.0 Bye")
            return
        if mode == "banner554":
            send("503 5.5.1 No SMTP service")
        elif up.startswith(("DATA", "BDAT")):
            send("554 5.7.1 Data command rejected: Access denied")
        elif up.startswith(("EHLO", "HELO")):
            if mode == "hang-ehlo":
                time.sleep(3600)
                return
            ext = ["PIPELINING", "SIZE 10240000"]
            if mode == "tls-required":
                ext.append("STARTTLS")
            if mode in ("auth-required", "accept-any-auth"):
                ext.append("AUTH PLAIN LOGIN")
            lines = ["fake.invalid"] + ext
            send("\r\n".join("250-" + l for l in lines[:-1]) + "\r\n250 " + lines[-1])
        elif up.startswith("AUTH"):
            authenticated = True
            send("235 2.7.0 Authentication successful")
        elif up.startswith("MAIL"):
            if mode == "tls-required":
                send("530 5.7.0 Must issue a STARTTLS command first")
            else:
                send("250 2.1.0 Ok")
        elif up.startswith("RCPT"):
            if mode == "close-rcpt":
                return
            if mode == "open" or authenticated:
                send("250 2.1.5 Ok")
            elif mode == "closed454":
                send("454 4.7.1 <x>: Relay access denied")
            elif mode == "auth-required":
                send("530 5.7.0 <x>: Recipient address rejected: Authentication required")
            else:
                send("554 5.7.1 <x>: Relay access denied")
        elif up.startswith("RSET"):
            authenticated = authenticated
            send("250 2.0.0 Ok")
        else:
            send("502 5.5.2 Not implemented")


while True:
    c, _ = srv.accept()
    try:
        serve(c)
    except OSError:
        pass
    finally:
        c.close()
