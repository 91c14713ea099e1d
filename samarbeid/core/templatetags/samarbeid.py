from typing import Any

from django import template

register = template.Library()


@register.filter
def attr_value(obj: Any, name: str) -> Any:
    """The stored value of field `name` on `obj`, for showing both sides of a conflict."""
    if obj is None or obj == "":
        return ""
    value = getattr(obj, name, "")
    display = getattr(obj, f"get_{name}_display", None)
    return display() if callable(display) else value


@register.filter
def typed_value(field: Any) -> Any:
    """What the user typed or chose in a bound field, as the page showed it: the label of a
    chosen option (a municipality's name, not its id), for showing both sides of a conflict."""
    value = field.value()
    if value is None:
        return ""
    choices = getattr(field.field, "choices", None)
    if choices is not None and not isinstance(value, (list, tuple)):
        for option, label in choices:
            if str(getattr(option, "value", option)) == str(value):
                return label
    return value
