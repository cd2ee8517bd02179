"""AppTest: the words a student reads — what to change, course names, what is in use, what reset."""

from __future__ import annotations

from helpers import make_app
from test_page_upload import GOOD, upload


def test_bad_layer_width_says_what_to_change_not_pythons_words():
    at = make_app()
    at.text_input(key="pg.w.hidden").set_value("8,a").run()
    message = " ".join(e.value for e in at.sidebar.error)
    assert "“a” is not a whole number of units" in message and "8,8,4" in message
    assert "invalid literal" not in message
    at.text_input(key="pg.w.hidden").set_value("99").run()
    assert "1 to 32 units" in " ".join(e.value for e in at.sidebar.error)
    assert at.session_state["pg.session"].layer_sizes == (2, 8, 1)  # the last good widths stay


def test_activation_list_shows_the_course_names():
    at = make_app()
    options = at.selectbox(key="pg.w.activation").options
    assert "leaky ReLU" in options and "ReLU" in options
    assert not any("_" in option for option in options)


def test_sidebar_does_not_name_a_built_in_dataset_while_training_on_a_file():
    at = make_app()
    assert at.selectbox(key="pg.w.dataset").label == "Dataset"
    upload(at, "people.csv", GOOD)
    assert at.selectbox(key="pg.w.dataset").label == "Built-in dataset (not in use)"
    assert any("people.csv" in c.value for c in at.sidebar.caption)
    at.selectbox(key="pg.w.dataset").select("moons").run()
    assert at.selectbox(key="pg.w.dataset").label == "Dataset"


def test_changing_the_network_says_training_restarted_at_update_zero():
    at = make_app()
    at.button(key="pg.step_button").click().run()
    at.button(key="pg.step_button").click().run()
    at.text_input(key="pg.w.hidden").set_value("4,4").run()
    toasts = [t.value for t in at.toast]
    assert any("New hidden layers" in t and "restarted at update 0" in t and "update 2" in t for t in toasts), toasts
    assert at.session_state["pg.session"].step == 0


def test_changing_a_hyperparameter_keeps_training_without_a_notice():
    at = make_app()
    at.button(key="pg.step_button").click().run()
    at.select_slider(key="pg.w.learning_rate").set_value(0.1).run()
    assert not at.toast
    assert at.session_state["pg.session"].step == 1


def test_runs_and_profile_in_the_gradients_lab_cannot_be_emptied():
    # "required": the browser keeps the selection when the selected button is clicked again
    # (it used to empty it, and two runs ran instead of the four still shown as chosen).
    at = make_app("pages/gradients.py")
    runs = at.segmented_control(key="gradients.compare.w.count")
    assert runs.value == 4 and runs.proto.required
