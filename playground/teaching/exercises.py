"""The ten practice exercises of the course notes (CONCEPTS.md §13) and where each is done.

One table, read by every page's "Exercises from the notes" help: what the exercise asks, which
page answers it, what to click there, and the settings that set it up (a *preset*: changes
applied to that page's settings, so the student starts from a state that shows the effect).
The notes' other named topics that are not numbered exercises (L1, residual connections,
vectorization) are listed after them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PAGES = {
    "playground": "Playground",
    "digits": "Handwritten digits",
    "gradients": "Gradients lab",
    "inside_step": "Inside a step",
    "activations": "Activation explorer",
}

# Gradients lab: the notes' classic deep network (CONCEPTS.md §6, §10).
DEEP_SIGMOID = {"dataset": "circles", "hidden_sizes": (16,) * 10, "activation": "sigmoid",
                "initializer": "xavier", "learning_rate": 0.1, "batch_size": 0, "optimizer": "sgd"}


@dataclass(frozen=True)
class Exercise:
    """One exercise: the question, the page that answers it, and how."""

    number: str  # "1" … "10" for the notes' exercises, "" for the other topics
    title: str
    question: str
    page: str  # a key of PAGES
    where: str  # what to click on that page
    presets: tuple[tuple[str, Mapping[str, Any]], ...] = field(default_factory=tuple)  # (button label, settings)
    needs: tuple[str, ...] = ()  # settings fields the preset uses that an engine must know

    @property
    def name(self) -> str:
        return f"Exercise {self.number}: {self.title}" if self.number else self.title


EXERCISES: tuple[Exercise, ...] = (
    Exercise("1", "Activation comparison",
             "Same data and network with sigmoid, tanh and ReLU: which converges faster, which ends more accurate?",
             "playground", "**Compare** (below the charts) → *Sigmoid, tanh or ReLU?* → **Run comparison**."),
    Exercise("2", "A deeper network",
             "3–4 hidden layers on the handwritten digits: does depth help?",
             "digits", "Load one layer, press **Play** and note the test accuracy; then load three layers and do "
             "the same.",
             (("1 hidden layer (32)", {"dataset": "digits10", "hidden_sizes": (32,), "activation": "relu",
                                       "initializer": "he", "batch_size": 32, "learning_rate": 0.1}),
              ("3 hidden layers (64, 32, 16)", {"dataset": "digits10", "hidden_sizes": (64, 32, 16),
                                                "activation": "relu", "initializer": "he", "batch_size": 32,
                                                "learning_rate": 0.1}))),
    Exercise("3", "Momentum",
             "v = βv + (1−β)∇J: is training faster or more stable?",
             "playground", "**Compare** → *Momentum* → **Run comparison** (or pick *Momentum* under "
             "Training in the sidebar and press Play)."),
    Exercise("4", "Mini-batch or full batch",
             "Compare speed and convergence of full-batch, mini-batch and stochastic updates.",
             "playground", "**Compare** → *Mini-batch or full batch* → **Run comparison**; the table gives "
             "epochs and seconds too."),
    Exercise("5", "Batch normalization",
             "Verify that batch normalization helps with vanishing gradients in a deep network.",
             "gradients", "Preset **10-layer sigmoid + batch norm**, then **Batch norm and residual "
             "connections** → **Run comparison** below.",
             (("10-layer sigmoid + batch norm", {**DEEP_SIGMOID, "batch_norm": True, "residual": False}),),
             needs=("batch_norm",)),
    Exercise("6", "Vanishing gradients",
             "A 10-layer sigmoid network: how big is the gradient at each layer?",
             "gradients", "Preset **10-layer sigmoid (vanishing)**: the gradient profile and the diagnosis.",
             (("10-layer sigmoid (vanishing)", {**DEEP_SIGMOID, "learning_rate": 0.3}),)),
    Exercise("7", "Dropout",
             "Does dropout improve test accuracy?",
             "playground", "**Compare** → *Dropout* → **Load the overfitting setup** → **Run comparison**.",
             needs=("dropout",)),
    Exercise("8", "Learning-rate decay",
             "α_t = α₀·e^(−kt): plot the cost curves.",
             "playground", "**Compare** → *Learning-rate decay* → **Run comparison** (or set the decay k under "
             "Training in the sidebar)."),
    Exercise("9", "Multi-class",
             "10-class digits with a softmax output: which digits get confused?",
             "digits", "Load all 10 digits, press **Play**, read the confusion matrix.",
             (("All 10 digits", {"dataset": "digits10", "hidden_sizes": (32,), "activation": "tanh",
                                 "initializer": "xavier", "batch_size": 32, "learning_rate": 0.1}),)),
    Exercise("10", "Feature visualization",
             "t-SNE (or PCA) of a hidden layer's activations: do the classes cluster?",
             "digits", "**Hidden-layer features** (below the charts): pick a layer and a method, **Draw the "
             "maps**, before and after training."),
    Exercise("", "L1 next to L2",
             "L1 drives many weights to (nearly) zero; L2 only shrinks them.",
             "playground", "**Compare** → *L1 or L2* → **Load the wider network** → **Run comparison**: near-zero "
             "weights are counted and drawn dotted grey (or set L1 in the sidebar and watch the diagram).",
             needs=("l1",)),
    Exercise("", "Residual connections",
             "A[l] = g(Z[l]) + A[l−2]: does a skip path help a deep sigmoid stack?",
             "gradients", "**Batch norm and residual connections** → **Run comparison**.",
             (("10-layer sigmoid + residual", {**DEEP_SIGMOID, "batch_norm": False, "residual": True}),),
             needs=("residual",)),
    Exercise("", "Vectorization",
             "Why avoid explicit for-loops? Time one layer both ways.",
             "inside_step", "**Why vectorize** (at the bottom): pick a layer and a number of examples, "
             "**Time both**."),
)


def exercises_on(page: str) -> list[Exercise]:
    return [e for e in EXERCISES if e.page == page]


def available(exercise: Exercise, known_fields: set[str]) -> bool:
    """False while the engine lacks a setting the exercise needs."""
    return set(exercise.needs) <= known_fields
