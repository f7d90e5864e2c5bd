"""Template helpers: code-list labels, country names, the woman/man/girl/boy category, timeline."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _

from nmt.cases import codes
from nmt.cases.models import Identification, Person
from nmt.countries import country_name

register = template.Library()

_CODE_LISTS = {
    "purpose": codes.Purpose,
    "channel": codes.Channel,
    "sex": codes.Sex,
    "age_group": codes.AgeGroup,
    "offence": codes.Offence,
    "place": codes.ExploitationPlace,
    "industry": codes.Industry,
    "indicator": codes.Indicator,
    "status": codes.CaseStatus,
    "closed_reason": codes.ClosedReason,
    "document": codes.DocumentKind,
    "measure": codes.MeasureKind,
    "measure_status": codes.MeasureStatus,
    "legal_ground": codes.LegalGround,
    "consent": codes.Consent,
    "referral_status": codes.ReferralStatus,
}


# code list -> {code: lazy label}; the lazy labels translate when shown, so one dict serves all
# languages.
_LABELS = {name: dict(choices.choices) for name, choices in _CODE_LISTS.items()}


@register.filter
def label(value: Any, code_list: str) -> str:
    """``{{ case.channel|label:"channel" }}``: the translated label of a code."""
    if value in (None, ""):
        return "—"
    return str(_LABELS[code_list].get(value, value))


@register.filter
def country(code: str) -> str:
    language = "en" if (get_language() or "sv").startswith("en") else "sv"
    return country_name(code, language) if code else "—"


@register.filter
def person_category(sex: str, age_group: str) -> str:
    """Kvinna, man, flicka, pojke: the Swedish statistical category of sex and age."""
    return str(_CATEGORIES.get((sex, age_group), _UNKNOWN))


_UNKNOWN = gettext_lazy("Unknown")
_CATEGORIES = {
    ("female", "adult"): pgettext_lazy("person", "Woman"),
    ("female", "child"): pgettext_lazy("person", "Girl"),
    ("male", "adult"): pgettext_lazy("person", "Man"),
    ("male", "child"): pgettext_lazy("person", "Boy"),
    ("female", "unknown"): gettext_lazy("Female, age unknown"),
    ("male", "unknown"): gettext_lazy("Male, age unknown"),
    ("other", "adult"): gettext_lazy("Other"),
    ("other", "child"): gettext_lazy("Other (child)"),
    ("other", "unknown"): gettext_lazy("Other"),
}


@register.filter
def display_name(person: Any) -> str:
    name = " ".join(part for part in (person.given_name, person.family_name) if part)
    return name or _("Name unknown")


@register.simple_tag
def timeline_text(entry: Any) -> str:
    data = entry.data or {}
    if entry.kind == codes.TimelineKind.NOTE:
        return _("Note")
    if entry.kind == codes.TimelineKind.STATUS:
        status = label(data.get("status"), "status")
        if data.get("previous"):
            text = _("Status changed from %(old)s to %(new)s") % {
                "old": label(data["previous"], "status"),
                "new": status,
            }
        else:
            text = _("Case registered (%(status)s)") % {"status": status}
        if data.get("reason"):
            text += f": {label(data['reason'], 'closed_reason')}"
        return text
    if entry.kind == codes.TimelineKind.MEASURE:
        measure = label(data.get("measure_kind"), "measure")
        status = label(data.get("status"), "measure_status")
        if data.get("event") == "added":
            return _("Measure added: %(measure)s (%(status)s)") % {
                "measure": measure,
                "status": status,
            }
        return _("Measure updated: %(measure)s (%(status)s)") % {
            "measure": measure,
            "status": status,
        }
    if entry.kind == codes.TimelineKind.REFERRAL:
        events = {
            "created": _("Referred to %(agency)s"),
            "accepted": _("%(agency)s accepted the referral"),
            "declined": _("%(agency)s declined the referral"),
            "closed": _("Referral to %(agency)s closed"),
        }
        return events.get(data.get("event"), _("Referral")) % {"agency": data.get("agency", "")}
    if entry.kind == codes.TimelineKind.CHANGE:
        is_person = data.get("object") == "person"
        what = _("Identity") if is_person else _("Case details")
        model = Person if is_person else Identification
        names = [_field_label(model, name) for name in data.get("fields", [])]
        return _("%(what)s changed: %(fields)s") % {"what": what, "fields": ", ".join(names)}
    return entry.get_kind_display()


def _field_label(model: Any, name: str) -> str:
    extra = {
        "citizenships": _("citizenship"),
        "documents": _("identity documents"),
        "purposes": _("purposes"),
    }
    if name in extra:
        return str(extra[name])
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


@register.filter
def lookup(mapping: dict, key: Any) -> Any:
    return mapping.get(key)
