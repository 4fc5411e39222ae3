"""A custom import-linter contract (configured in pyproject.toml, run by
``lint-imports`` and by tests/test_layers.py): no import cycle spans two apps.

import-linter's own cycle contract (acyclic_siblings) compares packages, and our
apps are separate top-level packages that may import each other in both
directions (templates use a conversation's channel; conversations send
templates); what must not happen is a loop of module imports that leaves one app
and comes back."""

from __future__ import annotations

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class NoCrossAppCyclesContract(Contract):
    type_name = "no_cross_app_cycles"

    # Each app is a package; a module belongs to the longest app that contains it.
    apps = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        apps = sorted(self.apps, key=len, reverse=True)  # type: ignore[arg-type]

        def app_of(module: str) -> str | None:
            for app in apps:
                if module == app or module.startswith(app + "."):
                    return app
            return None

        crossing = []
        for component in _cycles(graph):
            owners = {app_of(m) for m in component}
            if len(owners) > 1:
                crossing.append(sorted(component))
        return ContractCheck(kept=not crossing, metadata={"cycles": crossing})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(f"A cycle through {len(cycle)} modules spans apps:")
            for module in cycle:
                output.indent_cursor()
                output.print_error(module, bold=False)
            output.new_line()


def _cycles(graph: ImportGraph) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan,
    iterative: the graph is deep enough to exhaust Python's recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found
