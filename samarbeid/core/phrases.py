"""Texts kept now and told later in the reader's language.

A background task's title, steps and result are written when the task is started or run,
but read by whoever opens its page, in their own language. So a task keeps them as phrases:
a message id from the catalogue (bokmål) with its parameters, stored as JSON and translated
when shown. Parameters are names and numbers, or phrases themselves (a status, a count's
words). A text that came ready-made from elsewhere (e.g. a service's refusal, already in its
starter's language) stays a plain string."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from django.utils.translation import gettext, ngettext

Param = Union[str, int, "Phrase", "Joined"]


@dataclass(frozen=True)
class Phrase:
    """`msgid` (with `plural` and `count`: the catalogue's plural forms) and the parameters
    it is formatted with, translated each time it is shown."""

    msgid: str
    params: Mapping[str, Param] = field(default_factory=dict)
    plural: str = ""
    count: int | None = None

    def __str__(self) -> str:
        if self.plural:
            text = ngettext(self.msgid, self.plural, self.count or 0)
        else:
            text = gettext(self.msgid)
        if not self.params:
            return text
        return text % {key: _formatted(value) for key, value in self.params.items()}

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"msgid": self.msgid}
        if self.params:
            data["params"] = {key: _param_json(value) for key, value in self.params.items()}
        if self.plural:
            data["plural"], data["count"] = self.plural, self.count
        return data


@dataclass(frozen=True)
class Joined:
    """Phrases (and plain strings) shown one after the other, e.g. sentences or lines."""

    parts: tuple[Param, ...]
    sep: str = " "

    def __str__(self) -> str:
        return self.sep.join(_shown(part) for part in self.parts)

    def as_json(self) -> dict[str, Any]:
        return {"join": [_param_json(part) for part in self.parts], "sep": self.sep}


Text = str | Phrase | Joined


def phrase(msgid: str, **params: Param) -> Phrase:
    """`msgid` (bokmål, as written in the catalogue) with its `%(name)s` parameters."""
    return Phrase(msgid, params)


def plural(singular: str, plural_: str, number: int, /, **params: Param) -> Phrase:
    """The singular or plural form for `number` (ngettext), with its parameters (which
    name the number again, as `%(count)s` or `%(n)s`)."""
    return Phrase(singular, params, plural=plural_, count=number)


def joined(*parts: Param, sep: str = " ") -> Joined:
    return Joined(tuple(parts), sep)


def as_json(text: Text) -> Any:
    """What is stored: a plain string as itself, a phrase as its message id and parameters."""
    return _param_json(text)


def from_json(data: Any) -> Text:
    """The text `as_json` stored (anything else read back as the string it shows)."""
    if isinstance(data, str):
        return data
    if isinstance(data, dict) and "msgid" in data:
        params = {key: _param_from_json(value) for key, value in data.get("params", {}).items()}
        return Phrase(
            str(data["msgid"]),
            params,
            plural=str(data.get("plural", "")),
            count=data.get("count"),
        )
    if isinstance(data, dict) and "join" in data:
        return Joined(tuple(_param_from_json(p) for p in data["join"]), str(data.get("sep", " ")))
    return "" if data is None else str(data)


def shown(data: Any) -> str:
    """A stored text (as_json's) as the reader reads it, in the active language."""
    return str(from_json(data))


def _shown(value: Param) -> str:
    return str(value)


def _formatted(value: Param) -> str | int:
    """A parameter as the message formats it: a number stays a number (for `%(n)d`)."""
    return value if isinstance(value, int) else str(value)


def _param_json(value: Param) -> Any:
    if isinstance(value, Phrase | Joined):
        return value.as_json()
    if isinstance(value, int | str):
        return value
    return str(value)  # a lazy translation or anything else: as shown now


def _param_from_json(value: Any) -> Param:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return from_json(value)
