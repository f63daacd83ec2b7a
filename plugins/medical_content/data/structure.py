"""The structure of a data file, checked by its pydantic model (models.py), every error told
in our words: `file: place: what is wrong; how to fix it`.

This is the one place that turns pydantic's errors into messages: from each error's `type`
and `loc` (never pydantic's English text), the field's `title` (what the value must be) and
`description` (how to write it) in the model, and the file's own way of naming a place
(`place(loc, data)` gives the words for the entry, e.g. "[smith2020]" or "option 'prp'", and
how many parts of `loc` they stand for; the rest of `loc` is the field, e.g. "prp.refs"; a
third item, if any, names the field instead, e.g. "the answer").
Rules across fields and files (a citation key exists, a translation matches its original)
stay in the loaders, in Python.
"""

from __future__ import annotations

import datetime
import types
import typing
from functools import lru_cache

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

NONBLANK = r"\S"  # the pattern of a text that must say something: blank counts as missing
ONE_LINE = r"^[^\n]*\S[^\n]*$"
CUSTOM = "data"  # the error type of our own validators: their message is already ours

# What a value of each type is, and how to write one, for "'x' must be ..., not ...; ..."
# (a field's own title and description say it better, where the model gives them).
KINDS = {
    "string_type": ("text", 'write it in double quotes, e.g. "..."'),
    "int_type": ("a whole number", "write the number without quotes"),
    "float_type": ("a number", "write the number without quotes"),
    "bool_type": ("true or false", "write true or false, without quotes"),
    "date_type": ("a date", "write it as YYYY-MM-DD, without quotes"),
    "list_type": ("a list", 'write it in [brackets], e.g. ["a", "b"]'),
    "tuple_type": ("a list", 'write it in [brackets], e.g. ["a", "b"]'),
    "dict_type": ("a table", "write it as a [section] or { ... }"),
    "model_type": ("a table", "write it as a [section] or { ... }"),
}


def fail(message: str, **values) -> PydanticCustomError:
    """An error of our own validators, worded as our messages are (`{name}` for values)."""
    return PydanticCustomError(CUSTOM, message, values)


@lru_cache(maxsize=None)
def _adapter(schema) -> TypeAdapter:
    return TypeAdapter(schema)


def check(schema, data, name: str, place, advice: str = "", context: dict | None = None) -> tuple[typing.Any, list[str]]:
    """`data` (read from TOML) as `schema` (a model, or e.g. dict[str, Model]), or None and
    one message per error. `name`: the file as messages name it. `advice`, if given, is added
    to the fix of every error (e.g. for a file a command writes: "run `invoke sources` again").
    `context`: what the models' own validators need to know, e.g. the site's languages."""
    try:
        return _adapter(schema).validate_python(data, strict=True, context=context), []
    except ValidationError as error:
        return None, [problem(e, schema, data, name, place, advice) for e in error.errors(include_url=False)]


def problem(error: dict, schema, data, name: str, place, advice: str = "") -> str:
    loc = error["loc"]
    where, used, *label = place(loc, data)
    owner, info, target = _walk(schema, loc)
    field, item = _field(loc[used:])
    named = label[0] if label else f"'{field}'" + (f" item {item + 1}" if item is not None else "") if field else ""
    what, fix = _explain(error, field, named, item, owner, info, target)
    text = f"{name}: {where}: {what}" if where else f"{name}: {what}"
    fix = "; ".join(filter(None, (fix, advice)))
    return f"{text}; {fix}" if fix else text


def _field(rest: tuple) -> tuple[str, int | None]:
    """('prp', 'refs', 1) -> ("prp.refs", 1): the field as the file writes it, and the item."""
    names = [str(p) for p in rest if isinstance(p, str)]
    item = rest[-1] if rest and isinstance(rest[-1], int) and names else None
    return ".".join(names), item


