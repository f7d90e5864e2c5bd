"""Multiple systems estimation: how many victims no list has found.

Framework-free (NumPy, SciPy, numba; no Django). The pieces:

- :mod:`~nmt.estimation.table`: capture tables from CSV, validated.
- :mod:`~nmt.estimation.models`: hierarchical log-linear models in ``[12,3]`` notation.
- :mod:`~nmt.estimation.loglinear`: Poisson log-linear fit with extended maximum likelihood,
  the Fienberg-Rinaldo existence check, AIC/BIC, the log-normal interval and standard error.
- :mod:`~nmt.estimation.intervals`: the profile-likelihood interval.
- :mod:`~nmt.estimation.selection`: stepwise selection and AIC/BIC search with a ranking.
- :mod:`~nmt.estimation.bootstrap`: BCa intervals re-running the selection on each replicate.
- :mod:`~nmt.estimation.lcmcr`: the Bayesian latent-class model LCMCR.
- :mod:`~nmt.estimation.command`: ``nmt estimate``.
"""

from nmt.estimation.bootstrap import BootstrapResult, Estimator, bootstrap
from nmt.estimation.intervals import profile_interval
from nmt.estimation.lcmcr import LcmcrResult, lcmcr
from nmt.estimation.loglinear import (
    Existence,
    ExistenceCheck,
    LoglinearFit,
    NotEstimableError,
    check_existence,
    fit_model,
)
from nmt.estimation.models import Model, ModelError, hierarchical_models
from nmt.estimation.results import Interval
from nmt.estimation.selection import SelectionResult, search_models, stepwise
from nmt.estimation.table import (
    CaptureTable,
    parse_capture_table,
    read_capture_table,
    table_from_patterns,
)

__all__ = [
    "BootstrapResult",
    "CaptureTable",
    "Estimator",
    "Existence",
    "ExistenceCheck",
    "Interval",
    "LcmcrResult",
    "LoglinearFit",
    "Model",
    "ModelError",
    "NotEstimableError",
    "SelectionResult",
    "bootstrap",
    "check_existence",
    "fit_model",
    "hierarchical_models",
    "lcmcr",
    "parse_capture_table",
    "profile_interval",
    "read_capture_table",
    "search_models",
    "stepwise",
    "table_from_patterns",
]
