"""Shared fixtures: the repository's specs folder, compiled once per test session."""

import json
import pathlib

import pytest

import motcua

ROOT = pathlib.Path(__file__).resolve().parents[3]
BIRTH = ROOT / "specs/procedures/birth-registration-residence-insurance.yaml"
BUSINESS = ROOT / "specs/procedures/business-registration.yaml"


def read_json(path):
    return json.loads((ROOT / path).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def library():
    return motcua.Library.from_folder(ROOT / "specs")


@pytest.fixture(scope="session")
def birth(library):
    return library.load_procedure(BIRTH)


@pytest.fixture(scope="session")
def business(library):
    return library.load_procedure(BUSINESS)


@pytest.fixture
def birth_submission():
    # The submission of tests/scenarios/birth-registration-supplement-lapsed.yaml (checked by
    # bindings/c's fixtures_are_the_scenario_submissions).
    return read_json("bindings/c/tests/data/birth-registration-submission.json")


@pytest.fixture
def business_submission():
    return read_json("bindings/c/tests/data/business-registration-submission.json")


def act(id, at, role, agency, action, unit="00004", **extra):
    """An `act` command in the published `command` shape."""
    actor = {"role": role, "agency": agency}
    if unit:
        actor["unit"] = unit
    return {"id": id, "at": at, "actor": actor, "type": "act", "action": action, **extra}
