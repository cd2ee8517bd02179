"""Your own data: check an uploaded CSV and turn it into a dataset the Playground can train on.

The file needs a header row naming three columns: two numeric features and one label, which
the user picks from the header (by default a column called label/target/class/y, else the
last one). The label decides the task:

- 2 or 3 distinct values (numbers or words) → binary or 3-class classification;
- a number in every row with more distinct values → regression.

Everything is checked *before* anything is built, and every problem raises ``CSVError`` with a
message that names the row (counted like a spreadsheet: the header is row 1) and the column,
and says what to change. Limits: 5 MB and 5,000 data rows.

Features are standardized, ``x = (value − mean) / std`` per column, so that any units land on
the same scale as the built-in datasets (about −2…2); a regression target is standardized the
same way. ``UploadedCSV`` is a ``playground.datasets.CustomData`` that also remembers the
means and standard deviations it used, so the page can show them.

Pure Python and NumPy: no Streamlit here.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from ..datasets import CustomData

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_CLASSES = 3
TASKS = ("auto", "classification", "regression")
LABEL_NAMES = ("label", "labels", "target", "class", "y", "category", "output")
MISSING = {"", "na", "n/a", "nan", "null", "none", "?"}
DELIMITERS = (",", ";", "\t")


class CSVError(ValueError):
    """A file that cannot be used, with a message saying where and what to change."""


@dataclass(frozen=True)
class UploadedCSV(CustomData):
    """Standardized rows ready for training (a ``CustomData``) plus how they were made."""

    feature_names: tuple[str, ...] = ("x1", "x2")
    label_name: str = "label"
    means: tuple[float, ...] = (0.0, 0.0)
    stds: tuple[float, ...] = (1.0, 1.0)
    class_names: tuple[str, ...] = ()  # class k was written as class_names[k] in the file
    class_counts: tuple[int, ...] = ()
    target_mean: float = 0.0  # regression: y = (target − target_mean) / target_std
    target_std: float = 1.0

    @property
    def n_rows(self) -> int:
        return len(self.y)

    def standardization_lines(self) -> list[str]:
        """One line per standardized column, e.g. "x1 = (height − 170.2) / 9.81"."""
        lines = [
            f"x{i + 1} = ({name} − {_num(mean)}) / {_num(std)}"
            for i, (name, mean, std) in enumerate(zip(self.feature_names, self.means, self.stds))
        ]
        if self.task == "regression":
            lines.append(f"target = ({self.label_name} − {_num(self.target_mean)}) / {_num(self.target_std)}")
        return lines

    def label_lines(self) -> list[str]:
        """What each class number stands for ("class 0 = 'cat' (40 rows)"), or the target."""
        if self.task == "regression":
            return [f"regression target: {self.label_name} (a number per row)"]
        return [f"class {k} = {name!r} ({count} rows)"
                for k, (name, count) in enumerate(zip(self.class_names, self.class_counts))]

    def describe(self) -> str:
        """A short summary: rows, task, and the standardization used."""
        kind = "regression" if self.task == "regression" else f"{self.n_classes} classes"
        return f"{self.name}: {self.n_rows:,} rows, {kind}; " + "; ".join(self.standardization_lines())


def _num(value: float) -> str:
    return f"{value:.4g}"


def download_name(uploaded_name: str, suffix: str = ".csv", limit: int = 80) -> str:
    """A safe file name for a download derived from an uploaded file's name: letters, digits,
    '-', '_' and '.' only (no path, no leading dot, no markup), the extension replaced."""
    stem = str(uploaded_name).replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in stem).strip("._")
    return (safe[:limit] or "uploaded") + suffix


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / 1024 / 1024:.1f} MB"


def _parse_number(text: str) -> float | None:
    """The number in a cell, or None if the cell holds no number."""
    try:
        return float(text)
    except ValueError:
        return None


def _is_missing(text: str) -> bool:
    return text.strip().lower() in MISSING


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        text = content
    else:
        if len(content) > MAX_BYTES:
            raise CSVError(
                f"The file is {_mb(len(content))}; the limit is 5 MB. Keep at most {MAX_ROWS:,} rows "
                "of two features and a label."
            )
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CSVError(
                f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). Is it a spreadsheet "
                "(.xlsx) rather than a CSV? Save it as 'CSV UTF-8' and upload that."
            ) from None
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise CSVError(f"The file is {_mb(len(text.encode('utf-8')))}; the limit is 5 MB.")
    if not text.strip():
        raise CSVError("The file is empty: it needs a header row (e.g. x1,x2,label) and rows of data.")
    return text


def _delimiter(first_line: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most (comma on a tie)."""
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) for every non-blank line."""
    first_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first_line))
    rows = []
    try:
        for cells in reader:
            if cells and any(c.strip() for c in cells) or len(cells) > 1:
                rows.append((reader.line_num, [c.strip() for c in cells]))
    except csv.Error as error:
        raise CSVError(f"Row {reader.line_num} cannot be read as CSV: {error}.") from None
    return rows


def _check_header(header: list[str], row_number: int) -> list[str]:
    if all(_parse_number(c) is not None for c in header):
        raise CSVError(
            f"Row {row_number} looks like data ({', '.join(header[:4])}), not column names: add a header "
            "row such as x1,x2,label at the top."
        )
    if len(header) != 3:
        listed = ", ".join(repr(c) for c in header[:8]) + (", …" if len(header) > 8 else "")
        hint = " Is the file separated by commas (or semicolons or tabs)?" if len(header) == 1 else ""
        raise CSVError(
            f"The header has {len(header)} column{'s' if len(header) != 1 else ''} ({listed}); the "
            "Playground needs exactly 3: two numeric feature columns and one label column." + hint
        )
    for i, name in enumerate(header):
        if not name:
            raise CSVError(f"Column {i + 1} of the header has no name; name every column (e.g. x1,x2,label).")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise CSVError(f"The header names column {duplicates[0]!r} twice; every column needs its own name.")
    return header


def read_header(content: bytes | str) -> list[str]:
    """The three column names of a CSV (for choosing the label), after the file-level checks."""
    text = _decode(content)
    rows = _rows(text)
    if not rows:
        raise CSVError("The file is empty: it needs a header row (e.g. x1,x2,label) and rows of data.")
    return _check_header(rows[0][1], rows[0][0])


def guess_label(header: list[str]) -> str:
    """The column most likely to be the label: one named like 'label' or 'target', else the last."""
    for name in header:
        if name.strip().lower() in LABEL_NAMES:
            return name
    return header[-1]


def load_csv(
    content: bytes | str, label: str | None = None, task: str = "auto", name: str = "uploaded.csv"
) -> UploadedCSV:
    """Check a CSV and load it: two standardized features and a label (or target).

    ``label``: which header column holds the label (default: ``guess_label``). ``task``:
    "auto" (words or ≤ 3 whole numbers → classes, otherwise regression), "classification" or
    "regression". Returns X: (m, 2) standardized, y: (m,) class indices 0..k-1 (ints) or a
    standardized float target. Raises ``CSVError`` naming the row and column of a problem.
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}, got {task!r}")
    text = _decode(content)
    rows = _rows(text)
    if not rows:
        raise CSVError("The file is empty: it needs a header row (e.g. x1,x2,label) and rows of data.")
    header = _check_header(rows[0][1], rows[0][0])
    label = guess_label(header) if label is None else label
    if label not in header:
        raise CSVError(f"There is no column {label!r} in the header ({', '.join(header)}); choose one of those.")
    data_rows = rows[1:]
    if not data_rows:
        raise CSVError("The file has a header but no data rows.")
    if len(data_rows) > MAX_ROWS:
        raise CSVError(
            f"The file has {len(data_rows):,} data rows; the limit is {MAX_ROWS:,}. Keep a random sample "
            f"of at most {MAX_ROWS:,} rows."
        )
    label_index = header.index(label)
    feature_index = [i for i in range(3) if i != label_index]

    X = np.empty((len(data_rows), 2))
    labels: list[str] = []
    for r, (row_number, cells) in enumerate(data_rows):
        if len(cells) != 3:
            raise CSVError(
                f"Row {row_number} has {len(cells)} value{'s' if len(cells) != 1 else ''}, but the header "
                f"has 3 columns ({', '.join(header)}). Every row needs exactly one value per column."
            )
        for j, i in enumerate(feature_index):
            X[r, j] = _feature_value(cells[i], row_number, header[i])
        if _is_missing(cells[label_index]):
            raise CSVError(f"Row {row_number}, column {label!r}: the label is missing. "
                           "Fill it in or delete the row.")
        labels.append(cells[label_index])

    X_std, means, stds = np.empty_like(X), [0.0, 0.0], [1.0, 1.0]
    for j, i in enumerate(feature_index):
        if X[:, j].min() == X[:, j].max():
            raise CSVError(
                f"Column {header[i]!r} has the same value ({_num(X[0, j])}) in every row, so it cannot help "
                "tell the rows apart; use a column that varies."
            )
        X_std[:, j], means[j], stds[j] = _standardize(X[:, j], header[i])
    names = tuple(header[i] for i in feature_index)
    common = dict(X=X_std, name=name, feature_names=names, label_name=label,
                  means=tuple(float(v) for v in means), stds=tuple(float(v) for v in stds))

    numbers = [_parse_number(t) for t in labels]
    if task != "classification":  # ±inf is a number no target can be, and no class should be
        for (row_number, _), value, text in zip(data_rows, numbers, labels):
            if value is not None and not math.isfinite(value):
                raise CSVError(f"Row {row_number}, column {label!r}: {text!r} is not a finite number. "
                               "Replace it (or delete the row); infinity cannot be a label or a target.")
    numeric = all(v is not None and math.isfinite(v) for v in numbers)
    distinct = sorted(set(numbers), key=float) if numeric else sorted(set(labels))
    if task == "auto":
        whole = numeric and all(float(v).is_integer() for v in distinct)
        task = "classification" if (not numeric or (whole and len(distinct) <= MAX_CLASSES)) else "regression"
    if task == "regression":
        return _regression(numbers, labels, data_rows, label, common)
    return _classification(labels, numbers if numeric else None, data_rows, label, common)


