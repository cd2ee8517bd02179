"""The CSV checker: every malformed file gets its own message naming the row and column."""

from __future__ import annotations

import re

import numpy as np
import pytest

from playground.datasets import CustomData
from playground.files.csv_upload import MAX_BYTES, CSVError, UploadedCSV, guess_label, load_csv, read_header
from playground.settings import Settings
from playground.training import TrainingSession


def rows(header: str, *lines: str) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


GOOD_ROWS = ["1.0,2.0,a", "2.0,1.5,b", "3.0,0.5,a", "4.0,3.0,b"]

MALFORMED = [
    ("empty file", b"", "The file is empty"),
    ("only blank lines", b"\n\n  \n", "The file is empty"),
    ("header only", b"x1,x2,label\n", "has a header but no data rows"),
    ("no header", rows("0.5,1.2,0", "1,2,1"), "Row 1 looks like data (0.5, 1.2, 0), not column names"),
    ("two columns", rows("x1,label", "1,0"), "The header has 2 columns ('x1', 'label'); the Playground needs exactly 3"),
    ("four columns", rows("a,b,c,d", "1,2,3,0"), "The header has 4 columns ('a', 'b', 'c', 'd')"),
    ("wrong separator", rows("x1|x2|label", "1|2|0"), "Is the file separated by commas"),
    ("unnamed column", rows("x1,,label", "1,2,0"), "Column 2 of the header has no name"),
    ("duplicate names", rows("x,x,label", "1,2,0"), "The header names column 'x' twice"),
    ("row too long", rows("x1,x2,label", "1,2,0", "2,3,1,7"),
     "Row 3 has 4 values, but the header has 3 columns (x1, x2, label)"),
    ("row too short", rows("x1,x2,label", "1,2,0", "2,3,1", "4,1"),
     "Row 4 has 2 values, but the header has 3 columns"),
    ("text in a feature", rows("x1,x2,label", "1,2,0", "2,abc,1"),
     "Row 3, column 'x2': 'abc' is not a number"),
    ("decimal comma", rows("x1;x2;label", "1;2;0", "2,5;3;1"), "Row 3, column 'x1': '2,5' is not a number"),
    ("infinite feature", rows("x1,x2,label", "1,2,0", "inf,3,1"), "Row 3, column 'x1': 'inf' is not a finite number"),
    ("missing feature", rows("x1,x2,label", "1,2,0", "2,,1"), "Row 3, column 'x2': the value is missing"),
    ("NA feature", rows("x1,x2,label", "1,2,0", "2,3,1", "NA,4,0"), "Row 4, column 'x1': the value is missing"),
    ("missing label", rows("x1,x2,label", "1,2,0", "2,3,"), "Row 3, column 'label': the label is missing"),
    ("a single class", rows("x1,x2,label", "1,2,1", "2,3,1", "3,1,1"),
     "The label column 'label' has only one value ('1') in all 3 rows: a classifier needs at least 2 classes"),
    ("too many classes", rows("x1,x2,kind", "1,2,a", "2,3,b", "3,1,c", "4,4,d"),
     "The label column 'kind' has 4 different values ('a', 'b', 'c', 'd'); the Playground classifies 2 or 3 classes"),
    ("class seen once", rows("x1,x2,label", "1,2,a", "2,3,a", "3,1,b"),
     "Class 'b' appears only once (row 4)"),
    ("constant feature", rows("x1,x2,label", "1,2,0", "1,3,1", "1,1,0", "1,5,1"),
     "Column 'x1' has the same value (1) in every row"),
    ("too many rows", rows("x1,x2,label", *[f"{i},{i % 7},{i % 2}" for i in range(5001)]),
     "The file has 5,001 data rows; the limit is 5,000"),
    ("too big", b"x1,x2,label\n" + b"1,2,0\n" * (MAX_BYTES // 6 + 10), "MB; the limit is 5 MB"),
    ("not text", b"PK\x03\x04\xff\xfe binary spreadsheet", "The file is not UTF-8 text"),
]


@pytest.mark.parametrize("content, message", [(c, m) for _, c, m in MALFORMED], ids=[n for n, _, _ in MALFORMED])
def test_malformed_file_gets_its_specific_message(content, message):
    with pytest.raises(CSVError) as error:
        load_csv(content)
    assert message in str(error.value)


def test_regression_target_must_be_a_number_in_every_row():
    content = rows("x1,x2,price", "1,2,3.5", "2,3,4.25", "3,1,oops", "4,4,1.5")
    with pytest.raises(CSVError, match="Row 4, column 'price': 'oops' is not a number, and a regression target"):
        load_csv(content, task="regression")


def test_regression_target_that_never_changes_is_refused():
    with pytest.raises(CSVError, match="has the same value \\(2.5\\) in every row: there is nothing to predict"):
        load_csv(rows("x1,x2,y", "1,2,2.5", "2,3,2.5", "3,4,2.5"), task="regression")


def test_numbers_as_classes_with_too_many_values_suggest_regression():
    content = rows("x1,x2,label", *[f"{i},{i * i % 5},{i % 5}" for i in range(10)])
    with pytest.raises(CSVError, match="5 different values .* choose regression"):
        load_csv(content, task="classification")


def test_unknown_label_column_is_named():
    with pytest.raises(CSVError, match="There is no column 'z' in the header \\(x1, x2, label\\)"):
        load_csv(rows("x1,x2,label", *GOOD_ROWS), label="z")


def test_good_file_is_a_standardized_custom_dataset():
    data = load_csv(rows("height,weight,label", *GOOD_ROWS), name="people.csv")
    assert isinstance(data, CustomData) and isinstance(data, UploadedCSV)
    assert data.task == "binary" and data.n_classes == 2 and data.name == "people.csv"
    assert data.X.shape == (4, 2) and data.y.tolist() == [0, 1, 0, 1]
    np.testing.assert_allclose(data.X.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(data.X.std(axis=0), 1.0)
    assert data.means == pytest.approx((2.5, 1.75)) and data.stds[0] == pytest.approx(np.std([1, 2, 3, 4]))
    assert data.feature_names == ("height", "weight") and data.class_names == ("a", "b")
    assert data.standardization_lines()[0] == "x1 = (height − 2.5) / 1.118"
    assert "class 0 = 'a' (2 rows)" in data.label_lines()


def test_label_column_can_be_any_column_and_numeric_classes_keep_their_order():
    content = rows("label,x1,x2", "-1,1,2", "1,2,1.5", "-1,3,0.5", "1,4,3", "-1,5,1")
    assert guess_label(read_header(content)) == "label"
    data = load_csv(content)
    assert data.feature_names == ("x1", "x2")
    assert data.class_names == ("-1", "1") and data.y.tolist() == [0, 1, 0, 1, 0]


def test_three_classes_make_a_multiclass_dataset():
    data = load_csv(rows("x1,x2,c", "1,2,0", "2,1,1", "3,3,2", "4,1,0", "5,2,1", "6,0,2"))
    assert data.task == "multiclass" and data.n_classes == 3


def test_many_numbers_make_a_regression_with_a_standardized_target():
    data = load_csv(rows("a;b;price", "1;2;3.5", "2;3;4.1", "3;1;7", "4;4;1"))
    assert data.task == "regression" and data.n_classes == 1
    assert data.target_mean == pytest.approx(3.9)
    np.testing.assert_allclose(data.y.std(), 1.0)
    assert data.standardization_lines()[-1].startswith("target = (price − 3.9) /")


def test_spreadsheet_conveniences_are_accepted():
    # a UTF-8 byte-order mark, CRLF line ends, blank lines, spaces around values, tab separators
    content = "\ufeffx1\tx2\tlabel\r\n 1\t2\tcat\r\n\r\n2\t3\tdog\r\n3\t1\tcat\r\n4\t4\tdog\r\n".encode()
    data = load_csv(content)
    assert data.n_rows == 4 and data.class_names == ("cat", "dog")


def test_uploaded_data_trains_in_a_session():
    data = load_csv(rows("x1,x2,label", *[f"{i},{(i * 7) % 11},{int(i % 11 > 5)}" for i in range(40)]))
    session = TrainingSession(Settings(hidden_sizes=(4,)), custom=data)
    session.train(5)
    assert session.dataset_label == "uploaded.csv" and session.step == 5
    assert len(session.y_train) + len(session.y_test) == 40


# -- extreme numbers: standardized without overflow/underflow, or refused naming the cell -----------
def _finite(data) -> bool:
    return bool(np.isfinite(data.X).all() and np.isfinite(np.asarray(data.y, dtype=float)).all())


@pytest.mark.parametrize("column", [["1e-320", "2e-320", "3e-320", "4e-320"],
                                    ["1.7e308", "-1.7e308", "1.7e308", "1.6e308"],
                                    ["5e-324", "1e308", "-1e308", "0"]])
def test_extreme_feature_values_standardize_to_finite_numbers(column):
    text = "a,b,label\n" + "".join(f"{v},{i},{i % 2}\n" for i, v in enumerate(column))
    with np.errstate(all="raise"):
        data = load_csv(text)
    assert _finite(data)
    np.testing.assert_allclose(data.X[:, 0].mean(), 0.0, atol=1e-12)
    np.testing.assert_allclose(data.X[:, 0].std(), 1.0, rtol=1e-12)


def test_extreme_regression_targets_standardize_to_finite_numbers():
    data = load_csv("a,b,y\n1,1,1.7e308\n2,2,-1.7e308\n3,3,1e308\n4,4,5\n")
    assert data.task == "regression" and _finite(data)
    assert data.target_std > 1e307 and np.isfinite(data.target_mean)


@pytest.mark.parametrize("cell", ["inf", "-inf", "Infinity", "1e999"])
def test_infinite_labels_are_refused_naming_the_cell(cell):
    with pytest.raises(CSVError, match=rf"Row 3, column 'y': '{re.escape(cell)}' is not a finite number"):
        load_csv(f"a,b,y\n1,1,0.5\n2,2,{cell}\n3,3,2.5\n4,4,7.1\n")


def test_download_name_from_an_uploaded_name_is_a_plain_file_name():
    from playground.files.csv_upload import download_name
    assert download_name("heights.csv") == "heights.csv"
    assert download_name("../../etc/passwd") == "passwd.csv"
    for hostile in ("../../a", "[x](http://e.example).csv", ".hidden", "a\u202eb.csv", "", "\x00"):
        name = download_name(hostile)
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.csv", name), name
