"""AppTest: uploading a CSV on the Playground — a good file becomes the data, a bad one changes
nothing but says exactly what is wrong, and the share link never pretends to carry the file."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import make_app
from streamlit.testing.v1 import AppTest

from playground.settings import unescape_markdown as shown_text  # what the reader sees
from playground.ui.keys import PLAYGROUND

SESSION = PLAYGROUND.session
UPLOADER = "pg.upload.file"


def csv(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


GOOD = csv("height_cm,weight_kg,group",
           [f"{150 + (i * 7) % 40},{45 + (i * 11) % 35},{'heavy' if (i * 11) % 35 > (i * 7) % 40 * 0.8 else 'light'}"
            for i in range(57)])
OTHER = csv("a,b,label", [f"{i % 9},{(i * 5) % 13},{i % 3}" for i in range(33)])




def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key=UPLOADER).set_value((name, content, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def session(at: AppTest):
    return at.session_state[SESSION]


def n_points(at: AppTest) -> int:
    return len(session(at).y_train) + len(session(at).y_test)


def link(at: AppTest) -> dict:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in dict(at.query_params).items()}


def test_good_file_becomes_the_training_data():
    at = make_app()
    assert n_points(at) == 300
    upload(at, "people.csv", GOOD)
    s = session(at)
    assert s.custom is not None and s.dataset_label == "people.csv"
    assert n_points(at) == 57 and s.task == "binary" and s.step == 0
    np.testing.assert_allclose(np.vstack([s.points_train, s.points_test]).mean(axis=0), 0.0, atol=1e-12)
    assert any("In use: people.csv" in shown_text(m.value) for m in at.success)
    shown = " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
    assert "x1 = (height_cm −" in shown and "x2 = (weight_kg −" in shown, "the standardization is shown"
    assert link(at)["data"] == "uploaded"
    assert any("does **not** include this file" in i.value for i in at.info)


BAD_FILES = [
    ("missing value", csv("x1,x2,label", ["1,2,0", "2,,1"]), "Row 3, column 'x2': the value is missing"),
    ("text in a feature", csv("x1,x2,label", ["1,2,0", "2,x,1"]), "Row 3, column 'x2': 'x' is not a number"),
    ("one class", csv("x1,x2,label", ["1,2,0", "2,3,0"]), "has only one value ('0')"),
    ("four columns", csv("a,b,c,d", ["1,2,3,0"]), "The header has 4 columns"),
    ("too many rows", csv("x1,x2,label", [f"{i},{i % 5},{i % 2}" for i in range(5001)]), "the limit is 5,000"),
]


@pytest.mark.parametrize("content, message", [(c, m) for _, c, m in BAD_FILES], ids=[n for n, _, _ in BAD_FILES])
def test_bad_file_keeps_the_built_in_dataset_and_says_why(content, message):
    at = make_app()
    at.button(key="pg.step_button").click().run()
    before = session(at)
    upload(at, "bad.csv", content)
    assert session(at) is before and session(at).step == 1, "the current run is untouched"
    errors = shown_text(" ".join(e.value for e in at.error))
    assert message in errors and "Still training on the built-in dataset" in errors
    assert "data" not in link(at)


def test_bad_file_after_a_good_one_keeps_the_uploaded_data():
    at = make_app()
    upload(at, "people.csv", GOOD)
    good_session = session(at)
    upload(at, "bad.csv", csv("x1,x2,label", ["1,2,0", "2,3,"]))
    assert session(at) is good_session and n_points(at) == 57
    errors = shown_text(" ".join(e.value for e in at.error))
    assert "Row 3, column 'label': the label is missing" in errors and "your file **people.csv**" in errors
    upload(at, "other.csv", OTHER)
    assert session(at).dataset_label == "other.csv" and session(at).task == "multiclass"
    assert not at.error


def test_choosing_another_label_column_reloads_the_file():
    at = make_app()
    upload(at, "other.csv", OTHER)
    at.selectbox(key="pg.upload.label").select("a").run()
    s = session(at)
    assert s.custom.label_name == "a" and s.custom.feature_names == ("b", "label")
    assert s.task == "regression"  # 9 different whole numbers: a number to predict
    assert any(m.label == "test R²" for m in at.metric)
    at.radio(key="pg.upload.task").set_value("classification").run()
    assert "9 different values" in shown_text(" ".join(e.value for e in at.error))
    assert session(at) is s


def test_back_to_built_in_data_and_picking_a_dataset_drop_the_upload():
    at = make_app()
    upload(at, "people.csv", GOOD)
    at.button(key="pg.upload.drop").click().run()
    assert session(at).custom is None and n_points(at) == 300 and "data" not in link(at)
    at.button(key="pg.upload.use").click().run()
    assert session(at).dataset_label == "people.csv"
    at.selectbox(key="pg.w.dataset").select("moons").run()
    assert session(at).custom is None and session(at).settings.dataset == "moons"


def test_network_changes_keep_training_on_the_upload():
    at = make_app()
    upload(at, "people.csv", GOOD)
    at.text_input(key="pg.w.hidden").input("4,4").run()
    assert session(at).layer_sizes == (2, 4, 4, 1) and session(at).dataset_label == "people.csv"
    at.button(key="pg.step_button").click().run()
    assert session(at).step == 1


def test_a_link_made_with_an_upload_says_the_file_is_not_included():
    at = make_app(dataset="moons", data="uploaded")
    notice = " ".join(w.value for w in at.warning)
    assert "uploaded CSV file" in notice and "links cannot carry files" in notice and "Moons" in notice
    assert session(at).settings.dataset == "moons"
    upload(at, "people.csv", GOOD)
    assert not any("links cannot carry files" in w.value for w in at.warning)


def test_notebook_download_is_offered():
    at = make_app()
    assert not at.get("download_button")  # "Download and share" is drawn only once opened
    at.session_state["pg.downloads.open"] = True
    at.run()
    assert "Notebook (.ipynb)" in [b.label for b in at.get("download_button")]


def test_removing_the_file_from_the_uploader_keeps_the_data_until_asked():
    # Browsers empty the uploader on their way to a replacement file (and after a page switch),
    # so an empty uploader alone must not throw the user's data away.
    at = make_app()
    upload(at, "people.csv", GOOD)
    at.file_uploader(key=UPLOADER).set_value(None).run()
    assert session(at).dataset_label == "people.csv"
    assert any("In use: people.csv" in shown_text(m.value) for m in at.success)
    at.button(key="pg.upload.drop").click().run()
    assert session(at).custom is None


def test_a_hostile_file_name_and_header_are_shown_as_literal_text():
    at = make_app()
    hostile = "[win](https://evil.example) **now**"
    body = csv(f"{hostile},b,label", ["x,2,0", "2,3,1"])
    at.file_uploader(key=UPLOADER).set_value([("![i](https://evil.example/i.png).csv", body, "text/csv")]).run()
    (error,) = at.error
    assert "[win](" not in error.value and "![i](" not in error.value  # no link or image markup
    assert f"column '{hostile}': 'x' is not a number" in shown_text(error.value)  # what the reader sees
