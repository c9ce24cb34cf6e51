"""The package's layout for `pip install .`: every subpackage listed, data files from data/ only.

`make install-check` (part of `make test`) does the real thing: a non-editable install
into a fresh venv and the notebooks under strict nbval in that venv's kernel.
"""
import tomllib
from importlib import resources
from pathlib import Path

from backproplab.data import DATA_PACKAGE, FILES, FULL_RUN

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_subpackage_is_listed_for_setuptools():
    found = {".".join(p.parent.relative_to(ROOT / "lib").parts) for p in (ROOT / "lib").rglob("__init__.py")}
    assert found | {DATA_PACKAGE} == set(CONFIG["packages"])
    assert CONFIG["package-dir"][DATA_PACKAGE] == "data"


def test_data_files_are_read_from_the_top_level_data_folder():
    # The tests run in the editable install of `make setup`: the package backproplab.datafiles
    # is the repository's data/ folder itself, the one copy of the files.
    folder = resources.files(DATA_PACKAGE)
    assert Path(str(folder)).resolve() == (ROOT / "data").resolve()
    for name in [*FILES.values(), FULL_RUN]:
        assert (folder / name).is_file(), name


def test_every_data_file_is_installed_and_has_its_provenance():
    patterns = CONFIG["package-data"][DATA_PACKAGE]
    readme = (ROOT / "data" / "README.md").read_text()
    for path in (ROOT / "data").iterdir():
        if path.name in ("__init__.py", "README.md", "__pycache__"):
            continue
        assert any(path.match(p) for p in patterns), f"{path.name} is not installed (package-data)"
        assert f"`{path.name}`" in readme, f"data/README.md does not describe {path.name}"
