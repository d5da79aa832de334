"""Rules on links: every link resolves, to an allowed kind, without derivation cycles."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.checks.shared import dangling
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.ids import padding_variant


# @implements SRS-9
@rule("MT010", "link-dangling", Severity.ERROR, "A link names an ID that no item has.")
def link_dangling(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT010"]
    items = ctx.model.items
    for source_id, role, target, _ in dangling(ctx):
        if padding_variant(target, items):
            continue  # a padding variant of an existing ID is MT017's
        source = items[source_id]
        spec = ctx.config.kinds[source.kind].fields[role]
        close = ctx.closest_id(target, spec.targets or None)
        yield code(
            f"'{spec.name}' of {source_id} names {target}, which does not exist",
            expected=_targets(spec.targets),
            hint=f"Did you mean {close}?" if close else "Create the item or fix the ID.",
            **ctx.at(source, role),
        )


@rule(
    "MT011", "link-kind", Severity.ERROR, "A link names an item of a kind the field does not allow."
)
def link_kind(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT011"]
    items = ctx.model.items
    allowed = _allowed_kinds(ctx)
    for source_id, links in ctx.model.outgoing.items():
        source = items[source_id]
        kinds = allowed.get(source.kind)
        if not kinds:
            continue  # none of the kind's link fields names kinds: nothing to look at
        for _, role, target_id, resolved in links:
            if not resolved or role not in kinds or items[target_id].kind in kinds[role]:
                continue
            spec = ctx.config.kinds[source.kind].fields[role]
            yield code(
                f"'{spec.name}' of {source_id} names {target_id}, a {items[target_id].kind}",
                expected=_targets(spec.targets),
                hint=f"'{spec.name}' links to {' or '.join(spec.targets)} items only; "
                "name one of those, or add the kind to the field's targets.",
                **ctx.at(source, role),
            )


def _allowed_kinds(ctx: Context) -> dict[str, dict[str, frozenset[str]]]:
    """The kinds each link field allows, by kind and role (fields that allow any: left out)."""
    return {
        kind: {role: frozenset(f.targets) for role, f in spec.fields.items() if f.targets}
        for kind, spec in ctx.config.kinds.items()
    }


def _targets(kinds: list[str]) -> str:
    return f"the ID of an existing {' or '.join(kinds)}" if kinds else "the ID of an existing item"


# @implements SRS-9
@rule("MT012", "derivation-cycle", Severity.ERROR, "Items derive from each other in a cycle.")
def derivation_cycle(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT012"]
    if not _may_cycle(ctx):
        return
    for cycle in _cycles(_derivation_graph(ctx)):
        first = ctx.model.items[cycle[0]]
        path = " → ".join([*cycle, cycle[0]])
        yield code(
            f"derivation cycle: {path}",
            expected="parents that lead up to top-level items without coming back",
            hint="Remove one of these parent links.",
            related=tuple(cycle),
            **ctx.at(first),
        )


def _may_cycle(ctx: Context) -> bool:
    """Whether the derivation links may make a cycle. Each item of a cycle names another and
    is named by one: the graph of the items with links both ways holds every cycle, and it is
    small (requirements name system requirements, which name nothing or few), so the whole
    project's graph is built only when this one has a cycle."""
    both = ctx.model.outgoing.keys() & ctx.model.incoming.keys()
    inner = _derivation_graph(ctx, both)
    return bool(_peel({n: [t for t in ts if t in inner] for n, ts in inner.items()}))


def _derivation_graph(ctx: Context, among: Iterable[str] | None = None) -> dict[str, list[str]]:
    """The derivation links (``parents``...) of every item, or of the items ``among``."""
    derivation = {
        kind: {role for role, f in spec.fields.items() if f.derivation}
        for kind, spec in ctx.config.kinds.items()
    }
    items, outgoing = ctx.model.items, ctx.model.outgoing
    graph: dict[str, list[str]] = {}
    for source_id in outgoing if among is None else among:
        links = outgoing[source_id]
        roles = derivation.get(items[source_id].kind)
        if not roles:
            continue
        # links unpacked (source, field, target, resolved): no attribute lookup per link
        targets = [target for _, role, target, resolved in links if resolved and role in roles]
        if targets:
            graph[source_id] = targets
    return graph


def _cycles(graph: dict[str, list[str]]) -> Iterator[list[str]]:
    """One cycle per strongly connected component that has one (Tarjan, iterative)."""
    graph = _trim_acyclic(graph)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = graph[node]
            if child < len(successors):
                work.append((node, child + 1))
                nxt = successors[child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    yield _one_cycle(graph, set(component))


def _trim_acyclic(graph: dict[str, list[str]]) -> dict[str, list[str]]:
    """Drop every node that cannot be on a cycle: peel nodes without successors repeatedly.

    What remains is the cycles and what leads into them, so the exact search runs on a few
    nodes instead of the whole project.
    """
    return _peel({n: [t for t in ts if t in graph] for n, ts in graph.items()})


def _peel(graph: dict[str, list[str]]) -> dict[str, list[str]]:
    """``graph`` (whose successors are all nodes of it) less the nodes that lead to no cycle."""
    predecessors: dict[str, list[str]] = {}
    for node, targets in graph.items():
        for target in targets:
            predecessors.setdefault(target, []).append(node)
    out_degree = {n: len(ts) for n, ts in graph.items()}
    sinks = [n for n, d in out_degree.items() if d == 0]
    while sinks:
        node = sinks.pop()
        for pred in predecessors.get(node, ()):
            out_degree[pred] -= 1
            if out_degree[pred] == 0:
                sinks.append(pred)
    return {n: [t for t in ts if out_degree[t] > 0] for n, ts in graph.items() if out_degree[n] > 0}


def _one_cycle(graph: dict[str, list[str]], component: set[str]) -> list[str]:
    start = min(component)
    path = [start]
    seen = {start}
    node = start
    while True:
        nxt = next(n for n in sorted(graph[node]) if n in component)
        if nxt == start or nxt in seen:
            return path[path.index(nxt) :] if nxt != start else path
        path.append(nxt)
        seen.add(nxt)
        node = nxt
