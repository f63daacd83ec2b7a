"""Production settings: everything in pelicanconf.py, plus the live site's absolute address.

The address comes from the environment, so no deployment detail lives in the repository:

    SITEURL=https://example.org invoke preview
"""

import os
import sys
from urllib.parse import urlsplit

if os.path.dirname(__file__) not in sys.path:  # read again for each build of a long-lived process
    sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: E402,F403


def _site_url_from_environment():
    """The SITEURL environment variable, checked; stops the build with a clear message."""
    value = os.environ.get("SITEURL", "").strip().rstrip("/")
    example = "for example: SITEURL=https://prp.example.org invoke preview"
    if not value:
        raise SystemExit(
            "publishconf.py: the environment variable SITEURL is not set. A production build "
            f"needs the live site's address, {example}"
        )
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
        raise SystemExit(
            f"publishconf.py: SITEURL is {value!r}, which is not an https:// address with a "
            f"host name; {example}"
        )
    return value


SITEURL = _site_url_from_environment()
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

# An Atom feed per kind of article (feeds/guides.atom.xml, feeds/conditions.atom.xml).
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
# And one Atom feed per language, of every guide and condition page in it (feeds/all-es.atom.xml).
TRANSLATION_FEED_ATOM = "feeds/all-{lang}.atom.xml"

# Files only the live site needs: sitemap.xml and robots.txt, drawn from the theme.
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "sitemap", "robots"]  # noqa: F405
SITEMAP_SAVE_AS = "sitemap.xml"
ROBOTS_SAVE_AS = "robots.txt"

# Smaller HTML and CSS for visitors; development output stays readable.
PLUGINS = [*PLUGINS, "minify_output"]  # noqa: F405

# A page whose next review date has passed is not published.
EXPIRED_REVIEW_IS_ERROR = True
# Nor a translation that follows an older review of its English page.
STALE_TRANSLATION_IS_ERROR = True
# Nor a page citing a retracted or withdrawn work that content/data/source-checks.toml does
# not keep with a reason readers see (README, "Checking sources").
RETRACTED_CITATION_IS_ERROR = True

# Nor a page without a current sign-off, nor a site without an editorial contact, a funding
# statement and a statement of its relationship with the clinic; unless it is published as a
# draft: PUBLISH_DRAFT=true (the workflow's repository variable) or `invoke preview --draft`.
SIGN_OFF_REQUIRED = True


def _draft_from_environment():
    value = os.environ.get("PUBLISH_DRAFT", "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise SystemExit(f"publishconf.py: PUBLISH_DRAFT is {value!r}; set it to true or false")


DRAFT_SITE = _draft_from_environment()