def _standardize(values: np.ndarray, column: str) -> tuple[np.ndarray, float, float]:
    """(values − mean) / std, and the mean and std, without overflow or underflow.

    The column is first scaled by a power of two (exact) so that its largest |value| is about
    1: the mean of ±1.7e308 no longer overflows to ±inf, and a spread of 1e-320 is no longer a
    standard deviation that rounds to 0 (which made the standardized values ±inf)."""
    exponent = math.frexp(float(np.max(np.abs(values))))[1]
    with np.errstate(under="ignore"):  # 5e-324 next to 1e308 becomes 0 here: it is 0 at that scale
        scaled = np.ldexp(values, -exponent)
        mean, std = float(scaled.mean()), float(scaled.std())
        standardized = (scaled - mean) / std if std > 0 else np.full_like(scaled, np.nan)
    if not np.isfinite(standardized).all():  # values that differ by less than float64 can tell
        raise CSVError(f"Column {column!r}: its values are too close together to tell apart "
                       f"(they differ by about {_num(math.ldexp(float(np.ptp(scaled)), exponent))}); rescale the column or use another.")
    return standardized, math.ldexp(mean, exponent), math.ldexp(std, exponent)


def _feature_value(text: str, row_number: int, column: str) -> float:
    if _is_missing(text):
        raise CSVError(f"Row {row_number}, column {column!r}: the value is missing. "
                       "Fill it in or delete the row.")
    value = _parse_number(text)
    if value is None:
        raise CSVError(f"Row {row_number}, column {column!r}: {text!r} is not a number. "
                       "Features must be numbers like 0.5 or -1.2e3 (use a dot for decimals).")
    if not math.isfinite(value):
        raise CSVError(f"Row {row_number}, column {column!r}: {text!r} is not a finite number.")
    return value


