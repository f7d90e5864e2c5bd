"""Reading agency lists: one file per source, one row per identification record.

The reader is the gate every list passes, from the command line and (issue 5) from the web
platform's import: it returns standardised records or raises :class:`~nmt.errors.BadInputError`
naming every rejected value by file, line and column. A list with any error is rejected whole.

File format (CSV in UTF-8 with or without BOM, or Windows-1252, comma, semicolon or tab
separated; or XLSX, first sheet), one header row naming these columns, all but ``record_id``
optional and every value allowed to be empty:

==================== ==========================================================================
column               value
==================== ==========================================================================
record_id            the agency's id of the record, unique in the list
given_name           one or more given names
family_name          one or more family names
aliases              other names and nicknames, ``;``-separated
birth_date           ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (also ``YYYYMMDD``, ``YYMMDD``,
                     ``DD/MM/YYYY``, ``DD.MM.YYYY``)
age                  estimated age in years at identification
sex                  kvinna, man, flicka, pojke, annat, okänt (or English, or K/F/M/X)
citizenship          ISO 3166 alpha-2 or alpha-3, or the Swedish or English country name
identification_date  date of the identification, same formats as birth_date
purposes             ``;``-separated purpose codes (DESIGN.md) or their Swedish labels
region               region of identification, free text
id_number            Swedish personal identity or coordination number, passport or other number
==================== ==========================================================================

Other column names are accepted through a :class:`ColumnMapping` (a small TOML file per agency).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd

from nmt.errors import BadInputError, Problem
from nmt.linkage.countries import parse_citizenship
from nmt.linkage.standardise import (
    PartialDate,
    parse_age,
    parse_date,
    parse_id_number,
    parse_purposes,
    parse_sex,
)

__all__ = [
    "FIELDS",
    "MAX_PROBLEMS_PER_COLUMN",
    "RECORD_COLUMNS",
    "AgencyList",
    "ColumnMapping",
    "RawTable",
    "parse_table",
    "read_list",
    "read_table",
    "source_name_problem",
]

FIELDS: tuple[str, ...] = (
    "record_id",
    "given_name",
    "family_name",
    "aliases",
    "birth_date",
    "age",
    "sex",
    "citizenship",
    "identification_date",
    "purposes",
    "region",
    "id_number",
)

#: Columns of :attr:`AgencyList.records`, in order.
RECORD_COLUMNS: tuple[str, ...] = (
    "source",
    "record_id",
    "line",
    "given_name",
    "family_name",
    "aliases",
    "birth_date",
    "age",
    "sex",
    "citizenship",
    "identification_date",
    "purposes",
    "region",
    "id_number",
    "id_type",
)

#: A column with more bad values than this is summarised after the first ones, so that a
#: wholly wrong column does not bury the other problems under a million lines.
MAX_PROBLEMS_PER_COLUMN = 50

_SOURCE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
_RESERVED_SOURCES = {"count", "person_id", "record_id", "source"}


def source_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a source (a capture-table column), or ``None`` if it can."""
    if not _SOURCE_NAME.match(name):
        return (
            f"source name {name!r} must start with a letter and have at most 40 letters, "
            "digits and underscores (it becomes a column of the capture table)"
        )
    if name.lower() in _RESERVED_SOURCES:
        return f"source name {name!r} is reserved"
    return None


def _header_key(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name).strip().casefold()
    return re.sub(r"[\s\-]+", "_", folded)


