"""Command line: train a network headless, print the result, optionally save the weights.

    python -m playground train --dataset circles --hidden 8,8 --activation tanh --init xavier \\
        --optimizer adam --lr 0.01 --batch 32 --steps 2000 --seed 0 [--json] [--save model.npz]
    python -m playground train --hidden 16,16,16,16 --activation sigmoid --batch-norm --residual \\
        --dropout 0.2 --l1 0.001

Every flag maps onto one field of ``playground.settings.FIELDS`` and is checked by that same
schema, so the command line accepts exactly what the app and its links accept. A bad value
exits with status 2 and a message naming the flag and the allowed range. ``--save`` writes
W1..WL and b1..bL in the lecture shapes (``W[l]``: (n[l], n[l-1]), ``b[l]``: (n[l], 1)) plus
the settings as a JSON string under the key ``settings`` (and the layer sizes, activations and
status under ``training``); with ``--batch-norm`` also gamma1.., beta1.., running_mean1..,
running_var1.. of the hidden layers. A notebook can rebuild the model::

    data = np.load("model.npz")
    settings = Settings(**json.loads(str(data["settings"])))
    net.load_parameters(data)   # a Network built from the same settings (every W, b, γ, β, …)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from .engine.network import MAX_WIDTH
from .settings import FIELDS, Field, Settings, short
from .training import TrainingSession, write_model

MAX_STEPS = 1_000_000
NO_HIDDEN_LAYERS = ("", "0", "none")

# (flag, Settings field, metavar); the help text and allowed range come from FIELDS.
FLAGS = (
    ("--dataset", "dataset", "NAME"),
    ("--n-samples", "n_samples", "N"),
    ("--noise", "noise", "X"),
    ("--test-ratio", "test_ratio", "X"),
    ("--data-seed", "data_seed", "N"),
    ("--features", "features", "LIST"),
    ("--hidden", "hidden_sizes", "WIDTHS"),
    ("--activation", "activation", "NAME"),
    ("--init", "initializer", "NAME"),
    ("--init-std", "init_std", "SIGMA"),
    ("--seed", "weight_seed", "N"),
    ("--optimizer", "optimizer", "NAME"),
    ("--lr", "learning_rate", "ALPHA"),
    ("--batch", "batch_size", "N"),
    ("--l2", "l2", "LAMBDA"),
    ("--decay", "lr_decay", "K"),
    ("--l1", "l1", "LAMBDA"),
    ("--batch-norm", "batch_norm", None),
    ("--residual", "residual", None),
    ("--dropout", "dropout", "RATE"),
)


def allowed(field: Field) -> str:
    """The allowed values of a setting, in words."""
    if field.kind == "int":
        return f"a whole number between {int(field.low)} and {int(field.high)}"
    if field.kind == "float" and field.high_open:
        return f"a number from {field.low:g} up to (not including) {field.high:g}"
    if field.kind == "float":
        return f"a number between {field.low:g} and {field.high:g}"
    if field.kind == "choice":
        return "one of " + ", ".join(field.choices)
    if field.kind == "int_list":
        return (
            f"comma-separated layer widths, each between 1 and {MAX_WIDTH}, "
            f"at most {field.high:g} layers; '' or 0 for none (logistic regression)"
        )
    return "a comma-separated list from " + ", ".join(field.choices) + " ('' for none)"


def field_type(field: Field):
    """An argparse ``type`` that parses with the settings schema and explains what is allowed."""

    def parse(text: str) -> Any:
        if field.kind == "int_list" and text.strip().lower() in NO_HIDDEN_LAYERS:
            return ()
        try:
            return field.parse(text)
        except (ValueError, TypeError, OverflowError) as error:
            reason = str(error)
            if not any(word in reason for word in ("between", "one of", "choose", "more than once")):
                reason = f"got {short(text)!r}; allowed: {allowed(field)}"
            raise argparse.ArgumentTypeError(reason) from None

    return parse


def steps_type(text: str) -> int:
    try:
        steps = int(text)
    except ValueError:
        steps = -1
    if not 0 <= steps <= MAX_STEPS:
        raise argparse.ArgumentTypeError(
            f"got {short(text)!r}; allowed: a whole number between 0 and {MAX_STEPS:,}"
        )
    return steps


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m playground",
        description="Neural Playground on the command line: train a NumPy network headless.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    train = commands.add_parser(
        "train",
        help="train a network and print the final cost, accuracy and gradient norms",
        description="Train a network on a toy dataset and print the result. "
        "Defaults are the app's defaults.",
    )
    defaults = Settings()
    for flag, name, metavar in FLAGS:
        field = FIELDS[name]
        if field.kind == "bool":  # a switch: present = on (the default is off)
            train.add_argument(flag, dest=name, action="store_const", const=True, default=None,
                               help=f"{field.help} (default off)")
            continue
        default = field.format(getattr(defaults, name)) or "''"
        kwargs: dict[str, Any] = {"dest": name, "metavar": metavar, "default": None}
        if field.kind == "choice":
            kwargs["choices"] = field.choices
        else:
            kwargs["type"] = field_type(field)
        train.add_argument(flag, help=f"{field.help}; {allowed(field)} (default {default})", **kwargs)
    train.add_argument(
        "--steps", type=steps_type, default=1000, metavar="N",
        help=f"number of updates (mini-batches), 0 to {MAX_STEPS:,} (default 1000)",
    )
    train.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    train.add_argument(
        "--save", metavar="PATH",
        help="write W1..WL, b1..bL (lecture shapes) and the settings (JSON) to an .npz file",
    )
    return parser


def settings_from_args(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Settings:
    values = {name: getattr(args, name) for _, name, _ in FLAGS if getattr(args, name) is not None}
    try:
        return Settings(**values)
    except ValueError as error:  # a combination the schema refuses
        parser.error(str(error))  # exits with status 2


def finite_or_none(value: float) -> float | None:
    """JSON has no NaN or infinity."""
    return float(value) if math.isfinite(value) else None


def train(settings: Settings, steps: int) -> TrainingSession:
    """Build the session and train ``steps`` updates (fewer if it diverges)."""
    # Divergence is detected and reported by the session; numpy's overflow warnings are noise.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        session = TrainingSession(settings)
        session.train(steps)
    return session


def summarize(session: TrainingSession, steps: int, seconds: float) -> dict[str, Any]:
    """The result as plain data (what ``--json`` prints)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        evaluation = session.evaluate()
        grad_norms = session.full_batch_stats().grad_norm_W
    net = session.net
    return {
        "settings": asdict(session.settings),
        "layer_sizes": list(net.layer_sizes),
        "hidden_activation": net.hidden_activation,
        "output_activation": net.output_activation,
        "task": session.task,
        "metric": "r2" if session.task == "regression" else "accuracy",
        "steps_requested": steps,
        "updates": session.step,
        "epochs": session.epoch,
        "status": session.status,
        "message": session.message,
        "diverged_layer": session.diverged_layer,
        "train_cost": finite_or_none(evaluation["train_cost"]),
        "test_cost": finite_or_none(evaluation["test_cost"]),
        "train_metric": finite_or_none(evaluation["train_metric"]),
        "test_metric": finite_or_none(evaluation["test_metric"]),
        "m_train": session.m_train,
        "m_test": session.X_test.shape[1],
        "grad_norms": [finite_or_none(g) for g in grad_norms],
        "seconds": seconds,
    }