def _regression(numbers: list, labels: list[str], data_rows: list, label: str, common: dict) -> UploadedCSV:
    for (row_number, _), value, text in zip(data_rows, numbers, labels):
        if value is None or not math.isfinite(value):
            raise CSVError(f"Row {row_number}, column {label!r}: {text!r} is not a number, and a regression "
                           "target must be a number in every row.")
    target = np.array(numbers, dtype=float)
    if target.min() == target.max():
        raise CSVError(f"The label column {label!r} has the same value ({_num(target[0])}) in every row: "
                       "there is nothing to predict.")
    y, mean, std = _standardize(target, label)
    return UploadedCSV(y=y, task="regression", n_classes=1, target_mean=mean, target_std=std, **common)


def _classification(labels: list[str], numbers: list | None, data_rows: list, label: str,
                    common: dict) -> UploadedCSV:
    keys = numbers if numbers is not None else labels  # 1 and 1.0 are the same class
    distinct = sorted(set(keys), key=float) if numbers is not None else sorted(set(keys))
    if len(distinct) < 2:
        raise CSVError(
            f"The label column {label!r} has only one value ({labels[0]!r}) in all {len(labels):,} rows: "
            "a classifier needs at least 2 classes. Add rows of another class, or choose another label column."
        )
    if len(distinct) > MAX_CLASSES:
        shown = ", ".join(repr(_class_name(v)) for v in distinct[:6]) + (", …" if len(distinct) > 6 else "")
        advice = (" If it is a number to predict, choose regression." if numbers is not None
                  else " For regression the label must be a number in every row.")
        raise CSVError(
            f"The label column {label!r} has {len(distinct)} different values ({shown}); the Playground "
            f"classifies 2 or 3 classes.{advice}"
        )
    index = {v: k for k, v in enumerate(distinct)}
    y = np.array([index[v] for v in keys], dtype=int)
    counts = np.bincount(y, minlength=len(distinct))
    for k, count in enumerate(counts):
        if count < 2:
            row_number = data_rows[int(np.flatnonzero(y == k)[0])][0]
            raise CSVError(
                f"Class {_class_name(distinct[k])!r} appears only once (row {row_number}); each class needs "
                "at least 2 rows so that both the training and the test set can hold one."
            )
    return UploadedCSV(
        y=y, task="binary" if len(distinct) == 2 else "multiclass", n_classes=len(distinct),
        class_names=tuple(_class_name(v) for v in distinct), class_counts=tuple(int(c) for c in counts),
        **common,
    )


def _class_name(value: float | str) -> str:
    return f"{value:g}" if isinstance(value, float) else value
