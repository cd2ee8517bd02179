"""AppTest: links a careless or hostile person can send open every page with a notice in the
page's words — never a crash, a silent change, or markup taken from the link (issue 14)."""

from __future__ import annotations

import pytest
from helpers import make_app

from playground.ui.keys import DIGITS, GRADIENTS, PERCEPTRON, PLAYGROUND

PAGES = {"playground": None, "gradients": "pages/gradients.py", "digits": "pages/digits.py"}
SESSIONS = {"playground": PLAYGROUND.session, "gradients": GRADIENTS.session, "digits": DIGITS.session}
HUGE = "9" * 400


def notice(at) -> str:
    return " ".join(w.value for w in at.warning)


@pytest.mark.parametrize("page", ["playground", "gradients"])
def test_minus_zero_noise_opens_the_page_with_noise_zero(page):
    at = make_app(PAGES[page], timeout=90, noise="-0", l2="-0.0")
    settings = at.session_state[SESSIONS[page]].settings
    assert settings.noise == 0.0 and str(settings.noise) == "0.0" and settings.l2 == 0.0
    assert "Noise" not in notice(at)  # -0 is a fine way to write 0: nothing to report


@pytest.mark.parametrize("page", list(PAGES))
def test_huge_integers_fall_back_with_a_notice_and_the_next_run_works(page):
    at = make_app(PAGES[page], timeout=90, data_seed=HUGE, weight_seed=HUGE, batch_size=HUGE, n_samples=HUGE)
    text = notice(at)
    for label in ("Data seed", "Weight seed", "Batch size"):
        assert f"**{label}**" in text
    assert HUGE not in text  # the value is shown cut short
    at.run()  # the stored settings are sane: later reruns work too
    assert not at.exception


def test_perceptron_huge_seed_falls_back_with_a_notice():
    at = make_app("pages/perceptron.py", timeout=90, net_seed=HUGE)
    assert "**Seed**" in notice(at) and at.session_state[PERCEPTRON.settings].net_seed == 0


@pytest.mark.parametrize("dataset", ["digits01", "digits10"])
def test_digits_on_the_playground_points_to_the_digits_page(dataset):
    at = make_app(dataset=dataset)
    text = notice(at)
    assert "**Dataset**" in text and f"`{dataset}`" in text and "**Digits**" in text
    assert at.session_state[PLAYGROUND.session].settings.dataset == "circles"


def test_unknown_keys_are_named_other_pages_keys_are_not():
    at = make_app(lr="0.1", hidden="8", gate="XOR")
    text = notice(at)
    assert "`lr`" in text and "`hidden`" in text and "ignored" in text
    assert "gate" not in text


@pytest.mark.parametrize("value", [
    "[click here](https://evil.example)", "![img](https://evil.example/x.png)", "**URGENT** :red[reset your password]",
    "<b>html</b>", "`break` out",
])
def test_markdown_in_a_link_value_is_shown_as_literal_text(value):
    at = make_app(dataset=value, activation=value)
    for warning in at.warning:
        text = warning.value
        if value in text:
            start = text.index(value)
            fence = text[:start].rstrip(" ")
            ticks = len(fence) - len(fence.rstrip("`"))
            assert ticks >= 1 and text[start + len(value):].lstrip(" ").startswith("`" * ticks)  # inside a code span


def test_features_from_a_link_keep_their_order():
    at = make_app(features="x2^2,x1^2")
    session = at.session_state[PLAYGROUND.session]
    assert session.settings.features == ("x2^2", "x1^2")
    assert at.query_params["features"] in ("x2^2,x1^2", ["x2^2,x1^2"])
