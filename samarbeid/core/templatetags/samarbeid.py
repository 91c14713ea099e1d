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
