"""Export and import of the whole database as JSON (`export_all`, `import_all`).

The file holds users (passwords as their hashes), groups, roles, the audit trail and every
domain app's records, in dependency order. API tokens are never exported. Content types
and permissions are written as natural keys, since their ids differ between databases.

An import checks everything before it writes anything: the file parses, every record
passes `full_clean`, every reference points at a record in the file or already in the
database, and the database holds none of the file's records yet. On any problem nothing
is written and each problem names the record (model, pk, field).
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction

from samarbeid.core.domain import domain_apps
from samarbeid.core.stamps import bulk_write

FORMAT = "samarbeid-export"
FORMAT_VERSION = 1
EXTRA_MODELS = ["auth.group", "auth.user", "accounts.roleassignment", "audit.auditentry"]
NEVER = {"accounts.apitoken"}


@dataclass(frozen=True)
class Problem:
    model: str
    pk: Any
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.model} pk={self.pk}" if self.pk is not None else self.model
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def exported_models() -> list[type[models.Model]]:
    """Every model to export, in dependency order (referenced models first)."""
    chosen: list[type[models.Model]] = []
    for label in EXTRA_MODELS:
        chosen.append(apps.get_model(label))
    for app_label in domain_apps():
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        chosen.extend(m for m in config.get_models() if not m._meta.proxy and m._meta.managed)
    chosen = [m for m in chosen if _label(m) not in NEVER]
    app_list: dict[Any, list[type[models.Model]]] = defaultdict(list)
    for model in chosen:
        app_list[apps.get_app_config(model._meta.app_label)].append(model)
    ordered = serializers.sort_dependencies(app_list.items(), allow_cycles=True)
    return [m for m in ordered if m in chosen]


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django cuts them to
    milliseconds, so an export → import → export round trip would not be identical)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


def _serialize(queryset: Any) -> list[dict[str, Any]]:
    """The records as JSON-ready dicts, like Django's "json" serializer but exact."""
    records = serializers.serialize("python", queryset)
    result: list[dict[str, Any]] = json.loads(json.dumps(records, cls=ExactJSONEncoder))
    return result


def _content_type_key(pk: Any) -> list[str]:
    ct = ContentType.objects.get_for_id(pk)
    return [ct.app_label, ct.model]


def export_data() -> dict[str, Any]:
    records: list[dict[str, Any]] = []
    permission_keys = {
        p.pk: [p.codename, p.content_type.app_label, p.content_type.model]
        for p in Permission.objects.select_related("content_type")
    }
    for model in exported_models():
        queryset = model._default_manager.order_by("pk")
        data = _serialize(queryset)
        ct_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.related_model is ContentType
        ]
        for item in data:
            for name in ct_fields:
                if item["fields"].get(name) is not None:
                    item["fields"][name] = _content_type_key(item["fields"][name])
            if "user_permissions" in item["fields"] or "permissions" in item["fields"]:
                for name in ("user_permissions", "permissions"):
                    if name in item["fields"]:
                        item["fields"][name] = [permission_keys[p] for p in item["fields"][name]]
        records.extend(data)
    return {"format": FORMAT, "version": FORMAT_VERSION, "records": records}


def export_to(path: Path) -> int:
    data = export_data()
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(data["records"])


def _resolve_keys(item: dict[str, Any], model: type[models.Model]) -> list[Problem]:
    """Turn natural keys of content types and permissions back into this database's ids."""
    problems = []
    fields = item.get("fields", {})
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is ContentType:
            value = fields.get(field.name)
            if isinstance(value, list):
                try:
                    fields[field.name] = ContentType.objects.get_by_natural_key(*value).pk
                except (ContentType.DoesNotExist, TypeError):
                    problems.append(
                        Problem(_label(model), item.get("pk"), field.name, f"unknown {value}")
                    )
    for name in ("user_permissions", "permissions"):
        if isinstance(fields.get(name), list):
            ids = []
            for key in fields[name]:
                try:
                    ids.append(Permission.objects.get_by_natural_key(*key).pk)
                except (Permission.DoesNotExist, TypeError):
                    problems.append(
                        Problem(_label(model), item.get("pk"), name, f"unknown permission {key}")
                    )
            fields[name] = ids
    return problems


