"""Parser fuzzing: every importer and reader of files from outside, fed random bytes, random
encodings, random CSV structures and broken XLSX/ZIP archives.

The property is the same everywhere: a reader either returns its result or raises its documented
bad-input error (``nmt.errors.BadInputError``, whose every problem names the file, and the line
and column where there is one; Django's ``ValidationError`` on the ``file`` field for library
uploads). Any other exception is a crash that a malicious or merely broken file could trigger.

Hypothesis is derandomised (the examples are a function of the test), so CI sees the same inputs
on every run; a crash found once stays found.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from nmt.errors import BadInputError
from nmt.estimation.table import parse_capture_table, read_capture_table
from nmt.linkage.lists import FIELDS, RECORD_COLUMNS, ColumnMapping, read_list
from nmt.linkage.tokens import load_key, read_tokens

TODAY = date(2025, 6, 30)
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(FUZZ, max_examples=60)

ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "cp1252",
    "latin-1",
    "iso8859-15",
    "utf-16",
    "utf-16-be",
    "utf-32",
    "mac_roman",
    "koi8_r",
    "cp437",
    "shift_jis",
]

# Values a list cell might hold: well-formed ones, near misses and hostile ones.
CELL_SAMPLES = [
    "",
    " ",
    "P1",
    "Åsa",
    "Ștefan Țăranu",
    "Юлия",
    "O'Brien",
    '"quoted"',
    "a;b;c",
    "1999-04-02",
    "1999-02-30",
    "2099-01-01",
    "19990402",
    "990402",
    "02/04/1999",
    "31.12.1999",
    "0000-00-00",
    "199904022382",
    "19990402-2382",
    "990402+2382",
    "701063-2391",
    "AB1234567",
    "-1",
    "31",
    "1e309",
    "NaN",
    "inf",
    "kvinna",
    "K",
    "X",
    "okänt",
    "RO",
    "ROU",
    "Rumänien",
    "ZZ",
    "sexual;begging",
    "människohandel för sexuella ändamål",
    "=cmd|' /C calc'!A0",
    "\x00",
    "\ufeff",
    "\u202e",
    "a\nb",
    "a\rb",
    "x" * 300,
    "9" * 40,
]
HEADER_SAMPLES = [*FIELDS, "", " record_id ", "RECORD_ID", "Förnamn", "count", "key_id", "extra"]

cells = st.one_of(st.sampled_from(CELL_SAMPLES), st.text(max_size=20))
headers = st.lists(
    st.one_of(st.sampled_from(HEADER_SAMPLES), st.text(max_size=12)), min_size=0, max_size=8
)


def check_bad_input(error: BadInputError, filename: str) -> None:
    """The documented error: at least one problem, each naming the file, lines counted from 1."""
    assert error.problems, "a BadInputError without problems says nothing"
    for problem in error.problems:
        assert problem.path is not None, f"problem does not name the file: {problem}"
        assert Path(problem.path).name == Path(filename).name, problem
        assert problem.line is None or problem.line >= 1, problem
        assert problem.field is None or isinstance(problem.field, str), problem
        assert str(problem).startswith(problem.path), problem


def read_list_or_bad_input(data: bytes, filename: str, **kwargs) -> object | None:
    try:
        agency_list = read_list(io.BytesIO(data), filename=filename, today=TODAY, **kwargs)
    except BadInputError as error:
        check_bad_input(error, filename)
        return None
    records = agency_list.records
    assert list(records.columns) == list(RECORD_COLUMNS)
    ids = list(records["record_id"])
    assert all(ids), "an accepted list has a record_id on every row"
    assert len(set(ids)) == len(ids), "an accepted list has unique record ids"
    assert all(line >= 2 for line in records["line"]), "data starts below the header"
    return agency_list


@st.composite
def csv_files(draw) -> bytes:
    """A CSV file of random structure: header, rows of uneven length, delimiter, quoting, line
    ending and encoding all drawn."""
    header = draw(headers)
    if draw(st.booleans()):
        header = ["record_id", *header]
    width = max(1, len(header))
    rows = draw(
        st.lists(
            st.lists(cells, min_size=0, max_size=width + 2).map(
                lambda row, w=width: row if len(row) != w + 1 else row[:w]
            ),
            max_size=12,
        )
    )
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter=delimiter, quoting=quoting, lineterminator=ending, escapechar="\\"
    )
    for row in [header, *rows]:
        try:
            writer.writerow(row)
        except csv.Error:
            out.write(delimiter.join(row) + ending)
    text = out.getvalue()
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


@st.composite
def xlsx_files(draw) -> bytes:
    """A real workbook with random cells (text, numbers, dates, booleans, formulas), then, half
    the time, truncated or with bytes flipped, as a broken upload would be."""
    workbook = Workbook()
    sheet = workbook.active
    value = st.one_of(
        cells.map(lambda s: "".join(c for c in s if c >= " " or c in "\t\n")),
        st.integers(-(10**15), 10**15),
        st.floats(allow_nan=False, allow_infinity=False),
        st.dates(date(1900, 1, 1), date(2100, 1, 1)),
        st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1)),
        st.booleans(),
        st.none(),
        st.just("=1/0"),
    )
    header = draw(headers)
    if draw(st.booleans()):
        header = ["record_id", *header]
    sheet.append([h for h in header if h.isprintable()])
    for row in draw(st.lists(st.lists(value, max_size=len(header) + 2), max_size=8)):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    # Positions are drawn as shares of the length: the archive's size varies with the time stamp
    # openpyxl writes, and the drawn data must not depend on it.
    damage = draw(st.sampled_from(["none", "truncate", "flip", "member"]))
    if damage == "truncate":
        data = data[: len(data) * draw(st.integers(0, 999)) // 1000]
    elif damage == "flip":
        rng = random.Random(draw(st.integers(0, 2**32)))  # where to damage, not a secret
        broken = bytearray(data)
        for _ in range(draw(st.integers(1, 20))):
            broken[rng.randrange(len(broken))] = rng.randrange(256)
        data = bytes(broken)
    elif damage == "member":
        data = _replace_member(data, draw(st.binary(max_size=300)))
    return data


def _replace_member(data: bytes, junk: bytes) -> bytes:
    """The same archive with its first worksheet replaced by junk (a well-formed ZIP whose XML
    is not)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                content = junk
            target.writestr(info, content)
    return out.getvalue()


