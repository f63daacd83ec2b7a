"""The pages the theme draws, in every site language, and the navigation of each language.

Pelican draws the home page, the 404 page and the lists of guides and conditions once, in
the default language. For each other language in LANGUAGES this generator draws the same
templates again under /<lang>/ (es/index.html, es/404.html, es/guides/...) with
`page_lang` set, so the interface text comes from that language's catalog. Editors write no
template. A list shows each article's translation where there is one, and otherwise the
original, marked with its language.
"""

from __future__ import annotations

from pelican.generators import Generator

from ..i18n.interface import address_prefix


def version_in(content, lang: str):
    """`content` in `lang` if it has been translated, else `content` itself."""
    if content.lang == lang:
        return content
    return next((t for t in content.translations if t.lang == lang), content)


def navigation(generators, interface) -> dict:
    """Globals for the header and footer of each language, worked out once per build
    (Pelican computes an item's url anew each time a template asks for it)."""
    from ..rules import schema

    categories, pages, articles = {}, [], []
    for generator in generators:
        for category, _articles in getattr(generator, "categories", []):
            categories[category.slug] = category
        pages += getattr(generator, "pages", [])
        articles += getattr(generator, "articles", [])
    menu = sorted((p for p in pages if str(p.metadata.get("menu", "")).strip().isdigit()),
                  key=lambda p: int(p.metadata["menu"]))  # a Menu that is no number is reported
    nav, footer = {}, {}
    for lang in interface.languages:
        prefix = address_prefix(lang, interface.default)
        items = [
            {"title": interface.text(t.title, lang), "url": prefix + categories[f].url, "slug": f, "lang": lang}
            for f, t in schema.ARTICLE_TYPES.items() if f in categories
        ]
        for page in menu:
            shown = version_in(page, lang)
            label = shown.metadata.get("menu_label", shown.title)
            items.append({"title": label, "url": shown.url, "slug": page.slug, "lang": shown.lang})
        nav[lang] = items
        versions = [version_in(p, lang) for p in pages]
        footer[lang] = [{"title": v.title, "url": v.url, "lang": v.lang} for v in sorted(versions, key=lambda v: v.title)]
    feed_languages = {a.lang for a in articles} | {t.lang for a in articles for t in a.translations}
    return {
        "SITE_NAV": nav[interface.default],
        "SITE_FOOTER": footer[interface.default],
        "SITE_NAV_BY_LANG": nav,
        "SITE_FOOTER_BY_LANG": footer,
        "FEED_LANGUAGES": sorted(feed_languages),
    }


class LanguagePages(Generator):
    """Writes the home page, the 404 page and the article lists in each other language."""

    def generate_context(self):
        pass

    def generate_output(self, writer):
        default = self.settings["DEFAULT_LANG"]
        languages = [lang for lang in self.settings.get("LANGUAGES", []) if lang != default]
        categories = self.context.get("categories", [])
        relative = self.settings["RELATIVE_URLS"]
        for lang in languages:
            prefix = address_prefix(lang, default)
            listed = [(category, [version_in(a, lang) for a in items]) for category, items in categories]
            for template in self.settings["DIRECT_TEMPLATES"]:
                if template not in ("index", "404"):
                    continue  # sitemap.xml and robots.txt exist once, for every language
                save_as = self.settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
                writer.write_file(
                    prefix + save_as, self.get_template(template), self.context, relative,
                    template_name=f"{lang}-{template}", url=prefix + save_as.removesuffix("index.html"),
                    page_lang=lang, categories=listed,
                )
            category_template = self.get_template("category")
            for category, items in listed:
                writer.write_file(
                    prefix + category.save_as, category_template, self.context, relative,
                    paginated={"articles": items}, template_name="category",
                    url=prefix + category.url, category=category, articles=items,
                    page_lang=lang, page_name=prefix + category.page_name,
                )
