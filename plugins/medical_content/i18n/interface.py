"""Interface text in each language: gettext catalogs managed with Babel.

The theme's templates mark every string readers see with `_()` or `{% trans %}`. Babel
extracts them (babel.cfg) into theme/translations/messages.pot; each language has its own
catalog, theme/translations/<lang>/LC_MESSAGES/messages.po. The build compiles the .po in
memory at start-up (no binary .mo in the repository, so a build is reproducible from the
text alone). `invoke translations` re-extracts and updates the catalogs (README).

Which language a template draws in comes from its `page_lang` variable: article.html and
page.html set it from the page's `Lang`, the pages the language_pages module writes pass it,
and the global default is the site's DEFAULT_LANG.
"""

from __future__ import annotations

import gettext as gettext_module
import html
import io
import re
from pathlib import Path

from jinja2 import pass_context

ROOT = Path(__file__).resolve().parents[3]
CATALOG_DOMAIN = "messages"
# Names of the languages in their own language, for the language switch.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
# og:locale wants a territory; our Spanish readers are in the United States first.
OPEN_GRAPH_LOCALES = {"en": "en_US", "es": "es_US"}


def N_(message: str) -> str:
    """Marks a string in Python for extraction; the translation is looked up where it is shown."""
    return message


# Interface text that lives in Python (the content schema), not in a template: marked here so
# that extraction finds it. tests/test_i18n.py checks that this list covers the schema.
PYTHON_STRINGS = (
    N_("Guides"),
    N_("Conditions"),
    N_("Pages"),
    N_("Key points"),
    N_("Important"),
    N_("Get medical help now if"),
    N_("Risks and side effects"),
    N_("Regulatory status"),
    N_("Questions to ask"),
    N_("What the studies show"),
    N_("Other treatments to discuss"),
)
# What a screen reader says before a citation's number (markup.resolve_citations).
CITATION_LABEL = N_("reference")


def address_prefix(lang: str, default: str) -> str:
    """How the addresses of pages in `lang` begin: nothing for the site's own language,
    "es/" for Spanish (es/index.html, es/guides/...)."""
    return "" if lang == default else f"{lang}/"


def catalog_path(theme: str | Path, lang: str) -> Path:
    return Path(theme) / "translations" / lang / "LC_MESSAGES" / f"{CATALOG_DOMAIN}.po"


