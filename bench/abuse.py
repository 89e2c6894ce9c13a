"""A sign-in flood against a running `suiji serve` (loopback only), for BENCHMARKS.md's abuse
section: failed sign-ins of several kinds, huge user names, and 40 guesses at once with the
right password among them. Prints what each answered; the caller measures the database.

    python3 bench/abuse.py http://127.0.0.1:8090 2000
"""
import concurrent.futures, re, sys, time, urllib.error, urllib.parse, urllib.request

base, count = sys.argv[1], int(sys.argv[2])


def attempt(username, password, forwarded=None):
    """One sign-in through the form, as a browser makes it: its cookie and CSRF token first."""
    jar = urllib.request.HTTPCookieProcessor()
    opener = urllib.request.build_opener(jar, NoRedirect)
    page = opener.open(base + "/login").read().decode()
    csrf = re.search(r'name="csrf" value="([^"]*)"', page).group(1)
    body = urllib.parse.urlencode({"username": username, "password": password, "csrf": csrf}).encode()
    req = urllib.request.Request(base + "/login", data=body)
    if forwarded:
        req.add_header("X-Forwarded-For", forwarded)
    try:
        return opener.open(req).status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, ConnectionError):
        # The server answered 413 and closed before the body was all sent.
        return "closed early"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def tally(results):
    out = {}
    for r in results:
        out[r] = out.get(r, 0) + 1
    return dict(sorted(out.items(), key=str))


start = time.time()
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    kinds = [
        ("unknown names", lambda i: attempt(f"nobody{i:06d}", "wrong password")),
        ("wrong password, one account", lambda i: attempt("supervisor", f"guess {i}")),
        ("60-character unknown names", lambda i: attempt("x" * 50 + f"{i:010d}", "wrong password")),
    ]
    for name, fn in kinds:
        results = list(pool.map(fn, range(count)))
        print(f"{count} sign-ins, {name}: {tally(results)}")
    results = list(pool.map(lambda _: attempt("a" * (4 << 20), "x"), range(5)))
    print(f"5 sign-ins with 4 MiB user names: {tally(results)}")
print(f"flood took {time.time() - start:.1f} s")

# 40 guesses at the organizer's account at once, from 40 addresses (as a trusted proxy would
# forward them), the right password the last: how many were checked, did it get in.
with concurrent.futures.ThreadPoolExecutor(40) as pool:
    guesses = [f"guess {i}" for i in range(39)] + ["organizer-demo-2026"]
    results = list(pool.map(lambda p: attempt("organizer", p[1], f"198.51.100.{p[0]}"), enumerate(guesses)))
print(f"40 parallel guesses, right password last: {tally(results)} (303 = signed in, 401 = checked and wrong, 429 = refused unchecked)")
