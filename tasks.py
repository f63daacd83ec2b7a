"""Tasks for editors and CI, with Pelican's quickstart names (`invoke --list`).

Every build goes through `sitebuild`, which reports all problems at once and never leaves a
half-written site. A task that lacks configuration says what to set and exits non-zero.
"""

import datetime
import functools
import os
import shlex
import shutil
import subprocess
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from invoke import Exit, task
from invoke.main import program

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from medical_content.rules import schema  # noqa: E402
from sitebuild import INTERRUPTED, BuildFailed, build as build_site  # noqa: E402

SETTINGS_DEV = ROOT / "pelicanconf.py"
SETTINGS_PROD = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"
HOST, PORT = "127.0.0.1", 8000
# What a change to should rebuild the site while previewing.
WATCHED = ["content", "theme", "plugins", "sitebuild", "pelicanconf.py", "publishconf.py"]


def _build(settings, output, overrides=None, verbose=False):
    try:
        result = build_site(settings, output_path=output, overrides=overrides)
    except BuildFailed as failure:
        raise Exit(failure.report(), code=1) from None
    except KeyboardInterrupt:
        raise Exit(INTERRUPTED, code=130) from None
    print(result.summary(verbose))
    return result


def _build_in_fresh_process(settings=SETTINGS_DEV, output=None):
    """A build in a new interpreter, so edited plugins and settings are read again.
    Errors are printed; the last good site stays in place. Returns the problems, if any."""
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        problems_file = Path(folder) / "problems.json"
        command = [sys.executable, "-m", "sitebuild", str(settings), "--problems-file", str(problems_file)]
        if output:
            command += ["--output", str(output)]
        run = subprocess.run(command, cwd=ROOT, check=False)
        if run.returncode == 0:
            return []
        if problems_file.exists():
            return json.loads(problems_file.read_text("utf-8"))
        return [f"The build stopped unexpectedly (exit code {run.returncode}); see the terminal."]


