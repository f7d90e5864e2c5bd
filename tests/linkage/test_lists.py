"""Reading agency lists: formats, encodings, mappings, and bad files named by line and column."""

from datetime import date

import pandas as pd
import pytest
from openpyxl import Workbook

from nmt.errors import BadInputError
from nmt.linkage.lists import ColumnMapping, read_list

TODAY = date(2025, 6, 30)
HEADER = (
    "record_id,given_name,family_name,birth_date,age,sex,citizenship,identification_date,id_number"
)


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def problems_of(excinfo):
    return [str(p) for p in excinfo.value.problems]


def test_reads_and_standardises_a_utf8_list(tmp_path):
    path = write(
        tmp_path / "police.csv",
        HEADER + "\n"
        "P1,Ștefan,Țăranu,17.05.1990,,man,Rumänien,2024-03-01,\n"
        "P2,Юлия,Кузнецова,,31,kvinna,RUS,2024-04-02,701063-2391\n",
    )
    agency_list = read_list(path, today=TODAY)
    records = agency_list.records
    assert agency_list.source == "police"
    assert list(records["record_id"]) == ["P1", "P2"]
    assert list(records["line"]) == [2, 3]
    assert records.loc[0, "birth_date"] == "1990-05-17"
    assert records.loc[0, "citizenship"] == "RO"
    assert records.loc[0, "sex"] == "m"
    assert records.loc[1, "age"] == 31
    assert records.loc[1, "id_type"] == "samordningsnummer"
    # A Swedish number gives the birth date when the list has none.
    assert records.loc[1, "birth_date"] == "1970-10-03"


def test_reads_windows_1252_with_semicolons_and_utf8_with_bom(tmp_path):
    text = "record_id;given_name;family_name\nS1;Åsa;Öberg\n"
    cp1252 = read_list(write(tmp_path / "a.csv", text, "cp1252"), today=TODAY)
    bom = read_list(write(tmp_path / "b.csv", "\ufeff" + text.replace(";", ","), "utf-8"))
    assert cp1252.records.loc[0, "given_name"] == "Åsa"
    assert bom.records.loc[0, "family_name"] == "Öberg"


def test_reads_xlsx_with_date_cells(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["record_id", "given_name", "birth_date"])
    sheet.append([101, "Maria", date(1999, 1, 2)])
    path = tmp_path / "coordinators.xlsx"
    workbook.save(path)
    records = read_list(path, today=TODAY).records
    assert records.loc[0, "record_id"] == "101"
    assert records.loc[0, "birth_date"] == "1999-01-02"


def test_mapping_file_renames_and_ignores_columns(tmp_path):
    mapping_path = tmp_path / "police.toml"
    mapping_path.write_text(
        'source = "police"\nignore = ["Handläggare"]\n\n[columns]\n'
        '"Ärendenr" = "record_id"\n"Förnamn" = "given_name"\n"Födelsedatum" = "birth_date"\n',
        encoding="utf-8",
    )
    path = write(
        tmp_path / "export.csv", "Ärendenr,Förnamn,Födelsedatum,Handläggare\nX,Ana,19900101,Bo\n"
    )
    agency_list = read_list(path, mapping=ColumnMapping.from_file(mapping_path), today=TODAY)
    assert agency_list.source == "police"
    assert agency_list.records.loc[0, "birth_date"] == "1990-01-01"


