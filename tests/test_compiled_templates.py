"""Unit tier. Compiled templates shared between Jinja environments (sitebuild/compiled_templates.py):
a template is compiled once for every environment that would compile it to the same code, and
never reused by one that would not (other syntax options, escaping, i18n style, policies, or a
filter of the same name called another way); an edited template is compiled again."""

from __future__ import annotations

import jinja2
import pytest

from sitebuild.compiled_templates import CompiledTemplates


class Counting(jinja2.Environment):
    """An environment that counts what it compiles."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compiled = 0

    def compile(self, *args, **kwargs):
        self.compiled += 1
        return super().compile(*args, **kwargs)


def environment(cache, templates, **options) -> Counting:
    return Counting(loader=jinja2.DictLoader(templates), bytecode_cache=cache, **options)


def test_environments_alike_compile_each_template_once_and_draw_the_same():
    cache = CompiledTemplates()
    templates = {"page.html": "{% for x in items %}<li>{{ x|upper }}</li>{% endfor %}"}
    first, second = environment(cache, templates, autoescape=True), environment(cache, templates, autoescape=True)
    assert first.get_template("page.html").render(items=["a<"]) == "<li>A&lt;</li>"
    assert second.get_template("page.html").render(items=["a<"]) == "<li>A&lt;</li>"
    assert (first.compiled, second.compiled) == (1, 0)


@pytest.mark.parametrize("options, other, source, drawn, other_drawn", [
    ({"autoescape": True}, {"autoescape": False}, "{{ x }}", "&lt;b&gt;", "<b>"),
    ({"trim_blocks": True}, {}, "{% if x %}\nyes{% endif %}", "yes", "\nyes"),
    ({"variable_start_string": "[[", "variable_end_string": "]]"}, {}, "[[ x ]]{{ x }}", "<b>{{ x }}", "[[ x ]]<b>"),
    ({"finalize": lambda v: "" if v is None else v}, {}, "{{ none }}", "", "None"),
], ids=["escaping", "trim blocks", "delimiters", "finalize"])
def test_an_environment_that_compiles_otherwise_never_takes_anothers_code(options, other, source, drawn, other_drawn):
    cache = CompiledTemplates()
    for opts, expected in ((options, drawn), (other, other_drawn), (options, drawn), (other, other_drawn)):
        env = environment(cache, {"t.html": source}, **opts)
        assert env.get_template("t.html").render(x="<b>", none=None) == expected
    assert len(cache.codes) == 2


def test_a_filter_of_the_same_name_called_another_way_is_compiled_for_each():
    cache = CompiledTemplates()
    templates = {"t.html": "{{ 'x'|where }}"}

    @jinja2.pass_context
    def with_context(context, value):
        return f"{value} in {context['place']}"

    def plain(value):
        return f"{value} anywhere"

    for function, expected in ((with_context, "x in here"), (plain, "x anywhere"), (with_context, "x in here")):
        env = environment(cache, templates)
        env.filters["where"] = function
        assert env.get_template("t.html").render(place="here") == expected


def test_the_i18n_style_and_policies_are_part_of_the_key():
    cache = CompiledTemplates()
    templates = {"t.html": "{% trans %}  Hello\n  there  {% endtrans %}"}
    drawn = []
    for trimmed in (False, True, False):
        env = environment(cache, templates, extensions=["jinja2.ext.i18n"])
        env.policies["ext.i18n.trimmed"] = trimmed
        env.install_null_translations(newstyle=True)
        drawn.append(env.get_template("t.html").render())
    assert drawn == ["  Hello\n  there  ", "Hello there", "  Hello\n  there  "]
    old_style = environment(cache, templates, extensions=["jinja2.ext.i18n"])
    old_style.install_null_translations(newstyle=False)
    old_style.get_template("t.html").render()
    assert old_style.compiled == 1


def test_an_edited_template_is_compiled_again():
    cache = CompiledTemplates()
    templates = {"t.html": "one"}
    assert environment(cache, templates).get_template("t.html").render() == "one"
    templates["t.html"] = "two"
    fresh = environment(cache, templates)
    assert fresh.get_template("t.html").render() == "two" and fresh.compiled == 1


def test_the_cache_keeps_at_most_its_largest_number_of_templates():
    cache = CompiledTemplates(largest=3)
    env = environment(cache, {f"t{i}.html": str(i) for i in range(5)})
    for i in range(5):
        env.get_template(f"t{i}.html")
    assert len(cache.codes) == 3
    again = environment(cache, {f"t{i}.html": str(i) for i in range(5)})
    again.get_template("t4.html")
    again.get_template("t0.html")  # the oldest went first
    assert again.compiled == 1


def test_an_environment_without_an_extension_never_runs_code_compiled_with_it():
    cache = CompiledTemplates()
    templates = {"t.html": "{% for x in [1, 2, 3] %}{{ x }}{% if x == 2 %}{% break %}{% endif %}{% endfor %}"}
    assert environment(cache, templates, extensions=["jinja2.ext.loopcontrols"]).get_template("t.html").render() == "12"
    with pytest.raises(jinja2.TemplateSyntaxError):
        environment(cache, templates).get_template("t.html")