def _explain(error: dict, field: str, named: str, item, owner, info, target) -> tuple[str, str]:
    kind, value = error["type"], error.get("input")
    title = info.title if info is not None and item is None else None
    fix = info.description if info is not None else None
    subject = f"{named} " if named else ""  # "" for a whole entry: the place names it
    ctx = error.get("ctx") or {}
    if kind == CUSTOM:
        return error["msg"], ""
    if kind == "missing":
        return f"{named} is missing", f"add it ({fix})" if fix else "add it"
    if kind == "extra_forbidden":
        known = sorted(f.alias or n for n, f in owner.model_fields.items()) if owner else []
        return f"unknown field {named}", f"use one of {', '.join(known)}" if known else "remove it"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in (NONBLANK, ONE_LINE):
        if ctx["pattern"] == ONE_LINE and str(value).strip():
            return f"{named} runs over several lines", "write it on one line"
        required = info is not None and info.is_required()
        return f"{named} is empty", (fix or "write it") + ("" if required else ", or leave it out")
    if kind == "date_type" and isinstance(value, datetime.datetime):
        return f"{subject}{value} has a time of day", "write the day only, as YYYY-MM-DD"
    entry = _entry_model(target)
    if kind in ("list_type", "tuple_type") and entry is not None:  # a list of tables
        example = entry.model_config.get("title")
        if field and not example:
            return (f"{subject}must be a list of [[{field}]] entries, not {shown(value)}",
                    f"write each one under its own [[{field}]] line")
        return f"{subject}must be a list of tables, not {shown(value)}", f"write it as [{example or '{ ... }'}, ...]"
    if kind in ("model_type", "dict_type") and _is_model(target):
        fields = ", ".join(f.alias or n for n, f in target.model_fields.items())
        example = target.model_config.get("title")
        return (f"{subject}must be a table of {fields}, not {shown(value)}",
                f"write it as {example}" if example else fix or "write it as a [section] or { ... } with those fields")
    if kind in KINDS:
        return f"{subject}must be {title or KINDS[kind][0]}, not {shown(value)}", fix or KINDS[kind][1]
    if kind == "literal_error":  # a list's items too: the title says what each must be
        title = info.title if info is not None else None
        choices = typing.get_args(target) if typing.get_origin(target) is typing.Literal else ()
        choices = ", ".join(map(str, choices)) or ctx.get("expected", "")
        return f"{field} {shown(value)} is not {title or 'known'}", f"use one of {choices}" + (f" ({fix})" if fix else "")
    if kind in ("too_short", "too_long"):
        count, limit = ctx.get("actual_length", "?"), ctx.get("min_length", ctx.get("max_length"))
        give = f"give at {'least' if kind == 'too_short' else 'most'} {limit}"
        return f"{subject}has {count} item{'s' if count != 1 else ''}", f"{give}: {fix}" if fix else give
    # A pattern, a range, or anything else: the value, what it must be, how to write it.
    return f"{field} {shown(value)} is not {title or 'in the expected form'}".lstrip(), fix or "correct the value"


def _entry_model(t):
    """The model of the entries of a list type, or None."""
    if typing.get_origin(t) in (list, tuple):
        item = _unwrap(typing.get_args(t)[0])
        return item if _is_model(item) else None
    return None


def shown(value) -> str:
    """A value as the file writes it, short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list" if len(str(value)) > 60 else str(value)
    return str(value)


def _is_model(t) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _unwrap(t):
    """Annotated[X, ...] -> X; X | None -> X."""
    while True:
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            t = typing.get_args(t)[0]
        elif origin in (typing.Union, types.UnionType):
            t = next(a for a in typing.get_args(t) if a is not type(None))
        else:
            return t


def _walk(schema, loc: tuple):
    """The model that holds the last field named in `loc`, that field's FieldInfo (None for a
    field the model lacks), and the type `loc` points at."""
    t, owner, info = schema, None, None
    for part in loc:
        t = _unwrap(t)
        if _is_model(t):
            owner = t
            info = next((f for n, f in t.model_fields.items() if (f.alias or n) == part), None)
            if info is None:
                return owner, None, None
            t = info.annotation
        elif typing.get_origin(t) in (list, tuple):
            t = typing.get_args(t)[0]
        elif typing.get_origin(t) is dict:
            t = typing.get_args(t)[1]
        else:
            break
    return owner, info, _unwrap(t)