@dataclass(frozen=True)
class ColumnMapping:
    """How one agency's column names map onto the list format.

    Attributes
    ----------
    columns : Mapping[str, str]
        The agency's column name -> field name (one of :data:`FIELDS`).
    ignore : frozenset of str
        The agency's columns to drop without complaint (case-insensitive).
    source : str or None
        The source name to use when the command line gives none.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()
    source: str | None = None

    @classmethod
    def from_file(cls, path: str | Path) -> ColumnMapping:
        """Read a TOML mapping file, for example::

            source = "police"
            ignore = ["Handläggare", "Kommentar"]

            [columns]
            "Ärendenummer" = "record_id"
            "Förnamn" = "given_name"
            "Födelsedatum" = "birth_date"

        Raises
        ------
        BadInputError
            Listing every problem in the file.
        """
        where = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise BadInputError(f"cannot read the mapping file: {exc.strerror}", where) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise BadInputError(f"not a valid UTF-8 TOML file: {exc}", where) from None
        return cls.from_dict(data, where=where)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str | None = None) -> ColumnMapping:
        """Build a mapping from its parsed TOML (or JSON) form, checking every entry."""
        if not isinstance(data, Mapping):
            raise BadInputError("the mapping must be a table of source, ignore and columns", where)
        problems: list[Problem] = []
        for key in sorted(set(data) - {"source", "ignore", "columns"}):
            problems.append(Problem(f"unknown key {key!r} (use source, ignore, columns)", where))
        source = data.get("source")
        if source is not None and (not isinstance(source, str) or source_name_problem(source)):
            problems.append(
                Problem(source_name_problem(str(source)) or "source must be a string", where)
            )
        ignore = data.get("ignore", [])
        if not isinstance(ignore, list) or not all(isinstance(x, str) for x in ignore):
            problems.append(Problem("ignore must be a list of column names", where))
            ignore = []
        columns = data.get("columns", {})
        if not isinstance(columns, Mapping):
            problems.append(Problem("[columns] must map column names to field names", where))
            columns = {}
        seen: dict[str, str] = {}
        for theirs, ours in columns.items():
            if ours not in FIELDS:
                problems.append(
                    Problem(
                        f"column {theirs!r} maps to {ours!r}, which is no field "
                        f"(fields: {', '.join(FIELDS)})",
                        where,
                    )
                )
            elif ours in seen:
                problems.append(
                    Problem(f"columns {seen[ours]!r} and {theirs!r} both map to {ours!r}", where)
                )
            else:
                seen[ours] = theirs
        if problems:
            raise BadInputError(problems)
        return cls(
            columns={_header_key(k): v for k, v in columns.items()},
            ignore=frozenset(_header_key(x) for x in ignore),
            source=source,
        )

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "ignore": sorted(self.ignore), "columns": dict(self.columns)}


@dataclass(frozen=True)
class AgencyList:
    """One source's validated, standardised list.

    Attributes
    ----------
    source : str
        The source name (a capture-table column).
    path : str
        Where the list came from, for messages.
    records : pandas.DataFrame
        One row per record, columns :data:`RECORD_COLUMNS`: ``birth_date`` and
        ``identification_date`` as ISO partial dates (``YYYY[-MM[-DD]]``), ``age`` as a nullable
        integer, ``sex`` as ``f``/``m``/``x``, ``citizenship`` as ISO alpha-2, ``purposes`` and
        ``aliases`` ``;``-separated, ``id_number`` standardised with its ``id_type``
        (``personnummer``, ``samordningsnummer``, ``other``); missing values are ``None``.
        When only a Swedish identity number gives the birth date, ``birth_date`` is taken from it.
    """

    source: str
    path: str
    records: pd.DataFrame

    def __len__(self) -> int:
        return len(self.records)

    def to_dict(self) -> dict[str, Any]:
        """Summary: source, path, number of records and how many have each field."""
        filled = {
            column: int(self.records[column].notna().sum())
            for column in RECORD_COLUMNS
            if column not in {"source", "record_id", "line"}
        }
        return {"source": self.source, "path": self.path, "records": len(self), "filled": filled}


@dataclass(frozen=True)
class RawTable:
    """A file's header and rows as text, each row with its line number (header is line 1).

    Either ``rows`` (one list of cells per row) or ``columns`` (one sequence of cells per
    column: lists, or Arrow string arrays as the fast CSV reader gives them) holds the cells;
    :meth:`column` reads either.
    """

    path: str
    header: list[str]
    rows: list[list[str]] | None
    lines: list[int]
    columns: list[Any] | None = None

    def __len__(self) -> int:
        return len(self.lines)

    def column(self, index: int) -> list[str]:
        """The cells of column ``index``, one per row, as a list of strings."""
        if self.columns is not None:
            cells = self.columns[index]
            return cells if isinstance(cells, list) else cells.to_pylist()
        return [row[index] for row in self.rows or ()]

    def coded(self, index: int) -> tuple[np.ndarray, list[str]]:
        """Column ``index`` stripped of surrounding white space, as ``(codes, values)``:
        ``values[codes[i]]`` is row ``i``'s cell. Work on the distinct values is done once."""
        if self.columns is not None and not isinstance(self.columns[index], list):
            encoded = self.columns[index].dictionary_encode()
            codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
            distinct = encoded.dictionary.to_pylist()
        else:
            cells = self.column(index)
            codes, uniques = pd.factorize(np.asarray(cells, dtype=object).reshape(-1))
            distinct = list(uniques)
        stripped = [cell.strip() for cell in distinct]
        recodes, values = pd.factorize(np.asarray(stripped, dtype=object).reshape(-1))
        return recodes[codes] if len(codes) else codes, list(values)


