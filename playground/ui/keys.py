"""Session-state keys: one small frozen object per page, built from the page's prefix.

Every key a page keeps in ``st.session_state`` (and every widget key) is spelled here once, so
a key written in one module and read in another is the same attribute, not two f-strings that
must agree. ``Keys("pg").playing == "pg.playing"``; a page's own keys that no other module
reads come from ``keys.key("name")`` (``"pg.name"``), widget values from ``keys.widget("name")``.

Each page's ``Keys`` is a constant at the end of this module, so the prefixes stay distinct.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    """The session-state keys of the page whose keys start with ``prefix``."""

    prefix: str

    def key(self, name: str) -> str:
        """A key of this page: ``prefix.name``."""
        return f"{self.prefix}.{name}"

    def widget(self, name: str) -> str:
        """The widget that edits the setting ``name`` (seeded from the settings)."""
        return self.key(f"w.{name}")

    def upload(self, name: str) -> str:
        """The CSV upload's state (``ui/upload_ui.py``)."""
        return self.key(f"upload.{name}")

    def compare(self, name: str) -> str:
        """The Gradients lab's comparison: its widgets and its last runs."""
        return self.key(f"compare.{name}")

    # -- settings and the training session (settings_ui, sessions) --------------------------
    @property
    def settings(self) -> str:
        return self.key("settings")

    @property
    def url_problems(self) -> str:
        return self.key("url_problems")

    @property
    def session(self) -> str:
        return self.key("session")

    # -- the transport and the live area (live.py) ----------------------------------------
    @property
    def playing(self) -> str:
        return self.key("playing")

    @property
    def step_mode(self) -> str:
        return self.key("step_mode")

    @property
    def tick(self) -> str:
        return self.key("tick")

    @property
    def frames(self) -> str:
        """Intermediate snapshots of this tick, written by the live area, read by a view."""
        return self.key("frames")

    @property
    def clock(self) -> str:
        return self.key("clock")

    @property
    def play_button(self) -> str:
        return self.key("play_button")

    @property
    def step_button(self) -> str:
        return self.key("step_button")

    @property
    def reset_button(self) -> str:
        return self.key("reset_button")

    @property
    def new_weights_button(self) -> str:
        return self.key("new_weights_button")

    # -- the live socket (stream/component.py) ------------------------------------------------
    @property
    def stream(self) -> str:
        """The socket's element (counter and metrics) on the page."""
        return self.key("stream")

    @property
    def stream_controls(self) -> str:
        """The socket's Play/Pause, Step and Reset (one element, drawn where the buttons were)."""
        return self.key("stream_controls")

    @property
    def stream_entry(self) -> str:
        """The page's live entry from its last run (the button callbacks act on it)."""
        return self.key("stream_entry")

    @property
    def stream_failed(self) -> str:
        """The browser could not keep the socket open: this session uses the rerun loop."""
        return self.key("stream_failed")

    @property
    def stream_full_noticed(self) -> str:
        return self.key("stream_full_noticed")

    # -- the notebook export (export_ui.py) -------------------------------------------------
    @property
    def export_schedule(self) -> str:
        return self.key("export.schedule")

    @property
    def export_notebook(self) -> str:
        return self.key("export.notebook")


# One prefix per page; a page reads another page's state only through these.
PLAYGROUND = Keys("pg")
DIGITS = Keys("digits")
GRADIENTS = Keys("gradients")
PERCEPTRON = Keys("perceptron")
INSIDE_STEP = Keys("inside_step")
ACTIVATIONS = Keys("activations")
LESSONS = Keys("lessons")
BY_PAGE = {"playground": PLAYGROUND, "digits": DIGITS, "gradients": GRADIENTS, "perceptron": PERCEPTRON,
           "inside_step": INSIDE_STEP, "activations": ACTIVATIONS, "lessons": LESSONS}  # pages/<name>.py
