#!/usr/bin/python3
# test-report-check.py: independent readers for tests/test-report.c.
#
#   test-report-check.py csv FILE SEPARATOR
#       Reads FILE with Python's csv module (UTF-8, strict, RFC 4180 quoting)
#       and prints its rows as one JSON array of arrays of strings.
#   test-report-check.py html FILE EXPECTED.json
#       Parses FILE with html5lib in strict mode (any parse error fails), then
#       checks it is harmless: no script, no event handler, no URL to fetch,
#       only the elements a report uses, no control or bidi character in its
#       text; and that every string of EXPECTED.json (a JSON array) shows in
#       its text, as text. Prints "ok", or what is wrong and exits 1.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import csv
import io
import json
import re
import sys

ALLOWED = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "dl", "dt", "dd", "main",
    "section", "table", "thead", "tbody", "tr", "th", "td", "p", "figure", "figcaption", "footer",
    "svg", "rect", "line", "text", "wbr",
}
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")


def read_csv(path, separator):
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"\xef\xbb\xbf"):
        raise SystemExit("no UTF-8 byte order mark")
    text = data.decode("utf-8-sig", errors="strict")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True))
    json.dump(rows, sys.stdout)


def local_name(tag):
    return tag.split("}", 1)[-1] if tag.startswith("{") else tag


def check_html(path, expected_path):
    import html5lib

    with open(path, "rb") as f:
        data = f.read()
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    problems = []
    if re.search(rb"<\s*script", data, re.I):
        problems.append("a <script> in the bytes")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        tree = parser.parse(data)
    except Exception as e:  # html5lib.html5parser.ParseError, with the position
        print("HTML5 parse error: %s %s" % (e, parser.errors[:3]))
        return 1
    for element in tree.iter():
        name = local_name(element.tag) if isinstance(element.tag, str) else None
        if name is None:
            continue
        if name not in ALLOWED:
            problems.append("unexpected element <%s>" % name)
        for attribute, value in element.attrib.items():
            attribute = local_name(attribute).lower()
            if attribute.startswith("on"):
                problems.append("event handler %s on <%s>" % (attribute, name))
            if attribute in ("src", "href", "xlink:href", "action", "formaction", "srcset", "data"):
                problems.append("%s=%r on <%s>" % (attribute, value, name))
            if re.search(r"(https?:|javascript:|url\()", value, re.I) and not (
                    name == "meta" and attribute == "content"):
                problems.append("a URL in %s=%r" % (attribute, value))
    style = "".join(e.text or "" for e in tree.iter() if isinstance(e.tag, str) and local_name(e.tag) == "style")
    if re.search(r"(url\(|@import|https?:)", style, re.I):
        problems.append("the style fetches something")
    text = "".join(tree.itertext())  # in document order, <wbr> and all
    for match in UNSAFE.finditer(text):
        problems.append("unsafe character U+%04X in the text" % ord(match.group()))
    for string in expected:
        if string not in text:
            problems.append("missing from the text: %r" % string)
    if problems:
        print("\n".join(problems[:20]))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "csv":
        read_csv(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "html":
        sys.exit(check_html(sys.argv[2], sys.argv[3]))
    else:
        sys.exit("usage: test-report-check.py csv FILE SEPARATOR | html FILE EXPECTED.json")
