"""Each page's drawn HTML kept between development builds, beside the page cache
(page_cache.py), so an edit to one page draws that page again and copies the others.

A drawn page depends on its own attributes, on what its template shows of the other pages
(their titles, addresses, languages, summaries, dates: the navigation, footer, language
links, lists and {filename} links) and on the global inputs. Its key is made of all three:
the page's whole state, a digest of every page's state except what only the page itself
shows (its body, outline, references), the template, output name and the other values it
is drawn with (the pages a list shows, named), and the page cache's global key. A list
page (home, category, archive) has no state of its own: its key is the rest, and one entry
holds every file of its pagination. A drawing's log lines (Pelican's warnings about links
while drawing it) are kept and given again, so a problem still fails every build.

Feeds, and every page when a `content_written` listener must see it drawn, are drawn every
time.
"""

from __future__ import annotations

import hashlib
import logging
import os

from pelican import signals
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import Writer

from . import page_cache

log = logging.getLogger(__name__)

FORMAT = "medical_content render cache 2"
# What one page alone shows of itself; other pages show its title, address, dates, summary.
OWN_ONLY = {"_content", "outline", "references"}
SKIPPED = {"_context", "settings"}  # the whole site and the settings: in the global key


def _value(value) -> str:
    kind = type(value)  # the common kinds first: this runs for every value of every page
    if kind is str or isinstance(value, str):
        return f"{len(value)}:{value}"  # unambiguous, and cheaper than repr() on a long body
    if kind is list or kind is tuple or isinstance(value, (list, tuple)):
        return "[" + ",".join([_value(v) for v in value]) + "]"
    if kind is dict or isinstance(value, dict):
        return "{" + ",".join([f"{k!r}:{_value(v)}" for k, v in sorted(value.items(), key=_first_as_text)]) + "}"
    if kind in _SIMPLE:
        return repr(value)
    if hasattr(value, "source_path") and hasattr(value, "metadata"):
        return f"<content {value.source_path}>"  # another page: named, its state is in the digest
    if isinstance(value, URLWrapper):
        return f"<{type(value).__name__} {value.name} {value.slug}>"
    return page_cache.canonical(value)


_SIMPLE = {int, float, bool, type(None)}


def _first_as_text(item) -> str:
    return str(item[0])


def _named(value) -> bool:
    """True when `_value` gives `value` a text of its own: plain values, pages, categories and
    tags, and lists and dicts of them. Anything else (an object that prints as its type) would
    make one key for different drawings, so such a drawing is not kept."""
    if isinstance(value, (list, tuple)):
        return all(_named(v) for v in value)
    if isinstance(value, dict):
        return all(_named(k) and _named(v) for k, v in value.items())
    return (isinstance(value, (*page_cache.PLAIN, URLWrapper))
            or (hasattr(value, "source_path") and hasattr(value, "metadata")))


def fingerprint(content) -> str:
    """What other pages may show of this page (its state but its body and what comes of it)."""
    state = {k: v for k, v in getattr(content, "__dict__", {}).items() if k not in SKIPPED and k not in OWN_ONLY}
    state["type"] = type(content).__qualname__
    state["url"], state["save_as"] = getattr(content, "url", None), getattr(content, "save_as", None)
    return _value(state)


def own_fingerprint(content) -> str:
    """The rest of the page's state: only the page itself shows it."""
    return _value({k: getattr(content, k) for k in sorted(OWN_ONLY) if hasattr(content, k)})


class RenderCache:
    def __init__(self, cache: page_cache.PageCache):
        self.cache = cache
        self.site_digest: str | None = None
        self.copied = self.drawn = 0  # drawings taken from the cache, and made in this build

    def digest_of_site(self, context: dict, environment) -> str:
        if self.site_digest is None:
            digest = hashlib.sha256(self.cache.global_key.encode())
            for path, content in sorted(context.get("generated_content", {}).items()):
                digest.update(f"{path}\n{fingerprint(content)}\n".encode())
            for path, static in sorted(context.get("static_content", {}).items()):
                digest.update(f"{path} {static.url}\n".encode())
            digest.update(_value({k: v for k, v in environment.globals.items()}).encode())
            self.site_digest = digest.hexdigest()
        return self.site_digest

    def key(self, template, context, content, drawn_with: list) -> str:
        """The key of one drawing: `content` is the page drawn (None for a list page),
        `drawn_with` the output name and every other value the writer was given."""
        digest = hashlib.sha256(FORMAT.encode())
        digest.update(self.digest_of_site(context, template.environment).encode())
        digest.update(_value([template.name, template.filename, *drawn_with]).encode())
        if content is not None:
            digest.update(f"{content.source_path}\n{own_fingerprint(content)}".encode())
        return "render-" + digest.hexdigest()


_render_cache: RenderCache | None = None


def start(cache: page_cache.PageCache | None) -> None:
    global _render_cache
    _render_cache = RenderCache(cache) if cache is not None else None


class CachingWriter(Writer):
    """Pelican's writer; a page or list with a kept drawing is copied instead of drawn."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._folders_made: set[str] = set()  # a thousand pages share a few dozen folders

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        cache = _render_cache
        content = kwargs.get("article") or kwargs.get("page")
        others = {k: v for k, v in kwargs.items() if v is not content}
        if cache is None or not name or signals.content_written.receivers or not _named([paginated, url, others]):
            if cache is not None and name:
                cache.drawn += 1
            return super().write_file(name, template, context, relative_urls, paginated,
                                      template_name, override_output, url, **kwargs)
        key = cache.key(template, context, content, [name, relative_urls, paginated, template_name,
                                                     override_output, url, others])
        entry = cache.cache._load(key)
        if entry is not None:
            cache.cache.used.add(key)
            for relative, html in entry["files"]:
                path = sanitised_join(self.output_path, relative)
                self._make_folder(os.path.dirname(path))
                with self._open_w(path, "utf-8", override=override_output) as file:
                    file.write(html)
            page_cache.replay(entry["log"])
            cache.copied += 1
            return None
        cache.drawn += 1
        written_before = set(self._written_files)
        recorder = page_cache.WorkRecorder()
        recorder.setLevel(logging.WARNING)
        logging.getLogger().addHandler(recorder)
        try:
            result = super().write_file(name, template, context, relative_urls, paginated,
                                        template_name, override_output, url, **kwargs)
        finally:
            logging.getLogger().removeHandler(recorder)
        files = []
        for path in sorted(self._written_files - written_before):
            if path == os.devnull:
                continue  # a write Pelican skipped: another drawing overrides this file
            try:
                with open(path, encoding="utf-8") as file:
                    files.append((os.path.relpath(path, self.output_path), file.read()))
            except OSError:
                return result  # not kept: drawn again next time
        cache.cache.write_entry(key, {"format": page_cache.FORMAT, "key": key, "files": files,
                                      "log": recorder.lines})
        return result

    def _make_folder(self, folder: str) -> None:
        if folder not in self._folders_made:
            os.makedirs(folder, exist_ok=True)
            self._folders_made.add(folder)


def report() -> None:
    """One line for the build's report: what the cache gave, and what was done again."""
    if _render_cache is None:
        return
    pages, drawings = _render_cache.cache, _render_cache
    log.info("The page cache gave %d of %d pages and %d of %d drawings; the rest were read or drawn again",
             pages.given, pages.given + pages.redone, drawings.copied, drawings.copied + drawings.drawn,
             extra={"report": True})


def get_writer(pelican_object):
    return CachingWriter if _render_cache is not None else None
