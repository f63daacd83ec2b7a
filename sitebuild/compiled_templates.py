"""Each theme template compiled once per process, not once per template environment.

Pelican makes a Jinja environment for each of its generators, and the plugin one for each
language; each compiled every template it loaded (76 compilations of 34 templates, a quarter
of the real site's build, and again in the next build of the live preview or the tests).

`CompiledTemplates` is a Jinja bytecode cache (Jinja's public extension point, given to every
environment through JINJA_ENVIRONMENT) kept in memory only: no file, so nothing can be planted
to run. A compiled template is reused only for the same template name, file and source, and
an environment that compiles it to the same code: the same syntax options, extensions (and
the i18n extension's style), policies, escaping and finalizing, and the same filters and
tests, each by the function it is (its module and name: a filter decides at compile time how
it is called)."""

from __future__ import annotations

from collections import OrderedDict

import jinja2
from jinja2.bccache import Bucket

LARGEST = 1000  # compiled templates kept: the theme has about 40; an edited one is compiled anew


def _named(function) -> str | None:
    if function is None or isinstance(function, bool):
        return function
    return f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', type(function).__qualname__)}"


def _plain(value):
    """A policy's value as a key: functions by name, tables and lists as tuples."""
    if callable(value):
        return _named(value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_plain(v) for v in value)
    return value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)


def compiles_as(environment: jinja2.Environment) -> tuple:
    """What of an environment decides the code a template compiles to."""
    return (
        environment.block_start_string, environment.block_end_string,
        environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix,
        environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
        environment.keep_trailing_newline, environment.optimized, environment.is_async,
        environment.sandboxed, tuple(sorted(environment.extensions)),
        getattr(environment, "newstyle_gettext", None),  # set by the i18n extension: how {% trans %} compiles
        _plain(environment.policies),
        _named(environment.autoescape), _named(environment.finalize),
        tuple(sorted((name, _named(f)) for name, f in environment.filters.items())),
        tuple(sorted((name, _named(f)) for name, f in environment.tests.items())),
    )


class CompiledTemplates(jinja2.BytecodeCache):
    def __init__(self, largest: int = LARGEST):
        self.largest = largest
        self.codes: OrderedDict[tuple, object] = OrderedDict()

    @staticmethod
    def _key(bucket: Bucket) -> tuple:
        return bucket.key, bucket.checksum, compiles_as(bucket.environment)

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.codes.get(self._key(bucket))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[self._key(bucket)] = bucket.code
        while len(self.codes) > self.largest:
            self.codes.popitem(last=False)

    def clear(self) -> None:
        self.codes.clear()

    def __repr__(self) -> str:
        # What a settings digest sees: the cache changes no page (plugins/medical_content/cache.py)
        return "CompiledTemplates()"


SHARED = CompiledTemplates()  # the process's: every build's environments, one after another