def _json_defaults(model: type[models.Model]) -> list[str]:
    """JSON fields whose empty value ({} or []) is valid data, not a missing value."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.JSONField) and f.has_default()
    ]


def validate(raw: str) -> list[Any]:
    """Parse and check the whole file; raise ImportRefused listing every problem."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImportRefused([Problem("file", None, "", f"not JSON: {exc}")]) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused([Problem("file", None, "", f"not a {FORMAT} file")])
    records = data.get("records")
    if not isinstance(records, list):
        raise ImportRefused([Problem("file", None, "records", "missing")])

    allowed = {_label(m): m for m in exported_models()}
    problems: list[Problem] = []
    parsed: list[Any] = []
    seen: dict[str, set[str]] = defaultdict(set)
    for index, item in enumerate(records):
        label = str(item.get("model", "")) if isinstance(item, dict) else ""
        model = allowed.get(label)
        if model is None:
            problems.append(
                Problem(label or f"record #{index + 1}", None, "model", "not importable")
            )
            continue
        problems.extend(_resolve_keys(item, model))
        pk = item.get("pk")
        problems.extend(_nul_problems(label, pk, item.get("fields")))
        if str(pk) in seen[label]:
            problems.append(Problem(label, pk, "pk", "appears twice in the file"))
        seen[label].add(str(pk))
        try:
            objects = list(serializers.deserialize("json", json.dumps([item])))
        except serializers.base.DeserializationError as exc:
            cause = exc.__cause__ or exc
            field = ""
            if isinstance(cause, ValidationError) and hasattr(cause, "error_dict"):
                field = ",".join(cause.error_dict)
            problems.append(Problem(label, pk, field, _message(cause)))
            continue
        parsed.extend(objects)

    # The database must not hold the file's records already (an import fills an empty one).
    for label, pks in seen.items():
        model = allowed[label]
        if model._default_manager.exists():
            existing = model._default_manager.filter(pk__in=list(pks)).values_list("pk", flat=True)
            for pk in list(existing)[:20]:
                problems.append(Problem(label, pk, "pk", "already in the database"))

    present: dict[type[models.Model], set[str]] = defaultdict(set)
    for obj in parsed:
        present[type(obj.object)].add(str(obj.object.pk))
    for obj in parsed:
        instance = obj.object
        model = type(instance)
        label = _label(model)
        fk_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
        try:
            instance.full_clean(
                exclude=[f.name for f in fk_fields] + _json_defaults(model),
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            problems.extend(_field_problems(label, instance.pk, exc))
        for fk in fk_fields:
            value = getattr(instance, fk.attname)
            if value is None:
                if not fk.null:
                    problems.append(Problem(label, instance.pk, fk.name, "is required"))
                continue
            target: Any = fk.related_model
            if str(value) in present.get(target, set()):
                continue
            if not target._default_manager.filter(pk=value).exists():
                problems.append(
                    Problem(
                        label,
                        instance.pk,
                        fk.name,
                        f"refers to {_label(target)} pk={value}, which is neither in the "
                        "file nor in the database",
                    )
                )
    if problems:
        raise ImportRefused(problems)
    return parsed


def _nul_problems(label: str, pk: Any, fields: Any) -> list[Problem]:
    """PostgreSQL cannot store the NUL character in text (SQLite can): refuse it for both."""
    if not isinstance(fields, dict):
        return []
    return [
        Problem(label, pk, name, "contains the NUL character")
        for name, value in fields.items()
        if _has_nul(value)
    ]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


def _save(obj: Any) -> None:
    """Save one record in its own savepoint; a refusal by the database names the record."""
    instance = obj.object
    label = _label(type(instance))
    try:
        with transaction.atomic():
            obj.save()
    except (DatabaseError, ValueError, OverflowError) as exc:
        # The savepoint is rolled back, so the database can still say which field clashes.
        problems: list[Problem] = []
        try:
            instance.validate_unique()
            instance.validate_constraints()
        except ValidationError as found:
            problems = _field_problems(label, instance.pk, found)
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ImportRefused(problems or [Problem(label, instance.pk, "", message)]) from exc


def _message(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


def _field_problems(label: str, pk: Any, exc: ValidationError) -> list[Problem]:
    if hasattr(exc, "error_dict"):
        return [
            Problem(label, pk, field, "; ".join(messages))
            for field, messages in exc.message_dict.items()
        ]
    return [Problem(label, pk, "", "; ".join(exc.messages))]


def import_from(path: Path) -> int:
    """Validate the file, then write everything in one transaction; nothing on any error."""
    parsed = validate(path.read_text(encoding="utf-8"))
    touched: set[str] = set()
    with transaction.atomic(), bulk_write():  # raw saves send no signal: raised once
        with connection.constraint_checks_disabled():
            for obj in parsed:
                _save(obj)
                touched.add(type(obj.object)._meta.db_table)
        try:
            connection.check_constraints(table_names=sorted(touched))
        except Exception as exc:  # an integrity problem found by the database itself
            raise ImportRefused([Problem("database", None, "", str(exc))]) from exc
        _reset_sequences({type(obj.object) for obj in parsed})
    return len(parsed)


def _reset_sequences(model_set: set[type[models.Model]]) -> None:

    statements = connection.ops.sequence_reset_sql(no_style(), list(model_set))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
