"""The data files of Backprop Lab, installed inside the library as ``backproplab.datafiles``.

This folder is the only copy of the files: ``pyproject.toml`` maps it into the package, so
that ``importlib.resources`` finds them after ``pip install .`` as well as in an editable
install.  Read them with ``backproplab.load_dataset`` and ``backproplab.data.load_full_run``;
``README.md`` here says where each file comes from and under which licence.
"""