@task
def clean(c, output=OUTPUT):
    """Remove the built site."""
    output = Path(output)
    for leftover in [output, *output.parent.glob(f".{output.name}-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


@task(help={"verbose": "list each page's reading grade, not only the summary"})
def build(c, output=OUTPUT, verbose=False):
    """Build the site with development settings (relative links, no feeds)."""
    _build(SETTINGS_DEV, output, verbose=verbose)


@task
def rebuild(c, output=OUTPUT):
    """`clean`, then `build`."""
    clean(c, output)
    build(c, output)


@task
def regenerate(c):
    """Rebuild whenever content, theme, plugins or settings change (no server)."""
    from watchfiles import watch

    _build_in_fresh_process()
    print("Watching for changes. Press Ctrl+C to stop.")
    for _changes in watch(*(ROOT / name for name in WATCHED)):
        _build_in_fresh_process()


def _serve_forever(output, host, port):
    from sitebuild import preview

    # Answers only Host 127.0.0.1 or localhost with its port (sitebuild/preview.py).
    handler = functools.partial(preview.local_http_handler(SimpleHTTPRequestHandler, int(port)), directory=str(output))
    ThreadingHTTPServer.allow_reuse_address = True
    with ThreadingHTTPServer((host, int(port)), handler) as server:
        print(f"Serving {output} at http://{host}:{port}/ (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


@task
def serve(c, host=HOST, port=PORT, output=OUTPUT):
    """Serve the built site at http://127.0.0.1:8000/."""
    if not Path(output, "index.html").exists():
        raise Exit(f"There is no built site in {output}: run `invoke build` first.", code=1)
    _serve_forever(output, host, port)


@task
def reserve(c, host=HOST, port=PORT):
    """`build`, then `serve`."""
    build(c)
    serve(c, host, port)


@task(help={"draft": "publish as a draft: every page marked so, kept out of search engines, "
                      "no sign-offs needed (README, \"From draft to published\")"})
def preview(c, output=OUTPUT, draft=False):
    """Build with production settings. Needs SITEURL, e.g. SITEURL=https://example.org."""
    _build(SETTINGS_PROD, output, {"DRAFT_SITE": True} if draft else None)


# Editing these changes Python code or settings that a running process has already imported:
# the site is then rebuilt in a fresh interpreter. Content and theme edits rebuild in-process.
CODE_AND_SETTINGS = ["plugins", "sitebuild", "pelicanconf.py", "publishconf.py"]


def _rebuild_after(changed_paths):
    """Rebuild for livereload; print problems, keep the last good site, never raise.
    The browser shows the problems instead of the site until a build succeeds again."""
    from sitebuild import preview

    changed = [Path(p).resolve() for p in changed_paths or []]
    code = [ROOT / name for name in CODE_AND_SETTINGS]
    if not changed or any(path == c or c in path.parents for path in changed for c in code):
        problems = _build_in_fresh_process()
        if problems:
            preview.STATUS.failed(problems)
        else:
            preview.STATUS.succeeded()
        return
    try:
        print(build_site(SETTINGS_DEV, output_path=OUTPUT).summary())
        preview.STATUS.succeeded()
    except BuildFailed as failure:
        print(failure.report(), file=sys.stderr)
        preview.STATUS.failed(failure.problems)


@task
def livereload(c, host=HOST, port=PORT):
    """Build, serve at http://127.0.0.1:8000/ and reload the browser after every change.
    While a build has failed, every page shows the problems instead (sitebuild/preview.py)."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler, StaticFileHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    from sitebuild import preview

    class InstantWatcher(Watcher):
        """livereload's watcher, woken by watchfiles the moment a file changes instead of
        looking every 0.8 s."""

        def start(self, callback):
            import threading

            from watchfiles import watch

            loop = IOLoop.current()
            watching = threading.Event()

            def wake_on_change():
                # An empty answer after each quiet 0.2 s: the first says the watches are in place.
                for changes in watch(*(ROOT / name for name in WATCHED), yield_on_timeout=True, rust_timeout=200):
                    watching.set()
                    if changes:
                        loop.add_callback(callback)

            threading.Thread(target=wake_on_change, daemon=True).start()
            # Serve only once a change would be seen: an edit saved the moment the preview
            # opens is not lost. (The server answers no request before this returns.)
            watching.wait(timeout=30)
            loop.add_callback(callback)  # take livereload's start-up entry; note file times
            return True

    try:
        print(build_site(SETTINGS_DEV, output_path=OUTPUT).summary())
    except BuildFailed as failure:  # serve the problems until they are fixed
        print(failure.report(), file=sys.stderr)
        preview.STATUS.failed(failure.problems)
    # Answers only its own Host and, on the reload socket, its own pages' Origin.
    server = preview.local_server(Server)(watcher=InstantWatcher())
    server.SFH = preview.error_page_handler(StaticFileHandler)
    # livereload ignores a change within 3 s of the last reload; a quick fix after a broken
    # edit would then leave the error page on screen. Each rebuild is one reload.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    for name in WATCHED:
        path = ROOT / name
        server.watch(str(path / "**" / "*") if path.is_dir() else str(path), _rebuild_after)
    print(f"Preview: http://{host}:{port}/ - edits rebuild the site and reload the page.")
    server.serve(host=host, port=int(port), root=str(OUTPUT), open_url_delay=None)


@task
def screenshots(c, destination=ROOT / "screenshots"):
    """Build, then save PNGs of every page at 375 px and 1280 px, light and dark."""
    from sitebuild import browser

    if not browser.chromium_available():
        raise Exit(f"invoke screenshots needs Chromium at {browser.CHROMIUM} (apt-get install chromium).", code=2)
    result = _build(SETTINGS_DEV, OUTPUT)
    with browser.serve(result.output_path) as base, browser.chromium() as chromium:
        written = browser.screenshots(chromium, base, result.pages, Path(destination))
    print(f"Wrote {len(written)} screenshots to {destination}")


@task
def publish(c):
    """Build for production and copy the site to a server with rsync over ssh.

    Configure with environment variables: SITEURL, PUBLISH_SSH_HOST, PUBLISH_SSH_PATH, and
    optionally PUBLISH_SSH_USER and PUBLISH_SSH_PORT (default 22). Each is checked before
    anything runs (sitebuild/publishing.py); rsync gets them as arguments, never via a shell.
    """
    from sitebuild import publishing

    problems = publishing.problems(os.environ)
    if problems:
        raise Exit(
            "invoke publish is not configured. Set these environment variables (nothing was run):\n"
            + "\n".join(f"  {line}" for line in problems)
            + "\nOptional: PUBLISH_SSH_USER, PUBLISH_SSH_PORT (default 22). See README, Publishing.",
            code=2,
        )
    if shutil.which("rsync") is None:
        raise Exit("invoke publish needs rsync; install it (e.g. apt-get install rsync).", code=2)
    _build(SETTINGS_PROD, OUTPUT)
    if subprocess.run(publishing.rsync_command(os.environ, str(OUTPUT)), check=False).returncode:
        raise Exit("rsync could not copy the site (see its message above).", code=1)


@task(help={
    "branch": "the branch GitHub Pages publishes from (default gh-pages)",
    "push": "push the branch to origin afterwards (default yes; --no-push to only commit)",
})
def gh_pages(c, branch="gh-pages", push=True):
    """Build for production and commit the site to a branch with ghp-import, then push it.

    Needs SITEURL, e.g. SITEURL=https://user.github.io/repo invoke gh-pages. The GitHub
    Actions workflow publishes without this task; use it for a manual publish.
    """
    if not os.environ.get("SITEURL"):
        raise Exit(
            "invoke gh-pages needs the live address: SITEURL=https://<user>.github.io/<repo> "
            "invoke gh-pages. See README, Publishing.",
            code=2,
        )
    from sitebuild import publishing

    if problem := publishing.branch_problem(str(branch)):
        raise Exit(problem, code=2)
    _build(SETTINGS_PROD, OUTPUT)
    command = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--branch", branch,
               "--message", "Publish the site", str(OUTPUT)]
    if push:
        command.insert(-1, "--push")
    subprocess.run(command, cwd=ROOT, check=True)
    print(f"Committed the site to the {branch} branch{' and pushed it' if push else ''}.")


@task(help={
    "title": "the page title, in plain words",
    "kind": f"the kind of page: {', '.join(schema.CONTENT_TYPES)}",
    "slug": "the file name and address (default: made from the title)",
    "translate": "start a translation of this page instead, e.g. content/guides/what-is-prp.md",
    "lang": "the language of the translation (default es)",
})
def new(c, title=None, kind="guide", slug=None, content=ROOT / "content", translate=None, lang="es"):
    """Start a new page with every required field and section, ready to fill in; or, with
    --translate FILE, a translation of FILE with every heading, box and field in place."""
    if translate:
        return _new_translation(Path(translate), lang)
    if not title:
        raise Exit("Give the page a --title, or start a translation with --translate FILE --lang es.", code=2)
    if kind not in schema.CONTENT_TYPES:
        raise Exit(f"Unknown kind '{kind}'; use one of: {', '.join(schema.CONTENT_TYPES)}", code=2)
    from pelican.utils import slugify

    slug = slug or slugify(title, regex_subs=[(r"[^\w\s-]", ""), (r"(?u)\s+", "-")])
    path = Path(content) / schema.CONTENT_TYPES[kind].folder / f"{slug}.md"
    if path.exists():
        raise Exit(f"{path} already exists; choose another --slug or edit that file.", code=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema.new_page_text(kind, title, datetime.date.today().isoformat()), "utf-8")
    print(f"Created {path}. Replace every '{schema.PLACEHOLDER}' before it can be published.")
    if schema.CONTENT_TYPES[kind].is_article:
        _start_history(Path(content), path)


def _start_history(content: Path, page: Path) -> None:
    """Guides and condition pages, and their translations, keep a page history: give the new
    page its first entry."""
    from medical_content.data import page_history

    history = content / "data" / "page-history.toml"
    key = page_history.key_of(str(page.relative_to(content)))
    history.parent.mkdir(parents=True, exist_ok=True)
    with history.open("a", encoding="utf-8") as file:
        file.write("\n" + page_history.entry_line(key, datetime.date.today()))
    print(f"Added its first entry to {history}: write its note in the page's language, and "
          "change the date if the page is published later.")


@task(help={
    "due_within": "list only pages due within this many days (overdue ones included)",
    "today": "the day to report on, YYYY-MM-DD (default: today)",
})
def reviews(c, due_within=None, today=None, content=ROOT / "content"):
    """Every guide and condition page (and translation) with its last and next review,
    soonest first; marks the overdue ones and those due in the next 60 days. Exits non-zero
    when a review is overdue, so CI can run it on a schedule."""
    from medical_content.data import reviews as review_report

    day = datetime.date.today()
    if today:
        try:
            day = datetime.date.fromisoformat(str(today))
        except ValueError:
            raise Exit(f"--today '{today}' is not a date; write it as YYYY-MM-DD.", code=2) from None
    window = review_report.DUE_SOON_DAYS
    if due_within is not None:
        if not str(due_within).isdigit():
            raise Exit(f"--due-within '{due_within}' is not a number of days, e.g. --due-within 30.", code=2)
        window = int(due_within)
    pages = review_report.pages_with_reviews(Path(content))
    text, needs_attention = review_report.report(pages, day, window, only_due=due_within is not None)
    print(text)
    sources_text, flagged = review_report.sources_report(Path(content))
    print("\n" + sources_text)
    from sitebuild import load_settings

    sign_offs, stale = review_report.sign_off_report({**load_settings(SETTINGS_DEV), "PATH": str(Path(content))})
    print("\n" + sign_offs)
    if needs_attention or stale:
        raise Exit("Some reviews are overdue or some sign-offs stale (see above).", code=1)
    if flagged:
        raise Exit("Some pages cite a retracted or flagged work (see above).", code=1)


@task(help={
    "contact": "the editors' e-mail address or web page, sent with every request "
               "(default: SOURCES_CONTACT, else CLINIC_EMAIL in pelicanconf.py)",
    "results": "the results file to write (default content/data/source-checks.toml)",
    "cache": "the folder for cached answers (default: your cache folder, outside the repository)",
    "no_cache": "ask every service again, ignoring answers from the last day",
    "timeout": "seconds to wait for one answer (default 20)",
    "retries": "tries after a failed request (default 3)",
    "crossref": "Crossref's REST API address (default https://api.crossref.org)",
    "eutils": "NCBI E-utilities' address (default https://eutils.ncbi.nlm.nih.gov/entrez/eutils)",
    "idconv": "the PMC ID converter's address",
})
def sources(c, contact=None, results=None, cache=None, no_cache=False, timeout=20.0, retries=3,
            crossref=None, eutils=None, idconv=None, backoff=2.0, site_interval=1.0, root=ROOT):
    """Check every cited work against Crossref, PubMed and PMC, and every cited web address:
    retractions, corrections, expressions of concern, identifiers that disagree, dead pages.
    One table, worst first; exit 1 when a source needs an editor, 3 when some could not be
    checked (offline), 0 otherwise. README, "Checking sources"."""
    import sitebuild.sources as checker

    contact = contact or os.environ.get("SOURCES_CONTACT", "").strip()
    if not contact and (Path(root) / SETTINGS_DEV.name).is_file():
        from sitebuild import load_settings

        contact = str(load_settings(Path(root) / SETTINGS_DEV.name).get("CLINIC_EMAIL", "")).strip()
    if not contact:
        raise Exit("invoke sources sends the editors' contact with every request, as Crossref and NCBI "
                   "ask: give --contact editor@example.org, or set SOURCES_CONTACT or CLINIC_EMAIL.", code=2)
    defaults = checker.Endpoints()
    endpoints = checker.Endpoints(crossref or defaults.crossref, eutils or defaults.eutils, idconv or defaults.idconv)
    try:
        options = checker.Options(contact, endpoints, Path(cache) if cache else None, not no_cache,
                                  float(timeout), int(retries), float(backoff), float(site_interval))
    except ValueError as error:
        raise Exit(f"invoke sources: {error}; --timeout, --retries and --backoff are numbers.", code=2) from None
    report = checker.run(Path(root), options, Path(results) if results else None)
    print(report.text)
    if report.code:
        raise Exit(code=report.code)


@task(help={
    "page": "a guide or condition page (or a folder of them) the reviewer has checked; more after --",
    "reviewer": "the reviewer's id in content/data/reviewers.toml",
    "role": "clinical or language (needed only when the reviewer has both roles)",
    "date": "the day of the review, YYYY-MM-DD (default: today)",
})
def sign_off(c, page, reviewer="", role="", date=""):
    """Record that a reviewer has checked PAGE (and any pages after --), bound to a digest of
    the page and everything drawn into it (content/data/sign-offs.toml)."""
    from medical_content.data import signoff
    from sitebuild import load_settings

    if not reviewer:
        raise Exit("Name the reviewer: invoke sign-off PAGE --reviewer ID (their id in content/data/reviewers.toml).", code=2)
    try:
        day = datetime.date.fromisoformat(date) if date else datetime.date.today()
    except ValueError:
        raise Exit(f"--date '{date}' is not a date; write it as YYYY-MM-DD.", code=2) from None
    settings = load_settings(SETTINGS_DEV)
    pages = [Path(p) for p in [page, *program.core.remainder.split()]]
    text, signed, problems = signoff.sign(settings, pages, reviewer, role, day)
    if problems:
        raise Exit("Nothing was signed off:\n  " + "\n  ".join(problems), code=2)
    target = Path(settings["PATH"]) / settings["SIGN_OFFS"]
    with target.open("a", encoding="utf-8") as file:
        file.write(text)
    print(f"Signed off {len(signed)} page(s) for {reviewer} in {target}: " + (", ".join(signed) or "none needed it"))


def _new_translation(source: Path, lang: str) -> None:
    from medical_content.i18n import interface as i18n
    from medical_content.i18n import translations
    from sitebuild import load_settings

    settings = load_settings(SETTINGS_DEV)
    default, languages = settings["DEFAULT_LANG"], settings.get("LANGUAGES", [])
    if lang == default or lang not in languages:
        others = ", ".join(x for x in languages if x != default) or "none"
        raise Exit(f"--lang {lang}: translate into one of the site's other languages ({others}); "
                   "add a language to LANGUAGES in pelicanconf.py first.", code=2)
    if not source.is_absolute() and not source.exists():
        source = ROOT / source
    if not source.is_file():
        raise Exit(f"{source} does not exist; give the path of the page to translate.", code=2)
    base, name_lang = translations.split_name(source, languages)
    if name_lang:
        raise Exit(f"{source} is itself a translation; translate its original, {base}.md.", code=2)
    folder = source.resolve().parent.name
    kind = next((name for name, t in schema.CONTENT_TYPES.items() if t.folder == folder), None)
    if kind is None:
        raise Exit(f"{source} is not in a folder of pages ({', '.join(t.folder for t in schema.CONTENT_TYPES.values())}).", code=2)
    target = source.with_name(f"{base}.{lang}.md")
    if target.exists():
        raise Exit(f"{target} already exists; edit that file.", code=2)
    catalogs, problems = i18n.load(settings["THEME"], [lang], default)
    if problems:
        raise Exit("\n".join(problems), code=2)
    text = translations.new_translation_text(
        source.read_text("utf-8"), kind, lang, datetime.date.today().isoformat(), catalogs[lang].gettext
    ).replace("Slug: {slug}", f"Slug: {base}")
    target.write_text(text, "utf-8")
    print(f"Created {target}. Translate every '{schema.PLACEHOLDER}' before it can be published.")
    if schema.CONTENT_TYPES[kind].is_article:
        _start_history(target.resolve().parent.parent, target.resolve())


@task(help={"check": "only report messages without a translation; change nothing"})
def translations(c, check=False):
    """Re-extract the interface text from the templates into theme/translations/messages.pot
    and update each language's messages.po (README, "Interface text")."""
    from medical_content.i18n import interface as i18n
    from sitebuild import load_settings

    settings = load_settings(SETTINGS_DEV)
    others = [lang for lang in settings.get("LANGUAGES", []) if lang != settings["DEFAULT_LANG"]]
    if not check:
        pot = ROOT / "theme" / "translations" / "messages.pot"
        babel = [sys.executable, "-m", "babel.messages.frontend", "--quiet"]
        steps = [[*babel, "extract", "-F", "babel.cfg", "-k", "N_", "--omit-header", "--sort-output",
                  "-o", str(pot), "."]]
        for lang in others:
            catalog = i18n.catalog_path(ROOT / "theme", lang)
            if catalog.exists():
                steps.append([*babel, "update", "-i", str(pot), "-l", lang, "-o", str(catalog),
                              "--no-fuzzy-matching", "--ignore-obsolete"])
            else:
                steps.append([*babel, "init", "-i", str(pot), "-l", lang, "-o", str(catalog)])
        for step in steps:
            run = subprocess.run(step, cwd=ROOT, capture_output=True, text=True)
            if run.returncode:
                raise Exit(f"pybabel {step[4]} failed:\n{run.stderr.strip()}", code=1)
    missing = [line for lang in others for line in i18n.missing_translations(lang, ROOT)]
    if missing:
        raise Exit("Interface text without a translation; translate it in the .po file:\n  "
                   + "\n  ".join(missing), code=1)
    print("Every interface message has a translation in: " + ", ".join(others))


@task(help={
    "sizes": "corpus sizes, comma-separated (default 100,1000,5000)",
    "rounds": "runs of each build; medians are reported (default 3)",
    "livereload": "also time an edit until `invoke livereload` serves it (default yes)",
})
def bench(c, sizes="100,1000,5000", rounds=3, livereload=True):
    """Time builds of 100 to 5,000 articles (copies of the real pages) against the budgets (README, Performance)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from run import main

    output = ROOT / "bench" / "results" / "latest.json"
    code = main([int(n) for n in str(sizes).split(",")], int(rounds), output, livereload)
    if code:
        raise Exit("Some budgets were missed (see above).", code=code)


def _pytest(*args: str) -> None:
    """pytest on every core (pytest-xdist), with the arguments given after `--` added; exits
    with pytest's status."""
    extra = shlex.split(program.core.remainder or "")
    command = [sys.executable, "-m", "pytest", "--numprocesses", "auto", *args, *extra]
    raise Exit(code=subprocess.run(command, cwd=ROOT, check=False).returncode)


@task
def test(c):
    """Run every test (all four tiers; about 5 minutes on two cores). Extra pytest arguments go
    after `--`, e.g. `invoke test -- -k links`."""
    _pytest()


@task
def check(c):
    """The fast loop (under a minute): the unit and build tiers, which build the real site
    with development settings and run every content rule. `invoke check -- -k glossary`."""
    _pytest("-m", "unit or build")