def load(theme: str | Path, languages, default_lang: str):
    """{lang: gettext translations} for every site language; the default language has none.
    Returns (translations, problems)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    found, problems = {}, []
    for lang in languages:
        if lang == default_lang:
            found[lang] = gettext_module.NullTranslations()
            continue
        path = catalog_path(theme, lang)
        try:
            with path.open("rb") as po:
                # Babel passes over a line it cannot read with a message on the console: here
                # it is an error, named with its line
                catalog = read_po(po, locale=lang, abort_invalid=True)
        except PoFileError as error:
            problems.append(f"{path}: line {error.lineno}: the catalog cannot be read there ({error}); each message "
                            "is a msgid line and a msgstr line, each text in double quotes")
            found[lang] = gettext_module.NullTranslations()
            continue
        except FileNotFoundError:
            problems.append(
                f"{path}: the interface catalog for '{lang}' is missing; run `invoke translations`"
            )
            found[lang] = gettext_module.NullTranslations()
            continue
        except Exception as error:  # noqa: BLE001 - Babel's parse errors vary; report them
            problems.append(f"{path}: cannot read the catalog: {error}")
            found[lang] = gettext_module.NullTranslations()
            continue
        problems += catalog_problems(path, catalog)
        compiled = io.BytesIO()
        write_mo(compiled, catalog, use_fuzzy=False)
        compiled.seek(0)
        found[lang] = gettext_module.GNUTranslations(compiled)
    return found, problems


# Jinja marks a translation as safe markup (a message may hold a link): a translation may
# hold only the tags, entities and placeholders its English message holds, exactly.
_TAG = re.compile(r"<[^>]*>?")
_ENTITY = re.compile(r"&#?\w+;?")
_PLACEHOLDER = re.compile(r"%\(\w+\)s|%s")


def _markup(text: str) -> list[str]:
    return sorted(_TAG.findall(text) + _ENTITY.findall(text))


def catalog_problems(path: Path, catalog) -> list[str]:
    """Each translation's markup against its message's, and the wording and typed-fact rules
    on both (a reader sees the English message in English pages)."""
    from ..rules import reader_text

    found = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        where = f"line {message.lineno}" if message.lineno else f"msgid {ids[0][:40]!r}"
        english_markup = _markup(ids[0])
        for text in [*ids, *strings]:
            if not text:
                continue
            if text in strings and _markup(text) != english_markup:
                found.append(
                    f"{path}: {where}: the translation holds markup its English message does not "
                    f"({', '.join(sorted(set(_markup(text)) - set(english_markup))) or 'tags left out'}); "
                    "translate only the words, and keep the English message's tags exactly")
            if text in strings and sorted(_PLACEHOLDER.findall(text)) != sorted(_PLACEHOLDER.findall(ids[0])):
                found.append(f"{path}: {where}: the translation's placeholders differ from the English "
                             "message's; keep each %(name)s as it is")
            plain = _PLACEHOLDER.sub(" ", _TAG.sub(" ", text))
            found += reader_text.problems(str(path), where, html.unescape(plain), [], reviews=False)
    return list(dict.fromkeys(found))


class Interface:
    """The interface text of one build: translations, the language each page is drawn in,
    and the helpers templates use."""

    def __init__(self, settings: dict):
        self.default = settings["DEFAULT_LANG"]
        self.languages = list(dict.fromkeys([self.default, *settings.get("LANGUAGES", [])]))
        self.settings = settings
        self.translations, self.problems = load(settings["THEME"], self.languages, self.default)

    def for_lang(self, lang: str | None):
        return self.translations.get(lang or self.default) or self.translations[self.default]

    def text(self, message: str, lang: str | None) -> str:
        return self.for_lang(lang).gettext(message)

    # Callables for every template: the language comes from the context's `page_lang` (Pelican's
    # templates get it per page; the plugin's macros, from the module made for a language).
    def context_callables(self):
        @pass_context
        def gettext(context, message):
            return self.for_lang(context.get("page_lang")).gettext(message)

        @pass_context
        def ngettext(context, singular, plural, n):
            return self.for_lang(context.get("page_lang")).ngettext(singular, plural, n)

        return gettext, ngettext

    def install(self, environment) -> None:
        environment.add_extension("jinja2.ext.i18n")
        environment.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
        environment.install_gettext_callables(*self.context_callables(), newstyle=True)

    def site_text(self, name: str, lang: str | None) -> str:
        """A site setting such as SITENAME in `lang`, from SITE_TEXT; else the setting."""
        translated = self.settings.get("SITE_TEXT", {}).get(lang or self.default, {})
        return translated.get(name) or self.settings.get(name, "")

    def globals(self) -> dict:
        @pass_context
        def site_text(context, name):
            return self.site_text(name, context.get("page_lang"))

        prefixes = {lang: address_prefix(lang, self.default) for lang in self.languages}
        return {
            "page_lang": self.default,
            "LANGUAGES": self.languages,
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
            "LANG_PREFIX": prefixes,
            "OPEN_GRAPH_LOCALES": OPEN_GRAPH_LOCALES,
            "site_text": site_text,
            "language_alternates": language_alternates,
            "content_versions": lambda content: content_versions(content, self.default),
        }


def long_date_in(value, lang: str) -> str:
    """20 November 2026 in English (the NHS style); 20 de noviembre de 2026 in Spanish."""
    from ..rules.checks import parse_date

    day = parse_date(value)
    if day is None:
        return str(value)
    if lang == "en":
        return f"{day.day} {day:%B %Y}"
    from babel.dates import format_date

    return format_date(day, format="long", locale=lang)


@pass_context
def long_date(context, value):
    """The `long_date` filter: a date in the language of the page drawn."""
    return long_date_in(value, context.get("page_lang") or "en")


def content_versions(content, default: str) -> list[tuple[str, str]]:
    """(lang, url) of a page and each of its translations, the default language first."""
    found = {v.lang: v.url for v in [content, *getattr(content, "translations", [])]}
    return sorted(found.items(), key=lambda item: (item[0] != default, item[0]))


@pass_context
def language_alternates(context) -> list[tuple[str, str]]:
    """(lang, address under the site) of this page in every language it exists in, the
    default language first. Content pages: the page and its translations. Pages the theme
    draws (home, lists, 404): the same output file under each language's prefix."""
    default = context.get("DEFAULT_LANG")
    content = context.get("meta_page")
    if content is not None:
        return content_versions(content, default)
    output = context.get("output_file")
    if not output or "/page/" in output:
        return []  # later pages of a list exist in each language only as far as it has items
    prefixes = context.get("LANG_PREFIX") or {}
    base = output
    for prefix in prefixes.values():
        if prefix and output.startswith(prefix):
            base = output[len(prefix) :]
    address = base.removesuffix("index.html")
    return [(lang, prefix + address) for lang, prefix in prefixes.items()]


def missing_translations(lang: str, root: Path = ROOT) -> list[str]:
    """Every interface message extracted from the theme and PYTHON_STRINGS that has no
    translation in `lang`'s catalog (or only a fuzzy one), one line each."""
    from babel.messages.pofile import read_po

    path = catalog_path(root / "theme", lang)
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    problems = []
    for message, where in extract(root).items():
        entry = catalog.get(message[0] if isinstance(message, tuple) else message)
        strings = entry.string if entry is not None else None
        if isinstance(strings, (tuple, list)):
            empty = not all(s.strip() for s in strings)
        else:
            empty = not (strings or "").strip()
        if entry is None or empty or entry.fuzzy:
            shown = message[0] if isinstance(message, tuple) else message
            problems.append(f"{path.relative_to(root)}: no translation for \"{shown}\" ({where})")
    return problems


def extract(root: Path = ROOT) -> dict:
    """Every message babel.cfg extracts: {msgid (or (singular, plural)): 'file:line'}."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (root / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map, keywords={"_": None, "gettext": None,
                                                      "ngettext": (1, 2), "N_": None}
    ):
        found.setdefault(message, f"{filename}:{line}")
    return found
