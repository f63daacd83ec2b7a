""""Report a problem with this page": a plain `mailto:` link, drawn by
theme/templates/_report_problem.html. No form, no script, no tracking: the reader's own mail
program opens with the page's title and address already written in.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode


def mailto_href(address: str, title: str, page_url: str) -> str:
    """A mailto: address (RFC 6068) with the subject and body percent-encoded, spaces as %20
    and line breaks as %0D%0A, so every mail program reads them the same way."""
    subject = f"Problem with the page: {title}"
    body = "\r\n".join([
        f"Page: {title}",
        f"Address: {page_url}",
        "",
        "What is wrong or unclear on this page?",
        "",
    ])
    query = urlencode({"subject": subject, "body": body}, quote_via=quote, safe="")
    return f"mailto:{quote(address.strip(), safe='@')}?{query}"
