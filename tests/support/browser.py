#!/usr/bin/env python3
"""A `$BROWSER` stand-in for the OAuth tests (Python 3.11 standard library only).

`browser.py URL` behaves like a person who logs in and approves: it follows redirects by
hand (so it can stop) with a cookie jar, fills and submits the first form of any page that
has one (username from $SIM_USER, password from $SIM_PASSWORD, hidden inputs and the first
submit button included), and so reaches the loopback callback, whose listener's 303 it
follows to the final page. It then exits 0. Works against the simulated org's login form
and against a plain redirect chain (e.g. oidc-provider set to auto-approve).

$BROWSER_BUTTON=VALUE presses the submit button with that value instead of the first (e.g.
`deny` on the simulated org's consent form: a person clicking Deny).

Bounded: 20 hops, 10 s per request, 5 form submissions. $BROWSER_LOG=path appends one
line per URL requested, so a test can assert the path taken. Exit 1 (with a reason on
stderr) only when it could not get anywhere: too many hops, or a network error before
any callback was delivered.
"""

import html.parser
import http.cookiejar
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

MAX_HOPS = 20
TIMEOUT_SECONDS = 10
MAX_FORMS = 5
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to us instead of following it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class _FirstForm(html.parser.HTMLParser):
    """Collects the first <form>: action, method, fields and its first submit button."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = False
        self.done = False
        self.action = ""
        self.method = "get"
        self.fields = []  # (name, type, value)
        self.submit = None  # (name, value) of the first named submit button

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and not self.found:
            self.found = True
            self.action = a.get("action", "")
            self.method = a.get("method", "get").lower()
        elif self.found and tag == "input":
            kind = a.get("type", "text").lower()
            name = a.get("name")
            if kind in ("submit", "image"):
                self._offer(name, a.get("value", ""))
            elif name and kind not in ("button", "reset", "file", "checkbox", "radio"):
                self.fields.append((name, kind, a.get("value", "")))
            elif name and kind in ("checkbox", "radio") and "checked" in a:
                self.fields.append((name, kind, a.get("value", "on")))
        elif self.found and tag == "button":
            kind = a.get("type", "submit").lower()
            if kind == "submit":
                self._offer(a.get("name"), a.get("value", ""))

    def _offer(self, name, value):
        """A named submit button: the first one, unless $BROWSER_BUTTON names another."""
        wanted = os.environ.get("BROWSER_BUTTON")
        chosen = self.submit is not None and wanted and self.submit[1] == wanted
        if name and (self.submit is None or (value == wanted and not chosen)):
            self.submit = (name, value)

    def handle_endtag(self, tag):
        if tag == "form" and self.found:
            self.done = True


def _fill(fields):
    """The form's values, with the login fields filled in."""
    user = os.environ.get("SIM_USER", "admin@webex-demo.example")
    password = os.environ.get("SIM_PASSWORD", "any-password")
    pairs = []
    for name, kind, value in fields:
        lowered = name.lower()
        if kind == "password":
            value = password
        elif kind in ("text", "email") and not value and any(
            hint in lowered for hint in ("user", "login", "email")
        ):
            value = user
        pairs.append((name, value))
    return pairs


def _log(url):
    path = os.environ.get("BROWSER_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(url + "\n")


def _is_callback(url):
    """A loopback URL carrying an OAuth answer: the CLI's listener."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query)
    return parts.hostname in LOOPBACK_HOSTS and ("code" in query or "error" in query)


def browse(start):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    url, data, forms, delivered = start, None, 0, False
    for _ in range(MAX_HOPS):
        _log(url)
        request = urllib.request.Request(url, data=data, headers={"User-Agent": "sf-webex-setup-test-browser"})
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        delivered = delivered or _is_callback(url)
        try:
            response = opener.open(request, timeout=TIMEOUT_SECONDS)
            status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as e:  # 3xx (not followed), 4xx, 5xx
            status, headers, body = e.code, e.headers, e.read()
        except (urllib.error.URLError, OSError) as e:
            if delivered:
                return 0  # the listener got its callback and has already gone away
            print(f"browser.py: cannot reach {url}: {e}", file=sys.stderr)
            return 1
        location = headers.get("Location")
        if 300 <= status < 400 and location:
            url, data = urllib.parse.urljoin(url, location), None
            continue
        ctype = headers.get("Content-Type", "")
        if "html" not in ctype or forms >= MAX_FORMS:
            return 0
        form = _FirstForm()
        form.feed(body.decode("utf-8", "replace"))
        if not form.found:
            return 0  # a final page: success, failure or an error page
        forms += 1
        pairs = _fill(form.fields)
        if form.submit:
            pairs.append(form.submit)
        encoded = urllib.parse.urlencode(pairs)
        target = urllib.parse.urljoin(url, form.action or url)
        if form.method == "post":
            url, data = target, encoded.encode("ascii")
        else:
            url, data = target.split("?", 1)[0] + "?" + encoded, None
    print(f"browser.py: gave up after {MAX_HOPS} hops at {url}", file=sys.stderr)
    return 1


def main(argv):
    if len(argv) != 2:
        print("usage: browser.py URL", file=sys.stderr)
        return 2
    try:
        return browse(argv[1])
    except Exception as e:  # never leave a traceback in the CLI's terminal
        print(f"browser.py: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
