"""How protected cells are shown, and the footnotes that go with them (Swedish and English).

Symbol conventions (one style per publication):

``scb``
    Statistics Sweden's table symbols: ``..`` marks a figure that is not published
    ("uppgift inte tillgänglig eller för osäker för att anges"), which is how a figure withheld for
    confidentiality is shown. Numbers are printed as they are; ``.`` (category cannot occur) is not
    used because the tables have no impossible cells.
``ons``
    The UK Government Statistical Service's symbols as used by ONS: ``[c]`` confidential (withheld
    to protect confidentiality), ``[u]`` after a figure of low reliability (here: a CKM-perturbed
    value below the policy's ``small_count``).
``plain``
    Machine-readable: a withheld figure is an empty string; flags are in their own column.

Primary and secondary suppressions are shown with the same symbol on purpose: telling them apart
would tell a reader which cells are small.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from nmt.errors import BadInputError

if TYPE_CHECKING:
    from .results import ProtectedCell, ProtectedTable

STYLES = ("scb", "ons", "plain")
LANGUAGES = ("sv", "en")

SUPPRESSED_SYMBOL = {"scb": "..", "ons": "[c]", "plain": ""}
LOW_RELIABILITY_SUFFIX = {"scb": "", "ons": " [u]", "plain": ""}

NONADDITIVITY_STATEMENT = {
    "sv": (
        "Tabellens värden har skyddats med cellnyckelmetoden för att ingen enskild person ska "
        "kunna röjas. Varje värde som är större än noll kan ha ändrats med ett litet heltal, "
        "högst ±{D}, eller lämnats oförändrat. Totaler och delsummor skyddas på samma sätt som "
        "övriga värden, var för sig. Därför är summan av delarna inte alltid lika med den "
        "redovisade totalen. En summa som man själv räknar fram av redovisade värden är osäkrare "
        "än ett enskilt redovisat värde."
    ),
    "en": (
        "The figures in this table have been protected with the cell key method to keep "
        "individuals from being identified. Each figure above zero may have been changed by a "
        "small whole number, at most ±{D}, or left unchanged. Totals and subtotals are protected "
        "in the same way as other figures, each on its own. The parts therefore do not always add "
        "up to the published total. A sum worked out from published figures is less certain than "
        "a single published figure."
    ),
}
"""The statement that parts need not add up, as the report prints it under a CKM table."""

BLOCKED_VALUES_STATEMENT = {
    "sv": "Värdena 1–{js} redovisas aldrig; ett redovisat 0 kan stå för ett litet antal.",
    "en": "The values 1–{js} are never published; a published 0 may stand for a small number.",
}
BLOCKED_VALUE_STATEMENT = {
    "sv": "Värdet 1 redovisas aldrig; ett redovisat 0 kan stå för ett litet antal.",
    "en": "The value 1 is never published; a published 0 may stand for a small number.",
}

SMALL_STATEMENT = {
    "sv": (
        "Värden under {small} är osäkra i förhållande till sin storlek; tolka dem med försiktighet."
    ),
    "en": "Figures below {small} are uncertain relative to their size; interpret them with care.",
}

SUPPRESSION_STATEMENT = {
    "sv": (
        "{symbol} = uppgiften redovisas inte, för att skydda enskilda personer: den avser färre än "
        "{threshold} personer, eller skulle göra det möjligt att räkna fram en sådan uppgift."
    ),
    "en": (
        "{symbol} = figure withheld to protect individuals: it concerns fewer than {threshold} "
        "persons, or would allow such a figure to be worked out."
    ),
}

MULTI_VALUED_STATEMENT = {
    "sv": (
        "En person kan förekomma i flera kategorier av {variable} men räknas en gång i totalen; "
        "delarna kan därför summera till mer än totalen."
    ),
    "en": (
        "A person can be counted in several categories of {variable} but once in the total; the "
        "parts can therefore add up to more than the total."
    ),
}


def _check(style: str | None = None, lang: str | None = None) -> None:
    if style is not None and style not in STYLES:
        raise BadInputError(f"unknown display style {style!r}; use one of {', '.join(STYLES)}")
    if lang is not None and lang not in LANGUAGES:
        raise BadInputError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")


def display_value(cell: ProtectedCell, *, style: str = "scb") -> str:
    """The text to print for a cell in the given symbol style."""
    from .results import Flag

    _check(style=style)
    if Flag.SUPPRESSED in cell.flags or cell.value is None:
        return SUPPRESSED_SYMBOL[style]
    suffix = LOW_RELIABILITY_SUFFIX[style] if Flag.SMALL in cell.flags else ""
    return f"{cell.value}{suffix}"


def nonadditivity_statement(*, lang: str = "sv", max_deviation: int = 3) -> str:
    """The statement that parts need not add up to totals under the cell key method."""
    _check(lang=lang)
    return NONADDITIVITY_STATEMENT[lang].format(D=max_deviation)


def table_notes(
    table: ProtectedTable,
    *,
    lang: str = "sv",
    style: str = "scb",
    labels: Mapping[str, str] | None = None,
) -> list[str]:
    """Footnotes for a protected table: method statement, symbols and multi-valued variables.

    ``labels`` names the variables in the reader's language (e.g. ``{"purpose": "ändamål"}``);
    without it the variable's code is used.
    """
    _check(style=style, lang=lang)
    policy = table.policy
    notes = []
    if policy.method == "ckm":
        notes.append(nonadditivity_statement(lang=lang, max_deviation=policy.ptable.max_deviation))
        js = policy.ptable.blocked_up_to
        if js == 1:
            notes.append(BLOCKED_VALUE_STATEMENT[lang])
        elif js > 1:
            notes.append(BLOCKED_VALUES_STATEMENT[lang].format(js=js))
        if policy.small_count > 0:
            notes.append(SMALL_STATEMENT[lang].format(small=policy.small_count))
    else:
        symbol = SUPPRESSED_SYMBOL[style] or "—"
        notes.append(SUPPRESSION_STATEMENT[lang].format(symbol=symbol, threshold=policy.threshold))
    for variable in table.spec.variables:
        if variable in table.spec.multi_valued:
            label = (labels or {}).get(variable, variable)
            notes.append(MULTI_VALUED_STATEMENT[lang].format(variable=label))
    return notes