def test_bad_mapping_file_lists_every_problem(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('colour = 1\n[columns]\n"A" = "name"\n"B" = "given_name"\n"C" = "given_name"\n')
    with pytest.raises(BadInputError) as excinfo:
        ColumnMapping.from_file(path)
    text = "\n".join(problems_of(excinfo))
    assert "unknown key 'colour'" in text
    assert "'name', which is no field" in text
    assert "both map to 'given_name'" in text


def test_every_bad_value_is_named_by_file_line_and_column(tmp_path):
    path = write(
        tmp_path / "bad.csv",
        HEADER + ",shoe_size\n"
        "A1,Ana,Pop,1990-02-30,,kvinna,RO,2024-01-01,,38\n"
        "A2,Ion,Pop,1990-01-01,,x-ray,Atlantis,2024-01-01,811228-9875,40\n"
        "A1,Ana,Pop,,,,,,,\n"
        "A3,Eva,Pop,2024-05-01,,,,2024-01-01,,\n",
    )
    with pytest.raises(BadInputError) as excinfo:
        read_list(path, today=TODAY)
    text = problems_of(excinfo)
    where = str(path)
    assert f"{where}, line 1, column 'shoe_size': unknown column" in "\n".join(text)
    assert any(f"{where}, line 2, column 'birth_date'" in p and "does not exist" in p for p in text)
    assert any(f"{where}, line 3, column 'sex'" in p for p in text)
    assert any(f"{where}, line 3, column 'citizenship'" in p for p in text)
    assert any(f"{where}, line 3, column 'id_number'" in p and "check digit" in p for p in text)
    assert any(f"{where}, line 4, column 'record_id'" in p and "repeats line 2" in p for p in text)
    assert any(f"{where}, line 5, column 'birth_date'" in p and "after" in p for p in text)


def test_wrong_encoding_is_rejected_with_the_line(tmp_path):
    mixed = ("record_id,given_name\nA,Åsa\n").encode() + b"B,\xe5sa\n"
    path = tmp_path / "mixed.csv"
    path.write_bytes(mixed)
    with pytest.raises(BadInputError) as excinfo:
        read_list(path, today=TODAY)
    assert f"{path}, line 3:" in problems_of(excinfo)[0]
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("record_id\nA\n".encode("utf-16"))
    with pytest.raises(BadInputError, match="UTF-16"):
        read_list(utf16, today=TODAY)


def test_missing_record_id_column_and_ragged_rows(tmp_path):
    with pytest.raises(BadInputError, match="record_id is missing"):
        read_list(write(tmp_path / "x.csv", "given_name\nAna\n"), today=TODAY)
    with pytest.raises(BadInputError, match="line 3: has 3 fields"):
        read_list(write(tmp_path / "y.csv", "record_id,given_name\nA,Ana\nB,Bo,extra\n"))


def test_a_column_of_garbage_is_summarised(tmp_path):
    rows = "\n".join(f"R{i},notadate" for i in range(80))
    with pytest.raises(BadInputError) as excinfo:
        read_list(write(tmp_path / "z.csv", "record_id,birth_date\n" + rows + "\n"), today=TODAY)
    text = problems_of(excinfo)
    assert len(text) == 51
    assert "and 30 more rejected values" in text[-1]


def test_upload_file_object(tmp_path):
    path = write(tmp_path / "u.csv", "record_id,given_name\nA,Ana\n")
    with path.open("rb") as handle:
        agency_list = read_list(handle, filename="upload.csv", source="supportline")
    assert agency_list.path == "upload.csv"
    assert len(agency_list) == 1


def test_line_numbers_survive_blank_rows_and_line_breaks_in_values(tmp_path):
    # The fast reader takes the first file; the second (a blank line, a value with a line
    # break) goes to the careful one. Both name the file's own line numbers.
    plain = write(tmp_path / "a.csv", "record_id,birth_date\nA,1990-01-01\n,\nB,1990-02-30\n")
    odd = write(
        tmp_path / "b.csv",
        'record_id,given_name,birth_date\nA,Ana,1990-01-01\n\nB,"Bo\nBo",1990-02-30\n',
    )
    for path, line in ((plain, 4), (odd, 4)):
        with pytest.raises(BadInputError) as excinfo:
            read_list(path, today=TODAY)
        assert f"{path}, line {line}, column 'birth_date'" in problems_of(excinfo)[0]


def test_lists_read_in_parallel_processes_give_the_same_features(tmp_path, small_lists):
    from nmt.linkage.inputs import read_features

    paths = small_lists.write(tmp_path)
    sources = list(paths)
    alone, counts = read_features(list(paths.values()), sources, workers=1)
    together, _ = read_features(list(paths.values()), sources, workers=2)
    assert counts == {s: len(f) for s, f in small_lists.lists.items()}
    for source in sources:
        pd.testing.assert_frame_equal(alone[source], together[source])