def save_path(text: str) -> str:
    """The file ``--save`` will write (with ".npz" added if missing), checked before training by
    opening it for writing; ValueError saying why not (a folder, a missing folder, a name too
    long, a NUL character, no permission, a read-only place such as /proc)."""
    if not text:
        raise ValueError("it needs a file name, e.g. --save model.npz")
    if "\0" in text:
        raise ValueError("the path contains a NUL character; give a plain file name such as model.npz")
    path = text if text.endswith(".npz") else text + ".npz"  # np.savez would add it silently; say the real name
    name_bytes = max(len(os.fsencode(part)) for part in Path(path).parts)
    if name_bytes > 255:
        raise ValueError(f"a name in the path is too long ({name_bytes} bytes; most file systems allow 255)")
    try:
        if text.endswith(("/", os.sep)) or Path(text).is_dir() or Path(path).is_dir():
            folder = text if text.endswith(("/", os.sep)) or Path(text).is_dir() else path
            raise ValueError(f"{short(folder)!r} is a folder; give a file name in it, "
                             f"e.g. {short(os.path.join(folder, 'model.npz'))!r}")
        folder = Path(path).parent
        if not folder.is_dir():
            raise ValueError(f"the folder {short(str(folder))!r} does not exist; create it first or choose another")
        existed = Path(path).exists()
    except OSError as error:
        raise ValueError(f"cannot write {short(path)!r}: {error.strerror or error}") from None
    try:
        with open(path, "ab"):  # append: an existing file is not truncated by the check
            pass
    except OSError as error:
        raise ValueError(f"cannot write {short(path)!r}: {error.strerror or error}") from None
    if not existed:
        os.remove(path)
    return path


