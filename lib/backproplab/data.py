"""The data sets: Higham & Higham's ten points, handwritten digits, and generated 2-D sets.

* ``load_dataset("higham")`` reads ``higham.csv``: the ten points of Higham & Higham (2019),
  section 3, with columns ``x1, x2, label``;
* ``load_dataset("digits")`` reads ``digits.csv.gz``: 1,797 handwritten digits, 8 x 8 pixels
  (UCI's "Optical Recognition of Handwritten Digits", as scikit-learn ships it);
* ``make_dataset(name, n, noise, seed)`` draws ``n`` points of ``xor``, ``circles``,
  ``moons`` or ``spirals`` from ``numpy.random.default_rng(seed)``;
* :func:`train_validation_test_split` splits a data set at random, seeded;
* :func:`load_full_run` reads what ``make reproduce`` stored of Higham & Higham's full run.

Targets are one-hot rows: label 0 of the two-class sets is ``[1, 0]`` and label 1 is
``[0, 1]``, as in the paper's ``y = [ones(1,5) zeros(1,5); zeros(1,5) ones(1,5)]``; digit
``d`` is row ``d`` of the 10 x 10 identity.

The files live in the repository's ``data/`` folder, which is installed inside the library
as the package ``backproplab.datafiles`` (``pyproject.toml``); they are read with
``importlib.resources``, so they are found after ``pip install .`` too.  ``data/README.md``
gives each file's provenance and licence.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import zlib
from importlib import resources
from numbers import Integral, Real
from pathlib import Path

import numpy as np

from .validation import as_seed

DATA_PACKAGE = "backproplab.datafiles"  # the repository's data/ folder, installed in the package
FILES = {"higham": "higham.csv", "digits": "digits.csv.gz"}
FULL_RUN = "higham_full_run.json"
GENERATORS = ("xor", "circles", "moons", "spirals")
DIGIT_PIXELS, DIGIT_MAX = 64, 16  # 8 x 8 images, each pixel a count 0..16 of "on" dots
# make_dataset's limits: a million points (32 MB) is far more than any lesson draws, and noise
# beyond ten times the unit square's side leaves nothing to learn (and 1e308 would overflow).
MAX_POINTS, MAX_NOISE = 10**6, 10.0


def one_hot(labels, n_classes=2) -> np.ndarray:
    """Integer labels 0..n_classes-1 of shape (n,) as one-hot rows of shape (n, n_classes)."""
    labels = np.asarray(labels, dtype=int)
    return np.eye(n_classes)[labels]


def read_text(path, compressed=False) -> str:
    """The text of a UTF-8 file (gzip-compressed if ``compressed``), a byte-order mark dropped.

    Spreadsheets often start a UTF-8 CSV file with the mark ``EF BB BF``; it is not data.

    Raises
    ------
    ValueError
        Naming the file when it is missing, is a folder, cannot be read or decompressed, or
        is not UTF-8 text (naming the line too).
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"data file {path} is a folder, not a file")
    if not path.is_file():
        raise ValueError(f"data file {path} is missing")
    try:
        data = gzip.decompress(path.read_bytes()) if compressed else path.read_bytes()
    except (OSError, EOFError, zlib.error) as exc:  # unreadable, or not gzip data
        raise ValueError(f"data file {path} cannot be read{' as gzip-compressed data' if compressed else ''}: "
                         f"{exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValueError(f"{path}, line {line}: not UTF-8 text (byte {data[exc.start]:#04x}); save the file as "
                         f"UTF-8 (CSV UTF-8 in a spreadsheet)") from None


def read_csv(path) -> tuple:
    """Read a ``x1,x2,label`` file; returns ``X`` (n, 2) and integer labels (n,).

    The file is UTF-8 text, with or without a byte-order mark.

    Raises
    ------
    ValueError
        Naming the file (and the line) when it is missing or not a readable UTF-8 file
        (:func:`read_text`), has the wrong header, or a line is not two numbers and a
        label 0 or 1.
    """
    path = Path(path)
    text = read_text(path)
    rows, labels = [], []
    with io.StringIO(text, newline="") as f:
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


def read_digits(path) -> tuple:
    """Read the digits file: 1,797 gzip-compressed CSV lines of 64 pixels and a label.

    Returns
    -------
    pixels : ndarray of int, shape (n, 64)
        Row-major 8 x 8 images, each pixel an integer 0..16.
    labels : ndarray of int, shape (n,)
        The digit, 0..9.

    Raises
    ------
    ValueError
        Naming the file (and the line) when it is missing or not readable UTF-8 gzip data
        (:func:`read_text`), or a line is not 64 pixels in 0..16 and a digit 0..9.
    """
    path = Path(path)
    text = read_text(path, compressed=True)
    rows = []
    with io.StringIO(text, newline="") as f:
        for line_no, row in enumerate(csv.reader(f), start=1):
            try:
                values = [int(cell) for cell in row]
            except ValueError:
                values = []
            if len(values) != DIGIT_PIXELS + 1 or min(values) < 0 or max(values[:-1]) > DIGIT_MAX \
                    or values[-1] > 9:
                raise ValueError(f"{path}, line {line_no}: expected {DIGIT_PIXELS} pixels 0..{DIGIT_MAX} and a "
                                 f"digit 0..9, got {','.join(row)[:80]!r}")
            rows.append(values)
    if not rows:
        raise ValueError(f"{path} holds no data lines")
    rows = np.array(rows)
    return rows[:, :-1], rows[:, -1]


def data_file(filename, data_dir=None):
    """The installed data file ``filename`` (a path-like ``Traversable``), or ``data_dir/filename``."""
    if data_dir is not None:
        if not isinstance(data_dir, (str, os.PathLike)):
            raise ValueError(f"data_dir must be a folder's path (a str or a pathlib.Path), got {data_dir!r} "
                             f"({type(data_dir).__name__})")
        return Path(data_dir) / filename
    return resources.files(DATA_PACKAGE) / filename


def load_dataset(name="higham", data_dir=None):
    """Load a stored data set.

    Parameters
    ----------
    name : {"higham", "digits"}
    data_dir : path, optional
        A folder holding the files; by default the files installed with the library (the
        repository's ``data/``).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        ``"higham"``: shape (10, 2), points of the unit square.  ``"digits"``: shape
        (1797, 64), each row an 8 x 8 image read row by row, the pixel counts 0..16
        divided by 16 so that every value lies in [0, 1].
    Y : ndarray of shape (n_samples, n_classes), one-hot
        ``"higham"``: (10, 2).  ``"digits"``: (1797, 10), ``Y[i, d] = 1`` for digit ``d``.
    """
    if not isinstance(name, str) or name not in FILES:
        choices = ", ".join(repr(k) for k in FILES)
        generated = ", ".join(repr(k) for k in GENERATORS)
        kind = "" if isinstance(name, str) else f" (a {type(name).__name__}; the name is a str)"
        raise ValueError(f"unknown data set {name!r}{kind}: load_dataset knows {choices}; "
                         f"make_dataset draws {generated}")
    with resources.as_file(data_file(FILES[name], data_dir)) as path:
        if name == "digits":
            pixels, labels = read_digits(path)
            return pixels / DIGIT_MAX, one_hot(labels, 10)
        X, labels = read_csv(path)
    return X, one_hot(labels)


def load_full_run() -> dict:
    """Higham & Higham's full run, as ``make reproduce`` (``scripts/reproduce_higham.py``) stored it.

    Returns
    -------
    dict
        ``settings`` (dict: sizes, activation, cost, init_seed, learning_rate, iterations,
        batch_size, sample_seed, record_every), ``iterations`` and ``cost`` (lists of the
        same length: the recorded full-data cost (9)), ``weights`` and ``biases`` (nested
        lists, ``W^[2], ..., W^[L]`` and ``b^[2], ..., b^[L]`` in layer order, ready for
        ``Network.from_parameters``), ``final_cost`` and ``accuracy`` (floats).
    """
    return json.loads(data_file(FULL_RUN).read_text())


def make_dataset(name, n=100, noise=0.1, seed=0):
    """Draw a two-class data set in the unit square.

    Parameters
    ----------
    name : {"xor", "circles", "moons", "spirals"}
    n : int
        Number of points, 2 to ``MAX_POINTS`` (a million), split evenly between the classes.
    noise : float
        Standard deviation of the Gaussian jitter, in units of the square's side; from 0
        to ``MAX_NOISE`` (10).
    seed : int
        Seed for ``numpy.random.default_rng``, an integer >= 0.

    Returns
    -------
    X : ndarray of shape (n, 2)
    Y : ndarray of shape (n, 2), one-hot
    """
    if not isinstance(name, str) or name not in GENERATORS:
        choices = ", ".join(repr(k) for k in GENERATORS)
        raise ValueError(f"unknown data set {name!r}: make_dataset draws {choices}")
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, Integral) or not 2 <= n <= MAX_POINTS:
        raise ValueError(f"n must be an integer >= 2 and at most {MAX_POINTS:,}, got {n!r}")
    if isinstance(noise, (bool, np.bool_)) or not isinstance(noise, Real) or not math.isfinite(noise) \
            or not 0 <= noise <= MAX_NOISE:
        raise ValueError(f"noise must be a number from 0 to {MAX_NOISE:g} (the standard deviation of the jitter, "
                         f"in units of the unit square's side), got {noise!r}")
    n, noise = int(n), float(noise)
    rng = np.random.default_rng(as_seed(seed))
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
