"""Template helpers of method support: labels of aggregated categories, protected figures and
search snippets."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from nmt.accounts.models import Region, Role
from nmt.cases import codes
from nmt.methods.models import LibraryCategory, TagKind
from nmt.web.templatetags.nmt import country

register = template.Library()


def _category_names() -> dict[str, str]:
    return {
        "woman": pgettext("person", "Woman"),
        "man": pgettext("person", "Man"),
        "girl": pgettext("person", "Girl"),
        "boy": pgettext("person", "Boy"),
        "other": _("Other"),
        "unknown": _("Unknown"),
    }


@register.filter
def category_label(value: Any, dimension: str) -> str:
    """The label of a category of an aggregate (purpose, region, industry, citizenship, ...)."""
    value = str(value)
    if dimension == "purpose":
        return str(dict(codes.Purpose.choices).get(value, value))
    if dimension == "industry":
        return str(dict(codes.Industry.choices).get(value, value))
    if dimension == "region":
        region = Region.objects.filter(code=value).first()
        return region.name if region else value
    if dimension == "citizenship":
        if value == "other":
            return _("Other countries")
        if value == "unknown":
            return _("Unknown")
        return country(value)
    if dimension == "category":
        return _category_names().get(value, value)
    if dimension == "role":
        return str(dict(Role.choices).get(value, value))
    if dimension == "library_category":
        return str(dict(LibraryCategory.choices).get(value, value))
    return value


@register.filter
def dimension_label(dimension: str) -> str:
    return {
        "purpose": _("Purpose"),
        "region": _("Region"),
        "industry": _("Industry"),
        "citizenship": _("Citizenship"),
    }.get(dimension, dimension)


@register.filter
def figure(cell: dict[str, Any] | None) -> str:
    """A protected figure as published: ``..`` if withheld."""
    if not cell or cell.get("value") is None:
        return ".."
    return str(cell["value"])


@register.filter
def notes_for_language(notes: dict[str, list[str]]) -> list[str]:
    language = "en" if (get_language() or "sv").startswith("en") else "sv"
    return (notes or {}).get(language, [])


@register.filter
def snippet(segments: list[tuple[str, bool]]) -> SafeString:
    """Search snippet pieces, escaped, with the matches in <mark>."""
    return format_html_join(
        "",
        "{}",
        ((format_html("<mark>{}</mark>", text) if hit else text,) for text, hit in segments),
    )


@register.filter
def tag_values(item: Any, kind: str) -> list[str]:
    return [t.value for t in item.tags.all() if t.kind == kind]


@register.simple_tag
def tag_list(item: Any) -> SafeString:
    """The item's tags as badges: purposes, roles and regions."""
    labels = []
    for tag in item.tags.all():
        dimension = {TagKind.PURPOSE: "purpose", TagKind.ROLE: "role"}.get(tag.kind, "region")
        labels.append((tag.kind, category_label(tag.value, dimension)))
    return format_html_join(" ", '<span class="badge badge-tag-{}">{}</span>', labels)
