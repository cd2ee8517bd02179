"""The Playground's "Your own data" section: upload a CSV, pick its label column, train on it.

A file is checked completely (``playground.files.csv_upload``) *before* anything changes: a refused
file shows its specific message and the data in use stays as it was. An accepted file becomes
the page's data (a ``CustomData`` handed to the training session) until the user presses
"Back to the built-in datasets" or picks another built-in dataset. Removing the file from the
uploader does not drop it: the browser also empties the uploader on its way to a replacement
file, and after a page switch.

A link cannot carry a file, so while an upload is in use the URL gets ``data=uploaded``; whoever
opens such a link is told that they see the built-in dataset instead, never silently.

Session-state keys: ``Keys(prefix).upload(...)``.
"""

from __future__ import annotations

import streamlit as st

from ..datasets import DATASETS
from ..files.csv_upload import MAX_ROWS, TASKS, CSVError, UploadedCSV, guess_label, load_csv, read_header
from ..settings import Settings, code_span, escape_markdown
from .keys import Keys

TASK_LABELS = {"auto": "auto", "classification": "classes", "regression": "a number"}
MAX_UPLOAD_MB = 5  # the loader's limit (csv_upload.MAX_BYTES) and .streamlit/config.toml's server.maxUploadSize
LINK_FLAG = "data"


def active_upload(prefix: str) -> UploadedCSV | None:
    """The uploaded dataset in use, or None (the built-in dataset of the settings is used)."""
    return st.session_state.get(Keys(prefix).upload("active"))


def upload_in_use(prefix: str) -> tuple[str, str] | None:
    """(file name, the built-in dataset picked when it was loaded) while an upload is in use:
    the sidebar's dataset box says that box is not what is being trained on."""
    active = active_upload(prefix)
    return None if active is None else (active.name, st.session_state.get(Keys(prefix).upload("dataset")))


def _activate(prefix: str, data: UploadedCSV | None, file_id: str | None, dataset: str | None) -> None:
    keys = Keys(prefix)
    st.session_state[keys.upload("active")] = data
    st.session_state[keys.upload("active_file")] = file_id
    st.session_state[keys.upload("dataset")] = dataset


def _drop(prefix: str) -> None:
    _activate(prefix, None, None, None)


def _use_shown_file(prefix: str) -> None:
    """'Train on this file' after going back to the built-in data: check it again and use it."""
    st.session_state[Keys(prefix).upload("checked")] = None


def upload_sidebar(prefix: str, settings: Settings, container=None) -> UploadedCSV | None:
    """Draw the upload section into ``container`` (a sidebar slot; None draws nothing, e.g. in
    presentation mode) and return the uploaded dataset in use, if any."""
    keys = Keys(prefix)
    state = st.session_state
    if active_upload(prefix) is not None and settings.dataset != state.get(keys.upload("dataset")):
        _drop(prefix)  # a built-in dataset was picked: that is what the user wants to see now
    if container is None:
        return active_upload(prefix)
    active = active_upload(prefix)
    with container.expander("Your own data (CSV)", icon=":material/upload_file:",
                            expanded=active is not None or bool(state.get(keys.upload("error")))):
        file = st.file_uploader(
            "CSV file", type=["csv", "txt", "tsv"], key=keys.upload("file"), max_upload_size=MAX_UPLOAD_MB,
            help=f"A header row, then rows of two numeric features and a label (2 or 3 classes, or a number "
                 f"to predict). At most {MAX_ROWS:,} rows and 5 MB.",
        )
        _check(prefix, file, settings)
        _status(prefix, file)
    return active_upload(prefix)


