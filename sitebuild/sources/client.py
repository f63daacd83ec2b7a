"""A polite HTTP client for `invoke sources`: one request at a time, a pause between requests
to the same host, a timeout, retries with back-off (Retry-After honoured), redirects followed
by hand so each hop is seen, and answers kept for a day in a JSON cache (ETag revalidation).

Only the standard library (urllib.request). No pickles, no symlinks followed: see cache.py.
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from .cache import Cache

RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CACHED_STATUSES = {200, 404, 410}  # definite answers; a 429 or a 503 is asked again next time
MAX_BODY = 8 * 1024 * 1024
# Seconds between two requests to one host. Crossref's public pool allows 5 requests a second
# with one at a time; NCBI's E-utilities 3 a second without an API key. Other sites: one.
DEFAULT_INTERVALS = {"api.crossref.org": 0.25, "eutils.ncbi.nlm.nih.gov": 0.4,
                     "pmc.ncbi.nlm.nih.gov": 0.4, "www.ncbi.nlm.nih.gov": 0.4}
OTHER_HOSTS_INTERVAL = 1.0


class NetworkError(Exception):
    """No answer at all: offline, a name that does not resolve, refused, or timed out."""


@dataclass
class Answer:
    status: int
    url: str  # the final address, after redirects
    body: str = ""
    headers: dict = field(default_factory=dict)
    redirects: list = field(default_factory=list)  # [(status, from address), ...] in order
    from_cache: bool = False

    @property
    def moved_permanently(self) -> bool:
        return any(status in (301, 308) for status, _ in self.redirects)


class _Unreachable(NetworkError):
    """Nothing at that name or port: asking again in a second will not help."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects come back as answers, so the client sees and records each hop."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, from a number of seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Client:
    def __init__(self, user_agent: str, cache: Cache | None = None, timeout: float = 20.0,
                 retries: int = 3, backoff: float = 2.0, max_wait: float = 120.0,
                 intervals: dict | None = None, other_interval: float = OTHER_HOSTS_INTERVAL,
                 sleep=time.sleep, max_redirects: int = 10):
        self.user_agent = user_agent
        self.cache = cache
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.intervals = {**DEFAULT_INTERVALS, **(intervals or {})}
        self.other_interval = other_interval
        self.sleep = sleep  # injected, so a caller may count the waits
        self.max_redirects = max_redirects
        self.last_request: dict[str, float] = {}  # host -> monotonic time of its last request
        self.unreachable: dict[str, str] = {}  # host -> why: not asked again in this run
        self.waits: list[float] = []  # every pause taken for a retry, in seconds
        self.requests = 0  # requests actually sent
        self.opener = urllib.request.build_opener(_NoRedirects())

    def get(self, url: str, accept: str = "application/json", keep_body: bool = True) -> Answer:
        """The answer for `url` after redirects; from the cache while it is fresh. Raises
        NetworkError when no server answered."""
        redirects = []
        current = url
        for _ in range(self.max_redirects + 1):
            answer = self._get_one(current, accept, keep_body)
            if answer.status not in REDIRECT_STATUSES:
                answer.redirects = redirects
                answer.url = current
                return answer
            location = answer.headers.get("location", "")
            target = urljoin(current, location)
            if not location or urlsplit(target).scheme not in ("http", "https"):
                answer.redirects = redirects
                return answer
            redirects.append((answer.status, current))
            current = target
        raise NetworkError(f"more than {self.max_redirects} redirects")

    def _get_one(self, url: str, accept: str, keep_body: bool) -> Answer:
        cached = self.cache.get(url) if self.cache else None
        if cached is not None and cached.fresh:
            return Answer(cached.status, url, cached.body, cached.headers, from_cache=True)
        headers = {"User-Agent": self.user_agent, "Accept": accept}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        answer = self._send(url, headers, keep_body)
        if answer.status == 304 and cached is not None:
            self.cache.touch(url, cached)
            return Answer(cached.status, url, cached.body, cached.headers, from_cache=True)
        if self.cache and answer.status in CACHED_STATUSES | REDIRECT_STATUSES:
            self.cache.put(url, answer.status, answer.body, answer.headers)
        return answer

    def _send(self, url: str, headers: dict, keep_body: bool) -> Answer:
        host = urlsplit(url).hostname or ""
        if host in self.unreachable:
            raise NetworkError(self.unreachable[host])
        for attempt in range(self.retries + 1):
            self._pause_for(host)
            self.requests += 1
            try:
                answer = self._request(url, headers, keep_body)
            except _Unreachable as error:
                self.unreachable[host] = str(error)
                raise NetworkError(str(error)) from None
            except NetworkError:
                if attempt == self.retries:
                    raise
                self._wait(self.backoff * 2 ** attempt)
                continue
            if answer.status not in RETRY_STATUSES or attempt == self.retries:
                return answer
            wait = _retry_after(answer.headers.get("retry-after"))
            self._wait(wait if wait is not None else self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def _request(self, url: str, headers: dict, keep_body: bool) -> Answer:
        request = urllib.request.Request(url, headers=headers, method="GET")
        try:
            response = self.opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:  # an answer all the same: 3xx, 4xx, 5xx
            response = error
        except urllib.error.URLError as error:
            reason = error.reason
            host = urlsplit(url).hostname
            if isinstance(reason, socket.gaierror):
                raise _Unreachable(f"cannot reach {host}: the name is not found (offline?)") from None
            if isinstance(reason, ConnectionRefusedError):
                raise _Unreachable(f"cannot reach {host}: the connection is refused") from None
            raise NetworkError(f"no answer: {reason}") from None
        except (TimeoutError, socket.timeout):
            raise NetworkError(f"no answer within {self.timeout:g} s") from None
        except (ConnectionError, http.client.HTTPException, OSError) as error:
            raise NetworkError(f"the connection failed: {error}") from None
        with response:
            try:
                body = response.read(MAX_BODY) if keep_body else b""
            except (TimeoutError, socket.timeout):
                raise NetworkError(f"no answer within {self.timeout:g} s") from None
            except (ConnectionError, http.client.HTTPException, OSError) as error:
                raise NetworkError(f"the connection failed: {error}") from None
            charset = response.headers.get_content_charset() or "utf-8"
            names = ("etag", "location", "retry-after", "content-type")
            kept = {n: response.headers[n] for n in names if response.headers.get(n)}
            return Answer(response.getcode(), url, body.decode(charset, "replace"), kept)

    def _pause_for(self, host: str) -> None:
        interval = self.intervals.get(host, self.other_interval)
        last = self.last_request.get(host)
        if last is not None:
            gap = time.monotonic() - last
            if gap < interval:
                self.sleep(interval - gap)
        self.last_request[host] = time.monotonic()

    def _wait(self, seconds: float) -> None:
        seconds = min(max(seconds, 0.0), self.max_wait)
        self.waits.append(seconds)
        self.sleep(seconds)
