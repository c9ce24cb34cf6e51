"""Small two-class data sets in the unit square.

* ``load_dataset("higham")`` reads ``data/higham.csv``: the ten points of Higham &
  Higham (2019), section 3, with columns ``x1, x2, label``.
* ``make_dataset(name, n, noise, seed)`` draws ``n`` points of ``xor``, ``circles``,
  ``moons`` or ``spirals`` from ``numpy.random.default_rng(seed)``.

Every data set is returned as ``X`` of shape ``(n_samples, 2)`` and one-hot targets ``Y``
of shape ``(n_samples, 2)``: label 0 is ``[1, 0]`` and label 1 is ``[0, 1]``, as in the
paper's ``y = [ones(1,5) zeros(1,5); zeros(1,5) ones(1,5)]``.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

# data/ at the top of the repository (lib/backproplab/data.py -> ../../data)
DATA_DIR = Path(__file__).resolve().parents[2] / "data"
FILES = {"higham": "higham.csv"}
GENERATORS = ("xor", "circles", "moons", "spirals")


def one_hot(labels, n_classes=2) -> np.ndarray:
    """Integer labels of shape (n,) as one-hot rows of shape (n, n_classes)."""
    labels = np.asarray(labels, dtype=int)
    return np.eye(n_classes)[labels]


def read_csv(path) -> tuple:
    """Read a ``x1,x2,label`` file; returns ``X`` (n, 2) and integer labels (n,).

    Raises
    ------
    ValueError
        Naming the file (and the line) when it is missing, has the wrong header, or a
        line is not two numbers and a label 0 or 1.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"data file {path} is missing")
    rows, labels = [], []
    with path.open(newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or [h.strip() for h in header] != ["x1", "x2", "label"]:
            raise ValueError(f"{path}, line 1: expected the header 'x1,x2,label', got {','.join(header or [])!r}")
        for line_no, row in enumerate(reader, start=2):
            if not row or all(not cell.strip() for cell in row):
                continue
            try:
                if len(row) != 3:
                    raise ValueError
                x1, x2, label = float(row[0]), float(row[1]), float(row[2])
                if not (np.isfinite(x1) and np.isfinite(x2)) or label not in (0.0, 1.0):
                    raise ValueError
            except ValueError:
                raise ValueError(f"{path}, line {line_no}: expected two finite numbers and a label 0 or 1, "
                                 f"got {','.join(row)!r}") from None
            rows.append((x1, x2))
            labels.append(int(label))
    if not rows:
        raise ValueError(f"{path} holds no data lines")
    return np.array(rows), np.array(labels)


def load_dataset(name="higham", data_dir=None):
    """Load a data set stored in ``data/``.

    Parameters
    ----------
    name : {"higham"}
    data_dir : path, optional
        Folder holding the files; defaults to the repository's ``data/``.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    Y : ndarray of shape (n_samples, 2), one-hot
    """
    if name not in FILES:
        choices = ", ".join(repr(k) for k in FILES)
        generated = ", ".join(repr(k) for k in GENERATORS)
        raise ValueError(f"unknown data set {name!r}: load_dataset knows {choices}; "
                         f"make_dataset draws {generated}")
    X, labels = read_csv(Path(data_dir or DATA_DIR) / FILES[name])
    return X, one_hot(labels)


def make_dataset(name, n=100, noise=0.1, seed=0):
    """Draw a two-class data set in the unit square.

    Parameters
    ----------
    name : {"xor", "circles", "moons", "spirals"}
    n : int
        Number of points (at least 2), split evenly between the classes.
    noise : float
        Standard deviation of the Gaussian jitter, in units of the square's side; >= 0.
    seed : int
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    X : ndarray of shape (n, 2)
    Y : ndarray of shape (n, 2), one-hot
    """
    if name not in GENERATORS:
        choices = ", ".join(repr(k) for k in GENERATORS)
        raise ValueError(f"unknown data set {name!r}: make_dataset draws {choices}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    if name == "xor":
        X = rng.uniform(0, 1, size=(n, 2))
        # class 1 where exactly one coordinate is past the middle
        labels = ((X[:, 0] > 0.5) ^ (X[:, 1] > 0.5)).astype(int)
    elif name == "circles":
        radius = np.where(labels == 1, 0.18, 0.4)
        angle = rng.uniform(0, 2 * np.pi, n)
        X = 0.5 + radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    elif name == "moons":
        t = rng.uniform(0, np.pi, n)
        upper = np.column_stack([np.cos(t), np.sin(t)])
        lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
        X = np.where(labels[:, None] == 0, upper, lower)
        X = (X + [1.0, 0.75]) / [4.0, 2.5] + [0.0, 0.05]  # the two moons span about [-1, 2] x [-0.5, 1]
    else:  # spirals: two interleaved arms of 1.5 turns each
        t = np.sqrt(rng.uniform(0.02, 1, n)) * 3 * np.pi
        sign = np.where(labels == 0, 1.0, -1.0)
        X = 0.5 + sign[:, None] * np.column_stack([t * np.cos(t), t * np.sin(t)]) / (6.5 * np.pi)
    X = X + noise * rng.standard_normal((n, 2))
    return X, one_hot(labels)
