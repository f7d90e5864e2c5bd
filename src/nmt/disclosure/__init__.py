"""Statistical disclosure control for NMT's published tables and exports (framework-free).

* :mod:`.ckm` - the cell key method (Statistics Sweden's method for population statistics from
  2025, ONS's for Census 2021) with permanent record keys (:mod:`.recordkeys`) and a documented
  maximum-entropy perturbation table (:mod:`.ptable`);
* :mod:`.suppression` - threshold suppression with secondary suppression across linked tables and
  margins, audited by attacking it with integer programming;
* :mod:`.policy` / :mod:`.protect` - a declarative policy per table, applied to a publication;
* :mod:`.presentation` - flags, symbols (SCB, ONS) and footnotes in Swedish and English;
* :mod:`.kanonymity` - k-anonymity (k = 11) of person-level exports by generalisation.

See ``docs/disclosure.md`` for what each method guarantees and ``docs/adr/0005`` for the choices.
"""

from .ckm import ckm_table, perturb_tabulation
from .kanonymity import (
    ANY,
    DEFAULT_K,
    Hierarchy,
    KAnonymityCheck,
    KAnonymityResult,
    age_hierarchy,
    category_hierarchy,
    check_k_anonymity,
    citizenship_hierarchy,
    enforce_k_anonymity,
)
from .policy import CKM, SUPPRESSION, DisclosurePolicy
from .presentation import (
    NONADDITIVITY_STATEMENT,
    display_value,
    nonadditivity_statement,
    table_notes,
)
from .protect import Protection, protect_tables
from .ptable import PTable, PTableCheck, PTableParameters, build_ptable, default_ptable
from .recordkeys import DEFAULT_KEY_RANGE, cell_key, record_keys, with_record_keys
from .results import Flag, ProtectedCell, ProtectedTable
from .suppression import (
    AuditEntry,
    CellInterval,
    SuppressionAudit,
    SuppressionResult,
    feasible_intervals,
    suppress_tables,
    suppress_tabulations,
)
from .tables import TOTAL, TableSpec, Tabulation, tabulate

__all__ = [
    "ANY",
    "CKM",
    "DEFAULT_K",
    "DEFAULT_KEY_RANGE",
    "NONADDITIVITY_STATEMENT",
    "SUPPRESSION",
    "TOTAL",
    "AuditEntry",
    "CellInterval",
    "DisclosurePolicy",
    "Flag",
    "Hierarchy",
    "KAnonymityCheck",
    "KAnonymityResult",
    "PTable",
    "PTableCheck",
    "PTableParameters",
    "ProtectedCell",
    "ProtectedTable",
    "Protection",
    "SuppressionAudit",
    "SuppressionResult",
    "TableSpec",
    "Tabulation",
    "age_hierarchy",
    "build_ptable",
    "category_hierarchy",
    "cell_key",
    "check_k_anonymity",
    "citizenship_hierarchy",
    "ckm_table",
    "default_ptable",
    "display_value",
    "enforce_k_anonymity",
    "feasible_intervals",
    "nonadditivity_statement",
    "perturb_tabulation",
    "protect_tables",
    "record_keys",
    "suppress_tables",
    "suppress_tabulations",
    "table_notes",
    "tabulate",
    "with_record_keys",
]
