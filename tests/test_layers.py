"""The layer contracts of pyproject.toml ([tool.importlinter]) hold: the same check
CI runs with `lint-imports`, so `scripts/test.sh` catches a wrong-way import too."""

from pathlib import Path

import grimp
from importlinter.cli import lint_imports

from tests.import_contracts import NoCrossAppCyclesContract

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_are_kept():
    # What broke, and through which imports, is in the captured output.
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported)
    return graph


def _check(graph: grimp.ImportGraph):
    contract = NoCrossAppCyclesContract(
        name="cycles", session_options={}, contract_options={"apps": ["shop", "shop.api", "mail"]}
    )
    return contract.check(graph, verbose=False)


def test_a_cycle_that_leaves_an_app_and_comes_back_breaks_the_contract():
    check = _check(_graph(("shop.a", "mail.b"), ("mail.b", "mail.c"), ("mail.c", "shop.a")))
    assert check.kept is False
    assert check.metadata["cycles"] == [["mail.b", "mail.c", "shop.a"]]


def test_a_nested_app_counts_as_an_app_of_its_own():
    check = _check(_graph(("shop.api.views", "shop.models"), ("shop.models", "shop.api.views")))
    assert check.metadata["cycles"] == [["shop.api.views", "shop.models"]]


def test_a_cycle_inside_one_app_and_a_one_way_arrow_between_apps_are_kept():
    check = _check(
        _graph(
            ("shop.a", "shop.b"), ("shop.b", "shop.a"), ("shop.b", "mail.c"), ("mail.c", "mail.d")
        )
    )
    assert check.kept is True and check.metadata["cycles"] == []
