#!/usr/bin/env python3
"""Browser tests of the HTML report (label "browser"): headless Chromium renders a report, and
the DOM after load must hold only what relayaudit writes.

  browser_check.py make-hostile SNAPSHOT_IN SNAPSHOT_OUT   hostile strings in every name and DN
  browser_check.py make-many SNAPSHOT_IN SNAPSHOT_OUT N    N open-relay virtual servers
  browser_check.py dom CHROMIUM REPORT.html WORKDIR        render, dump the DOM, check it
  browser_check.py screenshot CHROMIUM REPORT.html PNG WORKDIR
  browser_check.py print CHROMIUM REPORT.html PDF MOST_PAGES WORKDIR

A check that cannot run fails and says why (no skips)."""
import html.parser
import os
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET

TIMEOUT = 90

# Exactly the elements and attributes the reporter writes. Anything else in the rendered DOM was
# injected (an <img onerror>, a <script>, an event handler, a form...).
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "dl",
    "div", "dt", "dd", "span", "code", "br", "ul", "ol", "li", "main", "p", "section", "table",
    "thead", "tbody", "tfoot", "tr", "th", "td", "a", "article", "time", "footer"}
ALLOWED_ATTRIBUTES = {
    "class", "id", "href", "rel", "lang", "charset", "http-equiv", "content", "name", "scope",
    "colspan", "aria-labelledby"}

HOSTILE = ('<script>document.title="pwned"</script>"><img src=x onerror="document.title=1">'
           '</style><svg onload=alert(1)>\u202eevil\u200f' + "A" * 10000)


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def make_hostile(source, target):
    tree = ET.parse(source)
    count = 0
    for element in tree.iter():
        for attribute in ("name", "dn", "server", "dnsName", "summary", "rootDomainNC"):
            if attribute in element.attrib:
                element.set(attribute, element.get(attribute) + HOSTILE)
                count += 1
    if count == 0:
        fail("no name or DN to make hostile in " + source)
    tree.write(target, encoding="utf-8", xml_declaration=True)


def make_many(source, target, count):
    tree = ET.parse(source)
    exchange = tree.getroot().find("exchange")
    servers = exchange.findall("virtualServer") if exchange is not None else []
    template = next((s for s in servers if s.find("relayList") is not None
                     and s.find("relayList").get("mode") == "all-except-list-below"), None)
    if template is None:
        fail("no open-relay virtual server to copy in " + source)
    for server in servers:
        exchange.remove(server)
    for i in range(count):
        copy = ET.fromstring(ET.tostring(template))
        copy.set("dn", re.sub(r"^CN=\d+,", "CN=%d," % (i + 1), copy.get("dn")).replace(
            "CN=EXCH001,", "CN=EXCH%03d," % (i % 500)))
        copy.set("name", "SMTP Virtual Server #%d" % (i + 1))
        copy.set("server", "EXCH%03d" % (i % 500))
        # Open relay only: no authentication, so each copy gives one finding.
        for flag in ("basicAuth", "integratedAuth", "relayForAuth"):
            copy.set(flag, "false")
        exchange.append(copy)
    tree.write(target, encoding="utf-8", xml_declaration=True)


def chromium(binary, workdir, *arguments):
    os.makedirs(workdir, exist_ok=True)
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-extensions", "--user-data-dir=" + os.path.join(workdir, "profile"),
               *arguments]
    try:
        return subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
    except FileNotFoundError:
        fail("cannot run " + binary + ": install the Debian package chromium (scripts/bootstrap test)")
    except subprocess.TimeoutExpired:
        fail("chromium did not finish within %d s" % TIMEOUT)


class Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.title = None
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))
        self._in_title = tag == "title"
        if self._in_title:
            self.title = ""

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(text):
    collector = Collector()
    collector.feed(text)
    return collector


def check_dom(binary, report, workdir):
    source = open(report, encoding="utf-8").read()
    result = chromium(binary, workdir, "--dump-dom", "file://" + os.path.abspath(report))
    dom = result.stdout.decode("utf-8", "replace")
    if "<body" not in dom:
        fail("chromium gave no DOM (exit %d): %s" % (result.returncode,
                                                    result.stderr.decode()[-2000:]))
    rendered = parse(dom)
    problems = []
    for tag, attributes in rendered.elements:
        if tag not in ALLOWED_TAGS:
            problems.append("element <%s> %s" % (tag, attributes[:3]))
        for name, value in attributes:
            if name not in ALLOWED_ATTRIBUTES:
                problems.append("attribute %s on <%s>" % (name, tag))
            if name == "href" and not re.match(r"^(#[\w-]+|https?://)", value or ""):
                problems.append("link %r" % value)
    expected_title = parse(source).title
    if rendered.title != expected_title:
        problems.append("title changed: %r, written %r" % (rendered.title, expected_title))
    if rendered.title in ("pwned", "1"):  # what the hostile input's scripts would set
        problems.append("the title was set by script")
    if problems:
        fail("%d injected: %s" % (len(problems), "; ".join(problems[:10])))
    print("DOM ok: %d elements, all written by relayaudit; title %r" %
          (len(rendered.elements), rendered.title[:80]))


def check_screenshot(binary, report, png, workdir):
    if os.path.exists(png):
        os.remove(png)
    result = chromium(binary, workdir, "--hide-scrollbars", "--window-size=1280,2400",
                      "--screenshot=" + os.path.abspath(png), "file://" + os.path.abspath(report))
    if not os.path.exists(png):
        fail("no screenshot (exit %d): %s" % (result.returncode, result.stderr.decode()[-2000:]))
    data = open(png, "rb").read()
    if len(data) < 1000 or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        fail("%s is not a PNG of a page (%d bytes)" % (png, len(data)))
    width, height = struct.unpack(">II", data[16:24])
    if width < 100 or height < 100:
        fail("screenshot is %dx%d" % (width, height))
    print("screenshot ok: %s, %dx%d, %d bytes" % (png, width, height, len(data)))


def check_print(binary, report, pdf, most, workdir):
    if os.path.exists(pdf):
        os.remove(pdf)
    result = chromium(binary, workdir, "--no-pdf-header-footer", "--print-to-pdf=" + os.path.abspath(pdf),
                      "file://" + os.path.abspath(report))
    if not os.path.exists(pdf):
        fail("no PDF (exit %d): %s" % (result.returncode, result.stderr.decode()[-2000:]))
    pages = len(re.findall(rb"/Type\s*/Page[^s]", open(pdf, "rb").read()))
    if pages == 0 or pages > most:
        fail("the report prints on %d pages, at most %d expected" % (pages, most))
    print("print ok: %d pages (at most %d)" % (pages, most))


def main(argv):
    if len(argv) < 2:
        fail(__doc__)
    mode = argv[1]
    if mode == "make-hostile" and len(argv) == 4:
        make_hostile(argv[2], argv[3])
    elif mode == "make-many" and len(argv) == 5:
        make_many(argv[2], argv[3], int(argv[4]))
    elif mode == "dom" and len(argv) == 5:
        check_dom(argv[2], argv[3], argv[4])
    elif mode == "print" and len(argv) == 7:
        check_print(argv[2], argv[3], argv[4], int(argv[5]), argv[6])
    elif mode == "screenshot" and len(argv) == 6:
        check_screenshot(argv[2], argv[3], argv[4], argv[5])
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv)