def save_model(path: str, session: TrainingSession) -> str:
    """np.savez: W1..WL, b1..bL in lecture shapes, the settings as a JSON string under
    "settings" and facts about the run (layer sizes, activations, updates, status) as JSON
    under "training". ``path`` comes from ``save_path``. Returns the path written."""
    write_model(path, session)
    return path


def format_number(value: float | None, spec: str = ".4f") -> str:
    if value is None:
        return "n/a"
    return format(value, ".3e") if abs(value) >= 1e5 else format(value, spec)


def fixes_line(s: dict[str, Any]) -> list[str]:
    """Batch norm, skips, dropout and L1 when any is on (one line; nothing otherwise)."""
    fixes = [name for name, on in (("batch norm", s.get("batch_norm")), ("residual connections", s.get("residual")))
             if on]
    if s.get("dropout"):
        fixes.append(f"dropout {s['dropout']:g} (keep_prob {1 - s['dropout']:g})")
    if s.get("l1"):
        fixes.append(f"L1 λ₁={s['l1']:g}")
    return ["  ·  ".join(fixes)] if fixes else []


def format_table(result: dict[str, Any]) -> str:
    """The short human-readable report."""
    s = result["settings"]
    arch = "-".join(str(n) for n in result["layer_sizes"])
    batch = "full batch" if s["batch_size"] <= 0 or s["batch_size"] >= result["m_train"] else f"batch {s['batch_size']}"
    metric = "R²" if result["metric"] == "r2" else "accuracy"
    lines = [
        f"dataset {s['dataset']}  ·  network {arch} ({result['hidden_activation']} hidden, "
        f"{result['output_activation']} output)  ·  init {s['initializer']}  ·  seed {s['weight_seed']}",
        f"{s['optimizer']}  α={s['learning_rate']:g}  {batch}  λ={s['l2']:g}  decay={s['lr_decay']:g}  ·  "
        f"{result['updates']} updates, {result['epochs']} epochs, {result['seconds']:.2f} s",
        *fixes_line(s),
        "",
        f"{'':8}{'cost':>10}{metric:>10}",
        f"{'train':8}{format_number(result['train_cost']):>10}{format_number(result['train_metric']):>10}"
        f"   ({result['m_train']} examples)",
        f"{'test':8}{format_number(result['test_cost']):>10}{format_number(result['test_metric']):>10}"
        f"   ({result['m_test']} examples)",
        "",
        "gradient norm ‖dW[l]‖ on the training set:",
    ]
    for l, norm in enumerate(result["grad_norms"], start=1):
        lines.append(f"  layer {l:<3}{format_number(norm, '.3e'):>10}")
    lines.append("")
    if result["status"] == "diverged":
        lines.append("status: diverged")
        lines.append(result["message"])
    else:
        lines.append("status: finished")
    return "\n".join(lines)


def one_blas_thread() -> None:
    """These matrices are small: BLAS threads cost more than they save, and on a busy 2-core
    machine far more (digits, 300 mini-batches: 0.2 s with one thread, 8 s with two)."""
    from threadpoolctl import threadpool_limits  # installed with scikit-learn

    threadpool_limits(limits=1, user_api="blas")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = settings_from_args(args, parser)
    path = None
    if args.save is not None:
        try:
            path = save_path(args.save)
        except ValueError as error:
            parser.error(f"argument --save: {error}")  # exits with status 2, before any training
    started = time.perf_counter()
    session = train(settings, args.steps)
    result = summarize(session, args.steps, time.perf_counter() - started)
    saved = None
    if path is not None:
        try:
            saved = save_model(path, session)
        except OSError as error:  # e.g. the disk filled up while training
            parser.error(f"argument --save: cannot write {short(path)!r}: {error.strerror or error}")
    if args.json:
        result["saved"] = saved
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_table(result))
        if saved:
            print(f"saved W1..W{len(result['layer_sizes']) - 1}, b1..b{len(result['layer_sizes']) - 1} "
                  f"and the settings to {saved}")
    return 0


if __name__ == "__main__":
    one_blas_thread()  # process-wide, so only when run as a program (not when main() is imported)
    sys.exit(main())