# ------------------------------------------------------------------------------ agency lists


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".txt", ".tsv"]))
def test_agency_list_random_bytes(data, suffix):
    read_list_or_bad_input(data, f"list{suffix}")


@FUZZ
@given(data=csv_files())
def test_agency_list_random_csv(data):
    read_list_or_bad_input(data, "police.csv")


@FUZZ
@given(
    text=st.text(alphabet=st.characters(codec="utf-8"), max_size=400),
    encoding=st.sampled_from(ENCODINGS),
)
def test_agency_list_random_text_in_random_encodings(text, encoding):
    body = "record_id,given_name,family_name,birth_date\n" + text
    read_list_or_bad_input(body.encode(encoding, errors="replace"), "coordinators.csv")


@FEW
@given(data=xlsx_files())
def test_agency_list_xlsx_whole_truncated_and_damaged(data):
    read_list_or_bad_input(data, "migrationsverket.xlsx")


@FUZZ
@given(
    mapping=st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_column_mapping_from_any_json_value(mapping):
    """The platform's import takes the mapping as JSON from the browser: any shape must be
    refused in words, not with a TypeError."""
    try:
        ColumnMapping.from_dict(mapping, where="mapping.json")
    except BadInputError as error:
        check_bad_input(error, "mapping.json")


@FEW
@given(data=st.one_of(st.binary(max_size=500), st.text(max_size=300).map(str.encode)))
def test_column_mapping_file(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("mapping") / "police.toml"
    path.write_bytes(data)
    try:
        mapping = ColumnMapping.from_file(path)
    except BadInputError as error:
        check_bad_input(error, str(path))
        return
    read_list_or_bad_input(b"record_id\nA1\n", "police.csv", mapping=mapping)


# ------------------------------------------------------------------------------ token files


TOKEN_HEADER = ["record_id", "key_id", "given_name", "family_name", "birth_date", "id_number"]


@st.composite
def token_files(draw) -> bytes:
    header = draw(
        st.one_of(
            st.just(None),
            st.lists(st.sampled_from([*TOKEN_HEADER, "names", "sex", "x"]), max_size=10),
        )
    )
    token = st.one_of(
        st.text(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
            min_size=16,
            max_size=16,
        ),
        cells,
    )
    rows = draw(st.lists(st.lists(token, max_size=12), max_size=8))
    lines = [",".join(header) if header is not None else draw(st.text(max_size=60))]
    lines += [",".join(row) for row in rows]
    return "\n".join(lines).encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


@FUZZ
@given(data=st.one_of(token_files(), st.binary(max_size=1000)))
def test_token_file(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("tokens") / "police.csv"
    path.write_bytes(data)
    try:
        read_tokens(path, source="police")
    except BadInputError as error:
        check_bad_input(error, str(path))


@FEW
@given(data=st.one_of(st.binary(max_size=100), st.text(max_size=100).map(str.encode)))
def test_token_key_file(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("key") / "shared.key"
    path.write_bytes(data)
    try:
        key = load_key(path)
    except BadInputError as error:
        check_bad_input(error, str(path))
    else:
        assert len(key) >= 32


# ------------------------------------------------------------------------------ capture tables


@st.composite
def capture_tables(draw) -> str:
    t = draw(st.integers(0, 17))
    names = draw(
        st.lists(
            st.one_of(
                st.sampled_from(["police", "ngo", "mv", "", "count", "Count"]), st.text(max_size=6)
            ),
            min_size=t,
            max_size=t,
        )
    )
    if draw(st.booleans()):
        names.append("count")
    zero_one = st.sampled_from(["0", "1", " 1", "2", "", "x", "-0"])
    count = st.one_of(
        st.integers(-5, 10**6).map(str),
        st.sampled_from(["1.0", "1.5", "1e3", "99999999999999999999", "9" * 400, "-", "+7"]),
    )
    rows = draw(
        st.lists(
            st.lists(
                st.one_of(zero_one, count), min_size=max(0, len(names) - 1), max_size=len(names) + 1
            ),
            max_size=20,
        )
    )
    return "\n".join([",".join(names), *(",".join(row) for row in rows)])


@FUZZ
@given(text=capture_tables())
def test_capture_table_random_structure(text):
    try:
        table = parse_capture_table(text, source="table.csv")
    except BadInputError as error:
        check_bad_input(error, "table.csv")
    else:
        assert table.observed > 0
        assert (table.counts >= 0).all()


@FUZZ
@given(data=st.binary(max_size=2000), encoding=st.sampled_from(ENCODINGS))
def test_capture_table_file_random_bytes_and_encodings(data, encoding, tmp_path_factory):
    path = tmp_path_factory.mktemp("capture") / "table.csv"
    text = data.decode("latin-1")
    path.write_bytes(("police,ngo,count\n1,0,3\n" + text).encode(encoding, errors="replace"))
    try:
        read_capture_table(path)
    except BadInputError as error:
        check_bad_input(error, str(path))


@pytest.mark.parametrize("count", ["99999999999999999999", "9" * 5000, "1" + "0" * 30 + ".0"])
def test_capture_table_absurd_counts_are_bad_input(count):
    """Found by the fuzzer: counts beyond 64 bits overflowed numpy (OverflowError)."""
    with pytest.raises(BadInputError) as excinfo:
        parse_capture_table(f"a,b,count\n1,0,{count}\n0,1,2\n", source="table.csv")
    check_bad_input(excinfo.value, "table.csv")
    assert excinfo.value.problems[0].line == 2


# ------------------------------------------------------------------------- the platform's imports

PLATFORM = settings(
    FEW,
    max_examples=40,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@PLATFORM
@given(
    data=st.one_of(csv_files(), st.binary(max_size=1500), xlsx_files()),
    suffix=st.sampled_from([".csv", ".xlsx", ".pdf", ""]),
    mapping=st.one_of(
        st.none(),
        st.dictionaries(
            st.sampled_from(["source", "ignore", "columns", "x"]),
            st.one_of(
                st.text(max_size=8),
                st.lists(st.text(max_size=8), max_size=3),
                st.dictionaries(st.text(max_size=8), st.sampled_from([*FIELDS, "bogus"])),
            ),
            max_size=3,
        ),
    ),
)
@example(data=b"record_id,given_name\nA1,Anna\nA2,Olena\n", suffix=".csv", mapping=None)
def test_agency_list_import_into_the_platform(data, suffix, mapping, personas):
    """The analysts' import (nmt.reports): all or nothing, and only the documented error."""
    from nmt.reports.models import AgencyList, AgencyListRecord
    from nmt.reports.services import agency_list_import

    before = (AgencyList.objects.count(), AgencyListRecord.objects.count())
    filename = f"upload{suffix}"
    try:
        imported = agency_list_import(
            actor=personas.analyst,
            data=data,
            filename=filename,
            source="ngo_list",
            origin="Frivilligorganisation",
            period_start=date(1900, 1, 1),
            period_end=TODAY,
            mapping=mapping,
        )
    except BadInputError as error:
        for problem in error.problems:
            assert problem.line is None or problem.line >= 1, problem
            # Problems of the file name it; problems of the form name their field.
            assert problem.path == filename or problem.field in {"source", "period_end"}, problem
        assert (AgencyList.objects.count(), AgencyListRecord.objects.count()) == before
    else:
        assert imported.records.count() == imported.record_count


def _library_check_upload():
    return pytest.importorskip("nmt.methods.library_files").check_upload


@st.composite
def documents(draw) -> bytes:
    """Things uploaded as documents: random bytes, PDF headers with junk, ZIP archives that look
    like DOCX with broken or missing members, and archives truncated part way."""
    kind = draw(st.sampled_from(["bytes", "pdf", "docx", "truncated-docx"]))
    if kind == "bytes":
        return draw(st.binary(max_size=800))
    if kind == "pdf":
        return b"%PDF-1." + draw(st.binary(max_size=800))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        members = draw(
            st.lists(
                st.sampled_from(
                    [
                        "[Content_Types].xml",
                        "word/document.xml",
                        "_rels/.rels",
                        "word/_rels/document.xml.rels",
                    ]
                ),
                unique=True,
            )
        )
        for name in members:
            archive.writestr(name, draw(st.binary(max_size=200)))
    data = out.getvalue()
    if kind == "truncated-docx":
        data = data[: len(data) * draw(st.integers(0, 999)) // 1000]
    return data


@PLATFORM
@given(content=documents(), filename=st.text(max_size=40))
def test_library_upload(content, filename, settings):
    """Method support's document upload: accepted, or refused on the file field."""
    from django.core.exceptions import ValidationError

    check_upload = _library_check_upload()
    try:
        checked = check_upload(io.BytesIO(content), filename)
    except ValidationError as error:
        refused_on = set(error.message_dict)
        assert refused_on == {"file"}
    else:
        assert checked.filename.endswith((".pdf", ".docx"))
        assert "/" not in checked.filename
        assert "\\" not in checked.filename