def _check(prefix: str, file, settings: Settings) -> None:
    """Validate a new file (or a new label choice); only a valid one replaces the data in use."""
    keys = Keys(prefix)
    state = st.session_state
    if file is None:
        for name in ("shown", "error", "checked", "header"):
            state[keys.upload(name)] = None
        return
    if file.file_id != state.get(keys.upload("shown")):
        state[keys.upload("shown")] = file.file_id
        state[keys.upload("checked")] = None
        try:
            header = read_header(file.getvalue())
        except CSVError as error:
            header = None
            state[keys.upload("error")] = str(error)
        state[keys.upload("header")] = header
        for name, value in (("label", guess_label(header) if header else None), ("task", "auto")):
            state[keys.upload(name)] = state[keys.upload(name + "_choice")] = value
    header = state.get(keys.upload("header"))
    if not header:
        return
    # Widget values are forgotten when the section is not drawn (another page, presentation
    # mode); the *_choice copies bring them back.
    for name in ("label", "task"):
        if keys.upload(name) not in state:
            state[keys.upload(name)] = state[keys.upload(name + "_choice")]
    label = st.selectbox("Label column", header, key=keys.upload("label"),
                         help="The other two columns are the features x1 and x2.")
    task = st.radio("The label is", TASKS, format_func=TASK_LABELS.get, key=keys.upload("task"), horizontal=True,
                    help="auto: words or up to 3 whole numbers are classes; other numbers are a target "
                         "to predict (regression).")
    state[keys.upload("label_choice")], state[keys.upload("task_choice")] = label, task
    wanted = (file.file_id, label, task)
    if state.get(keys.upload("checked")) == wanted:
        return
    state[keys.upload("checked")] = wanted
    try:
        data = load_csv(file.getvalue(), label=label, task=task, name=file.name)
    except CSVError as error:
        state[keys.upload("error")] = str(error)
        return
    state[keys.upload("error")] = None
    _activate(prefix, data, file.file_id, settings.dataset)


def _status(prefix: str, file) -> None:
    keys = Keys(prefix)
    state = st.session_state
    error, active = state.get(keys.upload("error")), active_upload(prefix)
    if error:
        kept = f"your file **{escape_markdown(active.name)}**" if active is not None else "the built-in dataset"
        # The message quotes the file (its name, header and cells): shown as literal text.
        st.error(f"**File not used.** {escape_markdown(error)}\n\nStill training on {kept}.", icon=":material/block:")
    if active is not None:
        st.success(f"**In use: {escape_markdown(active.name)}** — {active.n_rows:,} rows, "
                   + ("a number to predict (regression)" if active.task == "regression"
                      else f"{active.n_classes} classes") + ".", icon=":material/check_circle:")
        st.markdown(standardization_markdown(active))
        st.button("Back to the built-in datasets", key=keys.upload("drop"), on_click=_drop, args=(prefix,),
                  icon=":material/undo:", width="stretch")
    elif file is not None and not error:
        st.button("Train on this file", key=keys.upload("use"), on_click=_use_shown_file, args=(prefix,),
                  icon=":material/upload_file:", width="stretch")
    st.caption("Share links cannot carry a file: a link made while your file is in use says so, and "
               "shows the built-in dataset instead.")


def standardization_markdown(data: UploadedCSV) -> str:
    """The standardization used (and what the classes mean), as a small markdown list."""
    lines = [f"- {code_span(line, 200)}" for line in data.standardization_lines()]  # column names come from the file
    lines += [f"- {escape_markdown(line)}" for line in data.label_lines()]
    return "Standardized before training (mean 0, standard deviation 1):\n" + "\n".join(lines)


def link_params(prefix: str) -> dict[str, str]:
    """Extra URL parameters: ``data=uploaded`` while an uploaded file is in use."""
    return {LINK_FLAG: "uploaded"} if active_upload(prefix) is not None else {}


def link_notice(prefix: str, settings: Settings) -> None:
    """On a visit that opened a link made with an uploaded file: say the file is not included.
    Call before the settings are written back to the URL."""
    key = Keys(prefix).upload("from_link")
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(LINK_FLAG) == "uploaded"
    if st.session_state[key] and active_upload(prefix) is None:
        st.warning(
            "This link was made while training on an **uploaded CSV file**, and links cannot carry files. "
            f"You are seeing the built-in dataset **{DATASETS[settings.dataset].label}** with the same network "
            "and training settings; upload the same file under *Your own data* in the sidebar to repeat "
            "the run.", icon=":material/link_off:",
        )


def data_notice(prefix: str) -> None:
    """Above the charts: which uploaded file is being trained on, and that links leave it out."""
    active = active_upload(prefix)
    if active is not None:
        st.info(f"Training on your file **{escape_markdown(active.name)}** ({active.n_rows:,} rows; features "
                "standardized: " + ", ".join(code_span(line, 200) for line in active.standardization_lines())
                + "). The share link does **not** include this file.", icon=":material/upload_file:")


def share_note(prefix: str) -> None:
    """In the download-and-share area: the link keeps the settings but not an uploaded file."""
    active = active_upload(prefix)
    if active is not None:
        st.warning(f"The link does **not** include your uploaded file **{escape_markdown(active.name)}**: whoever opens it gets a "
                   "notice and the built-in dataset with your network and training settings. Send them the CSV "
                   "too (or the notebook below, which embeds the data).", icon=":material/link_off:")
