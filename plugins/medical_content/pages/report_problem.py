""""Report a problem with this page": a plain `mailto:` link, drawn by
theme/templates/_report_problem.html. No form, no script, no tracking: the reader's own mail
program opens with the page's title and address already written in.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode


def mailto_href(
    address: str,
    title: str,
    page_url: str,
    subject: str = "Problem with the page",
    page_label: str = "Page",
    address_label: str = "Address",
    question: str = "What is wrong or unclear on this page?",
) -> str:
    """A mailto: address (RFC 6068) with the subject and body percent-encoded, spaces as %20
    and line breaks as %0D%0A, so every mail program reads them the same way. The labels
    come from the template, in the page's language."""
    body = "\r\n".join([f"{page_label}: {title}", f"{address_label}: {page_url}", "", question, ""])
    query = urlencode({"subject": f"{subject}: {title}", "body": body}, quote_via=quote, safe="")
    return f"mailto:{quote(address.strip(), safe='@')}?{query}"
