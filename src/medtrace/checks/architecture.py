"""Rules on the architecture model: where software runs, what carries its code, what a flow
and an interface name. (A flow whose ends do not resolve is MT010/MT011's; environments nested
in a cycle are MT012's: ``parent`` of an environment is a derivation link.)"""

from __future__ import annotations

from collections.abc import Iterator

from medtrace.architecture import Architecture, build_architecture
from medtrace.architecture.model import interfaces_of
from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.diagnostics import CODES, Diagnostic, Severity

#: What an interface of each kind names, and the key that says it.
_NEEDS = {"openapi": "spec", "typescript": "spec", "c-header": "spec", "python": "module"}


def _architecture(ctx: Context) -> Architecture:
    found = ctx.extras.get("architecture")
    if not isinstance(found, Architecture):
        found = ctx.extras["architecture"] = build_architecture(ctx.model)
    return found


# @implements SRS-145
@rule(
    "MT160",
    "flow-interface-unknown",
    Severity.ERROR,
    "A flow names an interface its target does not declare.",
)
def flow_interface_unknown(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT160"]
    arch = _architecture(ctx)
    for item in ctx.model.of_kind("flow"):
        wanted = item.get("interface")
        target = arch.elements.get(item.get("to") or "")
        if not isinstance(wanted, str) or not wanted or target is None:
            continue
        names = [i.name for i in target.interfaces]
        if wanted in names:
            continue
        to = ctx.field_name(item, "to")
        yield code(
            f"flow {item.id} names the interface '{wanted}', which {target.id} does not declare",
            expected=f"the name of an interface of its '{to}' ({', '.join(names) or 'none'})",
            hint=f"Declare '{wanted}' under 'interfaces:' of {target.id}, or fix the name.",
            **ctx.at(item, "interface"),
        )


# @implements SRS-145
@rule(
    "MT161",
    "system-environment-missing",
    Severity.ERROR,
    "A software system runs in no environment (once the model declares environments).",
)
def system_environment_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT161"]
    arch = _architecture(ctx)
    if not arch.environments:
        return
    for system in arch.systems():
        if arch.environment_of(system) is not None:
            continue
        item = ctx.model.items[system]
        name = ctx.field_name(item, "environment")
        known = ", ".join(sorted(arch.environments))
        yield code(
            f"software system {system} runs in no environment",
            expected=f"'{name}:' naming where it runs (one of {known}), on it or on its parent",
            hint=f"Add '{name}: <environment>' to {system}, or to each of its parts "
            "when it is spread over several.",
            **ctx.at(item),
        )


# @implements SRS-146
@rule(
    "MT162",
    "item-code-missing",
    Severity.ERROR,
    "A software item without parts has neither code paths nor external code (once the model "
    "declares environments).",
)
def item_code_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT162"]
    arch = _architecture(ctx)
    if not arch.environments:
        return  # a project that has not written its architecture model yet
    for element in arch.software():
        item = ctx.model.items[element.id]
        if element.children or item.get("paths") or item.get("external_code"):
            continue
        if "paths" in item.invalid or "external_code" in item.invalid:
            continue  # written wrongly: MT008 says so
        paths = ctx.field_name(item, "paths")
        external = ctx.field_name(item, "external_code")
        yield code(
            f"software item {element.id} has no code: neither '{paths}' nor '{external}'",
            expected=f"'{paths}:' with the globs of its code, or '{external}:' saying where "
            "its code is (IEC 62304 5.3, 5.4)",
            hint=f"Add '{paths}: [...]', or '{external}: in the vendor's SDK' when the code "
            "is outside this repository.",
            **ctx.at(item),
        )


# @implements SRS-145
@rule(
    "MT163",
    "environment-outside-parent",
    Severity.ERROR,
    "A software item runs outside the environment of the item it is part of.",
)
def environment_outside_parent(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT163"]
    arch = _architecture(ctx)
    for element in arch.software():
        if element.environment is None or element.parent is None:
            continue
        outer = arch.environment_of(element.parent)
        if outer is None or outer in arch.environment_chain(element.environment):
            continue
        item = ctx.model.items[element.id]
        yield code(
            f"software item {element.id} runs in {element.environment}, outside {outer} "
            f"where its parent {element.parent} runs",
            expected=f"{outer} or an environment nested in it",
            hint=f"Nest {element.environment} in {outer} ('parent: {outer}'), or move the "
            f"environment from {element.parent} to its parts.",
            **ctx.at(item, "environment"),
        )


# @implements SRS-146
@rule(
    "MT164",
    "interface-source-undeclared",
    Severity.ERROR,
    "An interface does not say which file or module defines it.",
)
def interface_spec_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT164"]
    for item in ctx.model.of_kind("software-item"):
        for interface in interfaces_of(item):
            key = _NEEDS.get(interface.kind)
            if key is None or getattr(interface, key):
                continue
            what = "the dotted module name" if key == "module" else "the file that defines it"
            yield code(
                f"interface '{interface.name}' of {item.id} ({interface.kind}) has no '{key}'",
                expected=f"'{key}:' with {what}",
                hint=f"Add '{key}:' to the interface, or make it 'kind: prose' with a 'text:'.",
                **ctx.at(item, "interfaces"),
            )
