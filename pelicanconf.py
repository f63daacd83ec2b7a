"""Development settings. `invoke build`, `make serve` and the tests use these.

Production (publishconf.py) imports everything here and changes only what differs for the
live site: the absolute address, feeds and the stricter review-date rule.
Paths are relative to this file; Pelican resolves them.
"""

from jinja2 import StrictUndefined

# --- Site identity ------------------------------------------------------------------------
SITENAME = "PRP and Exosome Patient Guide"
SITE_DESCRIPTION = (
    "Clear, balanced information about platelet-rich plasma (PRP) and exosome treatments: "
    "what they are, what the research shows, the risks and the questions to ask."
)
# The clinic whose page this site was built from. Its contact details are unknown to us:
# fill them in for a real deployment. Empty values are never shown (nothing is invented).
CLINIC_NAME = "Foster Medical"
CLINIC_PHONE = ""
CLINIC_EMAIL = ""
CLINIC_ADDRESS = ""
CLINIC_WEBSITE = ""
# What the guides are about, for search engines' structured data (schema.org).
SITE_TOPICS = [
    {"@type": "MedicalTherapy", "name": "Platelet-rich plasma (PRP) injection"},
    {"@type": "MedicalTherapy", "name": "Exosome (extracellular vesicle) products"},
]
# Who reviews pages: content/data/reviewers.toml (no setting here). Until a reviewer has
# signed a page off (`invoke sign-off`), it says it is not yet reviewed by a clinician.
# What a published site must state (README, "From draft to published"). Empty until the site's
# owner gives the real text; a production build refuses to publish while any is empty.
EDITORIAL_CONTACT = ""  # an email address for the editors, not the clinic's
FUNDING_STATEMENT = ""  # who pays for the website; in Spanish in SITE_TEXT["es"] too
CLINIC_RELATIONSHIP = ""  # any link, financial or other, with the clinic; in Spanish too

# No AUTHOR: pages are written by the editorial team, and we name no one we cannot name.
DEFAULT_LANG = "en"
TIMEZONE = "UTC"

# --- Languages (README, "Translating a page") -------------------------------------------------
# Every language the site is written in, the default first. A translation is a file beside its
# original named <name>.<lang>.md with `Lang: <lang>` and `Slug: <name>`; it is written under
# /<lang>/. The interface text comes from theme/translations/<lang>/LC_MESSAGES/messages.po.
LANGUAGES = ["en", "es"]
# Settings shown to readers, in each other language (the English value is the setting itself).
SITE_TEXT = {
    "es": {
        "SITENAME": "Guía para pacientes sobre PRP y exosomas",
        "SITE_DESCRIPTION": (
            "Información clara y equilibrada sobre los tratamientos con plasma rico en plaquetas "
            "(PRP) y con exosomas: qué son, qué muestran los estudios, sus riesgos y qué preguntar."
        ),
    },
}
# Languages every guide, condition page and page must be translated into: a page without its
# translation fails the build, naming the command that starts one.
REQUIRED_TRANSLATIONS = ["es"]

# --- Where things are ---------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["guides", "conditions"]  # each folder is one category (see the schema)
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
EXTRA_PATH_METADATA = {
    "extra/favicon.svg": {"path": "favicon.svg"},
    "extra/_headers": {"path": "_headers"},  # security headers for Netlify and Cloudflare Pages
}
# Only Markdown is read as a page: reStructuredText can include files from anywhere on the
# machine, and HTML would bypass the checks. The build reports any such file.
READERS = {"html": None, "htm": None, "rst": None}
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = False  # sitebuild builds into a fresh folder and swaps it in

THEME = "theme"
THEME_STATIC_DIR = "theme"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["medical_content"]  # always explicit: an unset list loads every installed plugin

# Data the medical_content plugin reads (relative to PATH).
BIBLIOGRAPHY = "data/references.toml"
EVIDENCE = "data/evidence.toml"
GLOSSARY = "data/glossary.toml"
PAGE_HISTORY = "data/page-history.toml"  # editors' change notes per page
REVIEWERS = "data/reviewers.toml"  # who may sign pages off
SIGN_OFFS = "data/sign-offs.toml"  # written by `invoke sign-off`; never edited by hand

# --- Addresses: clean URLs, slugs from file names -----------------------------------------
SLUGIFY_SOURCE = "basename"  # rewording a title never changes its address
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/pages/{slug}/index.html"
RELATIVE_URLS = True
SITEURL = ""

# Only the page types this site uses: no tag, author, archive or translation pages.
DIRECT_TEMPLATES = ["index", "404"]
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
# Translations, paired with their original by slug, live under /<lang>/.
ARTICLE_TRANSLATION_ID = "slug"
PAGE_TRANSLATION_ID = "slug"
ARTICLE_LANG_URL = "{lang}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
DRAFT_LANG_URL = "drafts/{lang}/{slug}/"
DRAFT_LANG_SAVE_AS = "drafts/{lang}/{slug}/index.html"
DRAFT_PAGE_LANG_URL = "drafts/pages/{lang}/{slug}/"
DRAFT_PAGE_LANG_SAVE_AS = "drafts/pages/{lang}/{slug}/index.html"

# Feeds need an absolute address: production only (publishconf.py).
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Lists: articles in reading order (the Order field, then the title); a list page shows 20
# and links to the next, so no page grows with the site. The home page shows the first few.
def _reading_order(article):
    order = str(article.metadata.get("order", "")).strip()
    return (int(order) if order.isdigit() else 1000, article.title)


ARTICLE_ORDER_BY = _reading_order
DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"category": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
HOME_LIST_LIMIT = 8

# --- Markdown -----------------------------------------------------------------------------
# This dict replaces Pelican's default instead of merging with it, so everything is listed.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},  # tables, attribute lists, footnotes, abbreviations
        "markdown.extensions.meta": {},  # the metadata block at the top of each file
        "markdown.extensions.admonition": {},  # `!!! warning` blocks become our components
        "markdown.extensions.sane_lists": {},
        # Stable heading ids: made from the heading text, or pinned with `## Heading {#id}`.
        "markdown.extensions.toc": {"permalink": False, "toc_depth": "2-3"},
    },
    "output_format": "html5",
}

# --- Templates ----------------------------------------------------------------------------
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": ["jinja2.ext.i18n"],  # interface text from gettext catalogs (theme/translations)
    "autoescape": True,  # a title such as "<b>x</b>" is shown as text, never as markup
    "undefined": StrictUndefined,  # a typo in a template fails the build
    # Each build makes its own environment, so a template cannot change while it is in use:
    # no need to look at the file's date every time a page includes it.
    "auto_reload": False,
}

# No content cache: Pelican's stores pickles, which a commit could plant to run code, and
# the site builds cold in about a second (README, "Performance"; measured in bench/README.md).
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# A page whose next review date has passed: a warning here, an error in production.
EXPIRED_REVIEW_IS_ERROR = False
# A translation of an older review of its English page: a warning here, an error in production.
STALE_TRANSLATION_IS_ERROR = False
# Publishing needs every guide and condition page signed off, and the statements above: not
# in development; in production unless DRAFT_SITE (publishconf.py), which marks every page a
# draft, keeps search engines out and publishes anyway.
SIGN_OFF_REQUIRED = False
DRAFT_SITE = False