def read_list(
    file: str | Path | BinaryIO,
    *,
    source: str | None = None,
    mapping: ColumnMapping | None = None,
    filename: str | None = None,
    today: date | None = None,
) -> AgencyList:
    """Read, validate and standardise one agency list.

    Parameters
    ----------
    file : str, Path or binary file object
        A ``.csv`` (or ``.txt``/``.tsv``) or ``.xlsx`` file. A file object (an upload) needs
        ``filename`` for its type and for messages.
    source : str, optional
        Source name; default the mapping's ``source``, else the file name's stem.
    mapping : ColumnMapping, optional
        The agency's column names.
    filename : str, optional
        Name to report for a file object.
    today : datetime.date, optional
        Reference date for "in the future" checks and six-digit years (tests pin it).

    Returns
    -------
    AgencyList

    Raises
    ------
    BadInputError
        Listing every problem: encoding, columns, values, duplicate ids.
    """
    table = read_table(file, filename=filename)
    name = source or (mapping.source if mapping else None) or Path(table.path).stem
    return parse_table(table, source=name, mapping=mapping, today=today)


def read_table(file: str | Path | BinaryIO, *, filename: str | None = None) -> RawTable:
    """Read a CSV or XLSX file into text rows, without interpreting the values."""
    if isinstance(file, (str, Path)):
        where = str(file)
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise BadInputError(f"cannot read the file: {exc.strerror}", where) from None
    else:
        where = filename or getattr(file, "name", None) or "<upload>"
        data = file.read()
    suffix = Path(where).suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(data, where)
    if suffix in {".csv", ".txt", ".tsv", ""}:
        return _read_csv(_decode(data, where), where)
    raise BadInputError(f"unsupported file type {suffix!r} (use .csv or .xlsx)", where)


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def _decode(data: bytes, where: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        raise BadInputError(
            "the file is UTF-16 or binary; save it as CSV in UTF-8 or Windows-1252", where
        )
    bom = data.startswith(codecs.BOM_UTF8)
    body = data[3:] if bom else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if bom or _UTF8_MULTIBYTE.search(body):
        # Mostly UTF-8 with some other bytes: decoding it all as Windows-1252 would turn every
        # å into Ã¥, so name the lines to fix instead.
        problems = []
        for number, line in enumerate(body.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append(
                    Problem(
                        f"byte 0x{line[exc.start]:02x} at character {exc.start + 1} is not "
                        "UTF-8, but the rest of the file is; save the file in one encoding",
                        where,
                        number,
                    )
                )
        raise BadInputError(problems)
    bad = [(i, b) for i, b in enumerate(body) if b in _CP1252_UNDEFINED]
    if bad:
        raise BadInputError(
            [
                Problem(
                    f"byte 0x{b:02x} is neither UTF-8 nor Windows-1252",
                    where,
                    body.count(b"\n", 0, i) + 1,
                )
                for i, b in bad[:MAX_PROBLEMS_PER_COLUMN]
            ]
        )
    return body.decode("cp1252")


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _read_csv(text: str, where: str) -> RawTable:
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    fast = _read_csv_fast(text, where, delimiter)
    if fast is not None:
        return fast
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise BadInputError("the file is empty; it needs a header row", where) from None
    except csv.Error as exc:
        raise BadInputError(
            f"the header row is not valid CSV: {exc}",
            where,
        ) from None
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(f"not valid CSV: {exc}", where, start))
            break
        if any(cell.strip() for cell in row):
            if len(row) != len(header):
                problems.append(
                    Problem(f"has {len(row)} fields but the header has {len(header)}", where, start)
                )
            else:
                rows.append(row)
                lines.append(start)
        start = reader.line_num + 1
    if problems:
        raise BadInputError(problems)
    return RawTable(where, header, rows, lines)


def _read_csv_fast(text: str, where: str, delimiter: str) -> RawTable | None:
    """Read a well-formed CSV with Arrow's reader (ten times faster than :mod:`csv`), or
    ``None`` when the file is not plainly one row per line with the header's number of fields
    (values with line breaks, ragged rows, stray quotes): the :mod:`csv` reader then reads it
    and names each problem."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    first = text.split("\n", 1)[0]
    if '"' in first or "\r" in first.rstrip("\r"):
        return None
    try:
        head = next(csv.reader(io.StringIO(first), delimiter=delimiter), None)
    except csv.Error:
        return None
    if not head:
        return None
    names = [f"c{i}" for i in range(len(head))]
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    body_lines = text.count("\n", len(first)) - (1 if text.endswith("\n") else 0)
    if table.num_rows != body_lines:
        return None
    columns = [table.column(i).combine_chunks() for i in range(len(names))]
    lines = np.arange(2, table.num_rows + 2)
    blank = np.ones(table.num_rows, dtype=bool)
    for column in columns:
        encoded = column.dictionary_encode()
        empty = np.array([not v.strip() for v in encoded.dictionary.to_pylist()], dtype=bool)
        if len(empty):
            blank &= empty[encoded.indices.to_numpy(zero_copy_only=False)]
    if blank.any():
        keep = np.flatnonzero(~blank)
        columns = [column.take(pa.array(keep)) for column in columns]
        lines = lines[keep]
    return RawTable(where, head, None, lines.tolist(), columns)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(data: bytes, where: str) -> RawTable:
    # openpyxl is imported here so that reading CSV never pays for it.
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise BadInputError(f"not a readable XLSX workbook: {exc}", where) from None
    except Exception as exc:
        # A damaged archive fails with whatever zlib, the XML parser or openpyxl raise.
        raise BadInputError(_unreadable(exc), where) from None
    try:
        return _xlsx_rows(workbook, where)
    except BadInputError:
        raise
    except Exception as exc:
        # Read-only workbooks parse a sheet only while it is iterated.
        raise BadInputError(_unreadable(exc), where) from None
    finally:
        workbook.close()


def _unreadable(exc: Exception) -> str:
    return f"not a readable XLSX workbook: {type(exc).__name__}: {exc}"


def _xlsx_rows(workbook: Any, where: str) -> RawTable:
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    header_cells = next(iterator, None)
    if header_cells is None:
        raise BadInputError("the first sheet is empty; it needs a header row", where)
    header = [_cell_text(c) for c in header_cells]
    while header and not header[-1].strip():
        header.pop()
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    for number, cells in enumerate(iterator, start=2):
        row = [_cell_text(c) for c in cells]
        if not any(cell.strip() for cell in row):
            continue
        extra = row[len(header) :]
        if any(cell.strip() for cell in extra):
            problems.append(Problem("has values to the right of the last column", where, number))
            continue
        rows.append((row + [""] * len(header))[: len(header)])
        lines.append(number)
    if problems:
        raise BadInputError(problems)
    return RawTable(where, header, rows, lines)


class _Bad:
    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def _parse_column(
    values: list[str],
    parse: Callable[[str], Any],
) -> tuple[list[Any], bool]:
    """Parse each distinct non-empty value once; bad values become :class:`_Bad`.

    Returns the parsed values and whether any was bad.
    """
    parsed: dict[str, Any] = {"": None}
    any_bad = False
    for value in set(values):
        if value in parsed:
            continue
        try:
            parsed[value] = parse(value)
        except ValueError as exc:
            parsed[value] = _Bad(str(exc))
            any_bad = True
    return [parsed[v] for v in values], any_bad


class _Problems:
    """Collects problems, summarising a column once it has too many."""

    def __init__(self, where: str):
        self.where = where
        self.items: list[Problem] = []
        self._per_column: dict[str, int] = {}

    def add(self, message: str, line: int | None = None, column: str | None = None) -> None:
        count = self._per_column.get(column or "", 0) + 1
        self._per_column[column or ""] = count
        if count <= MAX_PROBLEMS_PER_COLUMN:
            self.items.append(Problem(message, self.where, line, column))

    def finish(self) -> None:
        for column, count in self._per_column.items():
            if count > MAX_PROBLEMS_PER_COLUMN:
                self.items.append(
                    Problem(
                        f"and {count - MAX_PROBLEMS_PER_COLUMN} more rejected values",
                        self.where,
                        None,
                        column or None,
                    )
                )
        if self.items:
            raise BadInputError(self.items)


def _map_header(
    table: RawTable, mapping: ColumnMapping | None, problems: _Problems
) -> dict[str, int]:
    """Field name -> column index."""
    renames = dict(mapping.columns) if mapping else {}
    ignore = mapping.ignore if mapping else frozenset()
    positions: dict[str, int] = {}
    for index, name in enumerate(table.header):
        key = _header_key(name)
        if not key:
            if any(cell.strip() for cell in table.column(index)):
                problems.add("a column with values has no name", 1, f"#{index + 1}")
            continue
        if key in ignore:
            continue
        target = renames.get(key, key)
        if target not in FIELDS:
            problems.add(
                f"unknown column (the list format has {', '.join(FIELDS)}; "
                "other names need a mapping file)",
                1,
                name,
            )
        elif target in positions:
            problems.add(f"a second column for {target!r}", 1, name)
        else:
            positions[target] = index
    if "record_id" not in positions:
        problems.add("the required column record_id is missing", 1)
    return positions


def _text(value: str) -> str | None:
    cleaned = " ".join(unicodedata.normalize("NFC", value).split())
    return cleaned or None


def _aliases_text(value: str) -> str | None:
    return ";".join(p for p in (_text(a) for a in value.split(";")) if p) or None


def parse_table(
    table: RawTable,
    *,
    source: str,
    mapping: ColumnMapping | None = None,
    today: date | None = None,
) -> AgencyList:
    """Validate and standardise a :class:`RawTable` (see :func:`read_list`).

    Every column is parsed per distinct value and gathered back with numpy, so a list of a
    million rows costs little more than its distinct names and dates.
    """
    today = today or date.today()
    problems = _Problems(table.path)
    if (reason := source_name_problem(source)) is not None:
        problems.add(reason)
    positions = _map_header(table, mapping, problems)
    n = len(table)
    lines = np.asarray(table.lines, dtype=np.int64)
    empty = (np.zeros(n, dtype=np.int64), [""])

    def raw(name: str) -> tuple[np.ndarray, list[str]]:
        return table.coded(positions[name]) if name in positions else empty

    def header(name: str) -> str:
        return table.header[positions[name]] if name in positions else name

    def checked(name: str, parse: Callable[[str], Any]) -> _Parsed:
        """The parsed values (``None`` where empty or rejected, with a problem each)."""
        codes, values = raw(name)
        parsed = np.empty(len(values), dtype=object)
        bad: dict[int, str] = {}
        for k, value in enumerate(values):
            if not value:
                continue
            try:
                parsed[k] = parse(value)
            except ValueError as exc:
                bad[k] = str(exc)
        if bad:
            is_bad = np.zeros(len(values), dtype=bool)
            is_bad[list(bad)] = True
            for row in np.flatnonzero(is_bad[codes]):
                problems.add(bad[int(codes[row])], int(lines[row]), header(name))
            parsed[list(bad)] = None
        return _Parsed(codes, parsed)

    def text(name: str, clean: Callable[[str], str | None] = _text) -> np.ndarray:
        codes, values = raw(name)
        cleaned = np.empty(len(values), dtype=object)
        cleaned[:] = [clean(v) if v else None for v in values]
        return cleaned[codes]

    id_codes, id_values = raw("record_id")
    if len(id_values) != n or "" in id_values:
        first_seen: dict[str, int] = {}
        for line, code in zip(lines.tolist(), id_codes.tolist(), strict=True):
            record_id = id_values[code]
            if not record_id:
                if "record_id" in positions:
                    problems.add("record_id is empty", line, header("record_id"))
            elif record_id in first_seen:
                problems.add(
                    f"record_id {record_id!r} repeats line {first_seen[record_id]}",
                    line,
                    header("record_id"),
                )
            else:
                first_seen[record_id] = line
    record_ids = np.asarray(id_values, dtype=object)[id_codes] if n else np.array([], object)

    identification = checked("identification_date", lambda v: parse_date(v, today=today))
    births = checked("birth_date", lambda v: parse_date(v, today=today))
    ids = checked("id_number", lambda v: parse_id_number(v, today=today))
    born_low = births.map(lambda d: _date_number(d, low=True), 0).astype(np.int64)
    seen_high = identification.map(lambda d: _date_number(d, low=False), 0).astype(np.int64)
    for row in np.flatnonzero((born_low > seen_high) & (born_low > 0) & (seen_high > 0)):
        problems.add(
            f"birth date {births.rows()[row].iso()} is after the identification date "
            f"{identification.rows()[row].iso()}",
            int(lines[row]),
            header("birth_date"),
        )
    ages = checked("age", parse_age)
    sexes = checked("sex", parse_sex)
    citizenships = checked("citizenship", parse_citizenship)
    purposes = checked("purposes", parse_purposes)
    problems.finish()

    birth_iso = births.map(PartialDate.iso)
    from_id = ids.map(lambda i: i.birth_date.iso() if i.birth_date else None)
    birth_iso = np.where(pd.isna(birth_iso), from_id, birth_iso)
    records = pd.DataFrame(
        {
            "source": np.full(n, source, dtype=object),
            "record_id": record_ids,
            "line": lines,
            "given_name": text("given_name"),
            "family_name": text("family_name"),
            "aliases": text("aliases", _aliases_text),
            "birth_date": birth_iso,
            "age": pd.array(ages.rows(), dtype="Int64"),
            "sex": sexes.rows(),
            "citizenship": citizenships.rows(),
            "identification_date": identification.map(PartialDate.iso),
            "purposes": purposes.map(lambda p: ";".join(p) if p else None),
            "region": text("region"),
            "id_number": ids.map(lambda i: i.value),
            "id_type": ids.map(lambda i: i.kind),
        },
        columns=list(RECORD_COLUMNS),
    )
    records = records.astype({c: "object" for c in RECORD_COLUMNS if c not in {"line", "age"}})
    return AgencyList(source=source, path=table.path, records=records)


def _date_number(value: PartialDate, *, low: bool) -> int:
    """``YYYYMMDD`` of the earliest (``low``) or latest day a partial date can be."""
    month = value.month if value.month is not None else (1 if low else 12)
    day = value.day if value.day is not None else (1 if low else 31)
    return value.year * 10000 + month * 100 + day


class _Parsed:
    """A parsed column: ``values[codes[i]]`` is row ``i``'s value (``None`` if empty)."""

    def __init__(self, codes: np.ndarray, values: np.ndarray):
        self.codes = codes
        self.values = values

    def rows(self) -> np.ndarray:
        return self.values[self.codes]

    def map(self, function: Callable[[Any], Any], missing: Any = None) -> np.ndarray:
        """``function`` of each row's value, computed once per distinct value."""
        out = np.empty(len(self.values), dtype=object)
        out[:] = [missing if v is None else function(v) for v in self.values]
        return out[self.codes]


def partial_date(iso: str | None) -> PartialDate | None:
    """Inverse of :meth:`PartialDate.iso` for values in :attr:`AgencyList.records`."""
    if iso is None:
        return None
    parts = [int(p) for p in iso.split("-")]
    return PartialDate(*parts)
