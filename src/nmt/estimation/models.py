"""Hierarchical log-linear models and their notation.

A model is written by its maximal terms, lists numbered 1..t in column order, as in the R package
MultipleSystemsEstimation and Rcapture: ``[12,3]`` has the main effects of lists 1, 2, 3 and the
interaction of lists 1 and 2; ``[123,14,34]`` has every subset of 123, 14 and 34. Main effects of
all lists are always in the model. With more than 9 lists, write a term's lists with colons
(``[1:10,3]``); colons may also join list names (``[LA:NG]``).

Internally a term is a bit mask over the lists (list ``j`` is bit ``j``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

# Beyond this many candidate models an exhaustive search is refused rather than left to run for
# hours (Rcapture's closedpMS.t refuses similar sizes).
MAX_MODELS = 70_000


class ModelError(ValueError):
    """A model that cannot be parsed or built for the table at hand."""


def _bits(mask: int) -> tuple[int, ...]:
    return tuple(j for j in range(mask.bit_length()) if mask >> j & 1)


def _popcount(mask: int) -> int:
    return bin(mask).count("1")


def _term_key(mask: int) -> tuple[int, tuple[int, ...]]:
    return (_popcount(mask), _bits(mask))


@dataclass(frozen=True)
class Model:
    """A hierarchical log-linear model over ``t`` lists.

    Parameters
    ----------
    t : int
        Number of lists.
    maximal : tuple of int
        Bit masks of the maximal terms (none contained in another); main effects not covered by a
        larger term appear as single-bit masks.
    """

    t: int
    maximal: tuple[int, ...]

    @classmethod
    def from_terms(cls, t: int, terms: Sequence[Sequence[int] | int]) -> Model:
        """Build a model from terms given as 0-based list indices (or bit masks)."""
        masks = set()
        for term in terms:
            mask = term if isinstance(term, int) else sum(1 << j for j in term)
            if mask <= 0 or mask >= 1 << t:
                raise ModelError(f"term {term!r} is not a set of lists among {t}")
            masks.add(mask)
        masks |= {1 << j for j in range(t)}
        if (1 << t) - 1 in masks:
            raise ModelError("the term with all lists is not identifiable (it is the dark figure)")
        maximal = [m for m in masks if not any(m != o and m & o == m for o in masks)]
        return cls(t, tuple(sorted(maximal, key=lambda m: (-_popcount(m), _bits(m)))))

    @classmethod
    def main_effects(cls, t: int) -> Model:
        """The model of independent lists, ``[1,2,...,t]``."""
        return cls.from_terms(t, [])

    @classmethod
    def parse(cls, text: str, lists: Sequence[str]) -> Model:
        """Parse ``[12,3]``-style notation for a table with the given list names."""
        t = len(lists)
        body = text.strip()
        if body.startswith("[") and body.endswith("]"):
            body = body[1:-1]
        if not body.strip():
            return cls.main_effects(t)
        by_name = {name.lower(): j for j, name in enumerate(lists)}
        terms = []
        for raw in body.split(","):
            token = raw.strip()
            if not token:
                raise ModelError(f"empty term in model {text!r}")
            if ":" in token:
                parts = [p.strip() for p in token.split(":")]
            elif token.isdigit():
                # Up to 9 lists a term is its digits; beyond, a bare number is one list.
                parts = list(token) if t <= 9 else [token]
            elif token.lower() in by_name:
                parts = [token]
            else:
                raise ModelError(
                    f"cannot read term {token!r} in {text!r}: write lists as digits 1..{t}"
                    + (" joined by ':'" if t > 9 else "")
                )
            term = []
            for part in parts:
                if part.isdigit() and 1 <= int(part) <= t:
                    term.append(int(part) - 1)
                elif part.lower() in by_name:
                    term.append(by_name[part.lower()])
                else:
                    hint = " (more than 9 lists: join a term's lists with ':')" if t > 9 else ""
                    raise ModelError(f"no list {part!r} in a table of {t} lists ({text!r}){hint}")
            if len(set(term)) != len(term):
                raise ModelError(f"term {token!r} names a list twice")
            terms.append(term)
        return cls.from_terms(t, terms)

    @property
    def terms(self) -> tuple[int, ...]:
        """Every term of the model (all subsets of the maximal terms), by order then lists."""
        found: set[int] = set()
        for mask in self.maximal:
            bits = _bits(mask)
            for k in range(1, len(bits) + 1):
                for combo in itertools.combinations(bits, k):
                    found.add(sum(1 << j for j in combo))
        return tuple(sorted(found, key=_term_key))

    @property
    def order(self) -> int:
        """Largest number of lists in one term."""
        return max(_popcount(m) for m in self.maximal)

    @property
    def n_parameters(self) -> int:
        """Parameters including the intercept."""
        return 1 + len(self.terms)

    def name(self) -> str:
        """The model in ``[12,3]`` notation."""
        return "[" + ",".join(term_label(m, self.t) for m in self.maximal) + "]"

    def with_term(self, mask: int) -> Model:
        """The model with one more term (and everything below it)."""
        return Model.from_terms(self.t, [*self.maximal, mask])

    def pairs(self) -> tuple[int, ...]:
        """The two-list terms of the model."""
        return tuple(m for m in self.terms if _popcount(m) == 2)

    def __str__(self) -> str:
        return self.name()


def term_label(mask: int, t: int) -> str:
    """A term in model notation: ``12`` (or ``1:10`` with more than 9 lists)."""
    sep = "" if t <= 9 else ":"
    return sep.join(str(j + 1) for j in _bits(mask))


def term_names(mask: int, lists: Sequence[str]) -> str:
    """A term by list names, ``LA:NG``."""
    return ":".join(lists[j] for j in _bits(mask))


def design_matrix(t: int, terms: Sequence[int]) -> np.ndarray:
    """Design matrix over the ``2**t - 1`` observable cells: intercept, then one column per term.

    Entry ``(c - 1, k)`` is 1 when cell ``c`` contains every list of term ``k``.
    """
    codes = np.arange(1, 2**t, dtype=np.int64)
    masks = np.asarray(terms, dtype=np.int64)
    x = np.ones((codes.size, 1 + masks.size))
    if masks.size:
        x[:, 1:] = (codes[:, None] & masks[None, :]) == masks[None, :]
    return x


def all_pairs(t: int) -> tuple[int, ...]:
    """Every two-list term, in the order (1,2), (1,3), ..., (t-1,t)."""
    return tuple((1 << i) | (1 << j) for i in range(t) for j in range(i + 1, t))


def hierarchical_models(t: int, max_order: int, limit: int = MAX_MODELS) -> Iterator[Model]:
    """Every hierarchical model with all main effects and terms of at most ``max_order`` lists.

    The models are the simplicial complexes on the lists, as enumerated by Rcapture's
    ``closedpMS.t``; the saturated term with all ``t`` lists is never included.

    Raises
    ------
    ModelError
        If ``max_order`` is out of range, or the number of models would exceed ``limit``.
    """
    if not 1 <= max_order <= t - 1:
        raise ModelError(f"the maximum order must be between 1 and {t - 1} for {t} lists")
    candidates = [
        sum(1 << j for j in combo)
        for k in range(2, max_order + 1)
        for combo in itertools.combinations(range(t), k)
    ]
    index = {m: i for i, m in enumerate(candidates)}
    # For each candidate, the facets one list smaller that must be present first (hierarchy).
    facets = [
        [index[m & ~(1 << j)] for j in _bits(m) if _popcount(m) > 2 and (m & ~(1 << j)) in index]
        for m in candidates
    ]
    count = 0
    chosen = [False] * len(candidates)

    def walk(i: int) -> Iterator[Model]:
        nonlocal count
        if i == len(candidates):
            count += 1
            if count > limit:
                raise ModelError(
                    f"more than {limit} models with {t} lists up to order {max_order}; "
                    "lower the maximum order or use the stepwise method"
                )
            yield Model.from_terms(t, [m for m, c in zip(candidates, chosen, strict=True) if c])
            return
        yield from walk(i + 1)
        if all(chosen[f] for f in facets[i]):
            chosen[i] = True
            yield from walk(i + 1)
            chosen[i] = False

    yield from walk(0)


def count_hierarchical_models(t: int, max_order: int, limit: int = MAX_MODELS) -> int:
    """How many models :func:`hierarchical_models` yields (raises past ``limit``)."""
    return sum(1 for _ in hierarchical_models(t, max_order, limit))
