"""The stored data sets (Higham's points, the digits, the full run) and the seeded split."""
import hashlib
import re
from importlib import resources

import numpy as np
import pytest

from backproplab import Network, load_dataset, load_full_run, train_validation_test_split
from backproplab.data import DATA_PACKAGE, FILES, read_digits

# scikit-learn 1.9.1's sklearn/datasets/data/digits.csv.gz (data/README.md)
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
# UCI's class counts of the optdigits test set (optdigits.tes), digits 0..9
UCI_TEST_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_file_is_scikit_learns_copy_unchanged():
    data = (resources.files(DATA_PACKAGE) / FILES["digits"]).read_bytes()
    assert len(data) < 100_000  # small enough for the repository
    assert hashlib.sha256(data).hexdigest() == DIGITS_SHA256


def test_digits_are_1797_images_scaled_to_0_1_with_one_hot_labels():
    X, Y = load_dataset("digits")
    assert X.shape == (1797, 64) and Y.shape == (1797, 10)
    assert X.min() == 0.0 and X.max() == 1.0
    np.testing.assert_array_equal(X * 16, np.round(X * 16))  # pixel counts 0..16 divided by 16
    np.testing.assert_array_equal(Y.sum(axis=1), 1.0)
    assert list(Y.sum(axis=0).astype(int)) == UCI_TEST_COUNTS
    # the first image is a 0 (scikit-learn's load_digits().images[0], row by row)
    first = [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0,
             0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0]
    np.testing.assert_array_equal(X[0] * 16, first)
    assert np.argmax(Y[0]) == 0


def test_malformed_digits_file_names_file_and_line(tmp_path):
    import gzip
    path = tmp_path / FILES["digits"]
    good = ",".join(["0"] * 64 + ["3"])
    with gzip.open(path, "wt") as f:
        f.write(good + "\n" + ",".join(["0"] * 63 + ["17", "3"]) + "\n")
    with pytest.raises(ValueError, match=re.escape(str(path)) + r", line 2: expected 64 pixels 0..16 and a digit"):
        load_dataset("digits", data_dir=tmp_path)
    with gzip.open(path, "wt") as f:
        f.write(good + "\n")
    pixels, labels = read_digits(path)
    assert pixels.shape == (1, 64) and list(labels) == [3]
    with pytest.raises(ValueError, match=r"digits.csv.gz is missing"):
        load_dataset("digits", data_dir=tmp_path / "nowhere")


def test_full_run_is_consistent_with_its_own_weights():
    run = load_full_run()
    s = run["settings"]
    assert s["sizes"] == [2, 2, 3, 2] and s["iterations"] == 1_000_000
    assert run["iterations"][0] == 0 and run["iterations"][-1] == s["iterations"]
    assert len(run["iterations"]) == len(run["cost"]) == s["iterations"] // s["record_every"] + 1
    net = Network.from_parameters(run["weights"], run["biases"], activation=s["activation"], cost=s["cost"])
    X, Y = load_dataset("higham")
    assert net.cost(X, Y) == pytest.approx(run["final_cost"], rel=1e-12) == pytest.approx(run["cost"][-1])
    assert net.accuracy(X, Y) == run["accuracy"]


# ----- the split ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits")


def test_split_partitions_the_samples(digits):
    X, Y = digits
    X = np.column_stack([np.arange(len(X)), X])  # a column that names each sample
    parts = train_validation_test_split(X, Y, fractions=(0.6, 0.2, 0.2), seed=0)
    ids = [part[0][:, 0].astype(int) for part in parts]
    assert [len(i) for i in ids] == [1078, 360, 359]
    np.testing.assert_array_equal(np.sort(np.concatenate(ids)), np.arange(len(X)))  # each sample once
    for (Xp, Yp), i in zip(parts, ids):
        np.testing.assert_array_equal(Xp, X[i])  # rows keep their targets
        np.testing.assert_array_equal(Yp, Y[i])


def test_split_is_stratified(digits):
    X, Y = digits
    share = Y.sum(axis=0) / len(Y)
    for fraction, (Xp, Yp) in zip((0.6, 0.2, 0.2), train_validation_test_split(X, Y, seed=3)):
        # every digit in every part, in its share of the whole to within one sample
        np.testing.assert_allclose(Yp.sum(axis=0), fraction * share * len(Y), atol=1.0)
    small = train_validation_test_split(X, Y, fractions=(0.05, 0.05, 0.9), seed=3)
    assert np.all(small[0][1].sum(axis=0) == 9)  # 5 % of about 180 of each digit


def test_split_is_seeded(digits):
    X, Y = digits
    a = train_validation_test_split(X, Y, seed=1)
    b = train_validation_test_split(X, Y, seed=1)
    c = train_validation_test_split(X, Y, seed=2)
    for (Xa, Ya), (Xb, Yb) in zip(a, b):
        np.testing.assert_array_equal(Xa, Xb)
        np.testing.assert_array_equal(Ya, Yb)
    assert not np.array_equal(a[0][0], c[0][0])
    unstratified = train_validation_test_split(X, Y, seed=1, stratify=False)
    assert [len(p[0]) for p in unstratified] == [1078, 360, 359]
    assert not np.array_equal(unstratified[0][0], a[0][0])


def test_split_works_on_the_two_class_sets_and_one_output_column():
    X, Y = load_dataset("higham")
    (Xt, Yt), (Xv, Yv), (Xs, Ys) = train_validation_test_split(X, Y, fractions=(0.6, 0.2, 0.2), seed=0)
    assert (len(Xt), len(Xv), len(Xs)) == (6, 2, 2)
    assert list(Yt.sum(axis=0)) == [3, 3] and list(Yv.sum(axis=0)) == [1, 1]
    parts = train_validation_test_split(X, Y[:, 1:], seed=0)
    assert [p[1].sum() for p in parts] == [3, 1, 1]


@pytest.mark.parametrize("fractions", [(0.5, 0.5), (0.6, 0.3, 0.3), (0.6, 0.4, 0.0), (0.7, -0.1, 0.4),
                                       (0.6, float("nan"), 0.2), "0.6,0.2,0.2", 0.6, (0.6, 0.2, True)])
def test_split_bad_fractions(fractions):
    X, Y = load_dataset("higham")
    with pytest.raises(ValueError, match=re.escape("fractions must be three positive numbers summing to 1 "
                                                   "(training, validation, test), such as (0.6, 0.2, 0.2); got")):
        train_validation_test_split(X, Y, fractions=fractions)


def test_split_bad_arrays_and_empty_parts():
    X, Y = load_dataset("higham")
    with pytest.raises(ValueError, match=r"X has shape \(10, 2\) and Y has shape \(9, 2\); expected the same"):
        train_validation_test_split(X, Y[:9])
    with pytest.raises(ValueError, match=r"X has shape \(10,\); expected \(n_samples, n_columns\)"):
        train_validation_test_split(X[:, 0], Y)
    with pytest.raises(ValueError, match=r"the validation set would be empty \(training 8, validation 0, test 2 "
                                         r"of 10 samples"):
        train_validation_test_split(X, Y, fractions=(0.8, 0.01, 0.19))
    with pytest.raises(ValueError, match="stratify must be True or False"):
        train_validation_test_split(X, Y, stratify="yes")
