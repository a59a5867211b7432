"""The type stubs describe the module as it is: every stubbed name exists, every public one is stubbed."""

import ast
import pathlib

import motcua

STUBS = pathlib.Path(motcua.__file__).with_name("__init__.pyi")


def stubbed():
    tree = ast.parse(STUBS.read_text(encoding="utf-8"))
    classes = {}
    functions = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        elif isinstance(node, ast.FunctionDef):
            functions.add(node.name)
    return classes, functions


def test_the_stubs_are_installed_with_py_typed():
    assert STUBS.is_file() and STUBS.with_name("py.typed").is_file()


def test_every_stubbed_name_exists_and_every_public_name_is_stubbed():
    classes, functions = stubbed()
    exported = set(motcua.__all__) - {"__version__"}
    assert exported == (set(classes) - {"Place"}) | functions
    for name, methods in classes.items():
        if name == "Place":
            continue
        cls = getattr(motcua, name)
        public = {m for m in vars(cls) if not m.startswith("_")}
        assert {m for m in methods if not m.startswith("_")} == public, name
        for m in methods:
            assert hasattr(cls, m), f"{name}.{m}"
