"""Risk management rules (ISO 14971 with IEC 62304 clause 7): estimates that agree with the
project's matrix, controls for every risk that needs them, controls verified (implementation and,
where declared, effectiveness), residual risks acceptable or justified, software items of a class
high enough for the harm, SOUP causes named, the chain from hazardous situation to result
complete, and the independence of a control from the unit it protects.

Each rule names the risk and what is missing, at the line of the field concerned. Risks whose
severity or probability is not on the scale are left to MT008 (field-invalid) and skipped here.
"""

from __future__ import annotations

from collections.abc import Iterator

from medtrace.checks.context import Context
from medtrace.checks.registry import rule
from medtrace.checks.shared import memo
from medtrace.config import CLASS_RANK, Config
from medtrace.config.schema import RiskSpec
from medtrace.diagnostics import CODES, Diagnostic, Severity
from medtrace.model import Item, Model
from medtrace.risk import Analysis, ControlInfo, RiskInfo, Verification, analyse, chain_of, level_of
from medtrace.tracing import ItemTrace, Status, Trace

_NEEDS = ("trace",)


def _analysis(ctx: Context) -> Analysis:
    """The analysis of every risk, made once per trace and shared by the rules."""
    trace = ctx.trace
    return memo(ctx, "risk_analysis", trace, lambda: analysis_of(ctx.config, ctx.model, trace))


# @implements SRS-161
def analysis_of(config: Config, model: Model, trace: Trace) -> Analysis:
    """The risk analysis with each control's status and code items as the trace has them
    (only the requirements that control a risk are looked at)."""
    verification: dict[str, Verification] = {}
    items, incoming = trace.items, model.incoming
    # most controls share their status and software item: one (frozen) record for each pair
    made: dict[tuple[Status, frozenset[str]], Verification] = {}
    for kind in config.risk_kinds:
        for risk in model.of_kind(kind):
            for source, field, _, _ in incoming.get(risk.id, ()):
                if field != "controls" or source in verification:
                    continue
                entry = items.get(source)
                if entry is None:
                    continue
                key = (entry.status, _code_items(entry, trace.file_items))
                found = made.get(key)
                if found is None:
                    found = made[key] = Verification(key[0].value, key[1])
                verification[source] = found
    return analyse(config, model, verification)


def _code_items(entry: ItemTrace, file_items: dict[str, str | None]) -> frozenset[str]:
    """The software items that hold the code implementing ``entry``'s item."""
    where = {file_items.get(c.path) for c in entry.code}
    where.discard(None)
    return frozenset(where)  # type: ignore[arg-type]  # None is out


def _names(analysis: Analysis, scale: str, level: int | None) -> str:
    names = getattr(analysis.spec, scale)
    return names[level] if level is not None else "?"


# @implements SRS-162
@rule(
    "MT180",
    "risk-estimate",
    Severity.ERROR,
    "A risk cannot be estimated, or a written estimate disagrees with the matrix.",
    needs=_NEEDS,
)
def risk_estimate(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT180"]
    analysis = _analysis(ctx)
    for risk in analysis.risks:
        item, initial = risk.item, risk.initial
        if initial.severity is None or _invalid(analysis.spec, risk, "probability", "p1", "p2"):
            continue
        if initial.probability is None:
            yield code(
                f"risk {item.id} has no probability: neither 'probability' nor both 'p1' and 'p2'",
                expected="a probability level, or P1 and P2 (software failures)",
                hint="add 'probability', or 'p1' and 'p2' combined by [risk] combine",
                **ctx.at(item, "severity"),
            )
            continue
        if initial.written is not None and initial.written != initial.probability:
            yield code(
                f"risk {item.id} gives probability "
                f"{_names(analysis, 'probability', initial.written)} but P1 × P2 combine to "
                f"{_names(analysis, 'probability', initial.probability)}",
                expected="the probability the P1 × P2 table of [risk] gives, or no probability",
                hint="remove 'probability' (it is computed) or correct P1 or P2",
                **ctx.at(item, "probability"),
            )
        yield from _written_verdicts(ctx, risk)


def _invalid(spec: RiskSpec, risk: RiskInfo, *roles: str) -> bool:
    """A field is written but not a level of its scale: MT008 reports it, not these rules."""
    return any(_off_scale(spec, risk, role) for role in roles)


def _off_scale(spec: RiskSpec, risk: RiskInfo, role: str) -> bool:
    item = risk.item
    if role in item.invalid:
        return True
    value = item.fields.get(role)
    if value is None:  # most are unwritten: no scale to look at
        return False
    scale = role.removeprefix("residual_")
    names: list[str] = getattr(spec, scale)
    return level_of(value, names, spec.index[scale]) is None


def _written_verdicts(ctx: Context, risk: RiskInfo) -> Iterator[Diagnostic]:
    code = CODES["MT180"]
    for role, found in (("initial", risk.initial), ("residual", risk.residual)):
        written = risk.item.get(role)
        if not isinstance(written, str) or found.acceptability in (None, written):
            continue
        yield code(
            f"risk {risk.id} says its {role} risk is {written}, but the matrix of [risk] makes "
            f"it {found.acceptability}",
            expected=f"'{role}: {found.acceptability}' (or no '{role}': it is computed)",
            hint="correct the estimate or the written acceptability",
            **ctx.at(risk.item, role),
        )


# @implements SRS-162
@rule(
    "MT181",
    "risk-uncontrolled",
    Severity.ERROR,
    "A risk whose initial risk is not acceptable has no risk control measure.",
    needs=_NEEDS,
)
def risk_uncontrolled(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT181"]
    analysis = _analysis(ctx)
    for risk in analysis.risks:
        verdict = risk.initial.acceptability
        if risk.controls or verdict in (None, "acceptable"):
            continue
        sev = _names(analysis, "severity", risk.initial.severity)
        prob = _names(analysis, "probability", risk.initial.probability)
        yield code(
            f"risk {risk.id} is {verdict} before control ({sev} × {prob}) and no requirement "
            "controls it",
            expected=f"at least one requirement with 'controls: [{risk.id}]' (ISO 14971 7.1)",
            hint=f"write the risk control measure as a requirement naming {risk.id} in "
            "'controls', with its 'control_type'",
            **ctx.at(risk.item, "severity"),
        )


# @implements SRS-162
@rule(
    "MT182",
    "control-result-missing",
    Severity.WARNING,  # as MT122/MT123 for requirements; make it an error before a release
    "A risk control measure's tests have no result.",
    needs=_NEEDS,
)
def control_result_missing(ctx: Context) -> Iterator[Diagnostic]:
    """Where MT122 (stale) and MT123 (not run, software requirements in class B and C) do not
    already say it: class A projects, and controls of other kinds."""
    code = CODES["MT182"]
    told = ctx.config.safety_class in ("B", "C")
    for control in _controls(ctx):
        if control.status != "not-run":
            continue
        if told and control.item.kind == "software-requirement":
            continue
        yield code(
            f"risk control {control.id} (of {_risk_ids(ctx, control.id)}) has tests but no result",
            expected="a passing result of every test of the control, run after the last "
            "change (IEC 62304 7.3.1)",
            hint="run the tests with JUnit XML output into paths.results, then check",
            **ctx.at(control.item),
        )


# @implements SRS-162
@rule(
    "MT183",
    "control-effectiveness-unverified",
    Severity.ERROR,
    "A risk control's declared effectiveness verification has no passing evidence.",
    needs=_NEEDS,
)
def control_effectiveness(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT183"]
    for control in _controls(ctx):
        if not control.effectiveness:
            continue
        problem = _evidence_problem(ctx, control.item)
        if problem is None:
            continue
        found, expected = problem
        yield code(
            f"risk control {control.id} (of {_risk_ids(ctx, control.id)}): {found}",
            expected=expected,
            hint="name the record of the verification (a test case of type usability, a study "
            "report) in 'effectiveness_evidence', and record its result",
            **ctx.at(control.item, "effectiveness"),
        )


# @implements SRS-162
@rule(
    "MT194",
    "information-effectiveness-missing",
    Severity.WARNING,
    "Information for safety used as a risk control has no effectiveness verification.",
    needs=_NEEDS,
)
def information_effectiveness(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT194"]
    for control in _controls(ctx):
        if control.control_type != "information" or control.effectiveness:
            continue
        yield code(
            f"risk control {control.id} (of {_risk_ids(ctx, control.id)}) is information for "
            "safety without an effectiveness verification",
            expected="'effectiveness: <how>' and 'effectiveness_evidence': information for "
            "safety works only if users understand and follow it (ISO 14971 7.2, IEC 62366-1)",
            hint="verify it with users (a usability test) and name the record",
            **ctx.at(control.item, "control_type"),
        )


def _controls(ctx: Context) -> list[ControlInfo]:
    """Each control once, in the order of the risks (listed once per analysis: four rules ask)."""
    analysis = _analysis(ctx)
    return memo(ctx, "risk_controls", analysis, lambda: _each_control(analysis))


def _each_control(analysis: Analysis) -> list[ControlInfo]:
    seen: dict[str, ControlInfo] = {}
    for risk in analysis.risks:
        for control in risk.controls:
            seen.setdefault(control.id, control)
    return list(seen.values())


def _risk_ids(ctx: Context, control_id: str) -> str:
    item = ctx.model.get(control_id)
    return ", ".join(item.ids("controls")) if item is not None else ""


def _evidence_problem(ctx: Context, item: Item) -> tuple[str, str] | None:
    evidence = item.ids("effectiveness_evidence")
    if not evidence:
        return (
            "its effectiveness verification names no evidence",
            "'effectiveness_evidence: [ID]' naming the test case or study record",
        )
    for ref in evidence:
        target = ctx.model.get(ref)
        if target is None:
            continue  # a dangling link: MT010 reports it
        result = _evidence_result(ctx, target)
        if result is not None:
            return f"its effectiveness evidence {ref} {result}", f"{ref} passed"
    return None


def _evidence_result(ctx: Context, target: Item) -> str | None:
    """Why an evidence item does not show effectiveness, or None when it does."""
    if target.kind == "test-case":
        result = target.get("result")
        return None if result == "pass" else f"has result {result or 'none recorded'}"
    trace = ctx.trace
    entry = trace.of(target.id)
    if entry is None:
        return None  # a record item (study report): its existence is the evidence
    status = entry.status.value
    return None if status in ("verified", "not-required") else f"is {status}"


# @implements SRS-162
@rule(
    "MT184",
    "residual-unacceptable",
    Severity.ERROR,
    "A residual risk is not estimated, or is unacceptable without a benefit-risk analysis.",
    needs=_NEEDS,
)
def residual_unacceptable(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT184"]
    analysis = _analysis(ctx)
    for risk in analysis.risks:
        initial, residual = risk.initial.acceptability, risk.residual.acceptability
        if initial in (None, "acceptable") and not risk.controls:
            continue
        if _invalid(analysis.spec, risk, "severity"):
            continue
        if residual is None and not _invalid(
            analysis.spec, risk, "residual_severity", "residual_probability"
        ):
            yield code(
                f"risk {risk.id} has controls or is not acceptable before control, but its "
                "residual risk is not estimated",
                expected="'residual_probability' (and 'residual_severity' if it changes), or "
                "'residual_p1' and 'residual_p2' (ISO 14971 7.3)",
                hint="estimate the risk with its controls in place",
                **ctx.at(risk.item, "severity"),
            )
        elif residual == "unacceptable" and not risk.text("benefit_risk"):
            yield code(
                f"the residual risk of {risk.id} is unacceptable "
                f"({_residual_words(analysis, risk)}) and has no benefit-risk analysis",
                expected="further controls, or 'benefit_risk' showing the medical benefits "
                "outweigh the residual risk (ISO 14971 7.4)",
                hint="add a control, or write the benefit-risk analysis in 'benefit_risk'",
                **ctx.at(risk.item, "residual_probability"),
            )


def _residual_words(analysis: Analysis, risk: RiskInfo) -> str:
    sev = _names(analysis, "severity", risk.residual.severity)
    return f"{sev} × {_names(analysis, 'probability', risk.residual.probability)}"


# @implements SRS-162
@rule(
    "MT185",
    "residual-review-unjustified",
    Severity.ERROR,
    "A residual risk in the review zone lacks the justification the policy asks for.",
    needs=_NEEDS,
)
def residual_review(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT185"]
    analysis = _analysis(ctx)
    afap = analysis.spec.policy == "afap"
    for risk in analysis.risks:
        if risk.residual.acceptability != "review":
            continue
        missing = [] if risk.text("reduction_rationale") else ["reduction_rationale"]
        if afap and not risk.text("benefit_risk"):
            missing.insert(0, "benefit_risk")
        missing = [ctx.field_name(risk.item, role) for role in missing]
        if not missing:
            continue
        policy = (
            "reduced as far as possible, with a benefit-risk analysis (EN ISO 14971:2019+A11: "
            "no economic ALARP)"
            if afap
            else "reduced as low as reasonably practicable"
        )
        yield code(
            f"the residual risk of {risk.id} is in the review zone "
            f"({_residual_words(analysis, risk)}) without {' and '.join(missing)}",
            expected=f"a review-zone risk {policy}",
            hint=f"write {' and '.join(repr(m) for m in missing)}: why no further control is "
            "possible, and why the benefit outweighs the risk",
            **ctx.at(risk.item, "residual_probability"),
        )


# @implements SRS-162
@rule(
    "MT186",
    "residual-worse",
    Severity.ERROR,
    "A residual severity or probability is higher than the initial one, without a reason.",
    needs=_NEEDS,
)
def residual_worse(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT186"]
    analysis = _analysis(ctx)
    for risk in analysis.risks:
        if risk.text("residual_rationale"):
            continue
        pairs = (
            ("severity", risk.initial.severity, risk.residual.severity),
            ("probability", risk.initial.probability, risk.residual.probability),
        )
        for scale, before, after in pairs:
            if before is None or after is None or after <= before:
                continue
            yield code(
                f"risk {risk.id} has a residual {scale} "
                f"({_names(analysis, scale, after)}) higher than its initial "
                f"{scale} ({_names(analysis, scale, before)})",
                expected=f"a residual {scale} no higher than before control, or a "
                "'residual_rationale'",
                hint="correct the estimate, or say in 'residual_rationale' why the controls "
                "make it worse",
                **ctx.at(risk.item, f"residual_{scale}"),
            )


# @implements SRS-164
@rule(
    "MT187",
    "item-class-too-low",
    Severity.ERROR,
    "A software item of a risk or of its controls has a lower class than the harm calls for.",
    needs=_NEEDS,
)
def item_class_too_low(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT187"]
    analysis = _analysis(ctx)
    classes: dict[str, str | None] = {}  # many risks share a few software items
    for risk in analysis.risks:
        level = risk.initial.severity
        needed = analysis.spec.class_for(level) if level is not None else None
        if needed is None:
            continue
        for item_id, control in _items_of(risk):
            has = _software_class(ctx, classes, item_id)
            if has is None or CLASS_RANK.get(has, 2) >= CLASS_RANK[needed]:
                continue
            sev = _names(analysis, "severity", level)
            why = (
                "its software item"
                if control is None
                else f"the software item of its control {control.id},"
            )
            yield code(
                f"risk {risk.id}'s harm is rated {sev}, which calls for class {needed}, but "
                f"{why} {item_id} is class {has}",
                expected=f"class {needed} or higher for software contributing to a {sev} harm "
                "(IEC 62304 4.3)",
                hint=f"raise the class of {item_id}, or check the severity against the scale's "
                "definitions in [risk]",
                **ctx.at(risk.item, "severity"),
            )


def _software_class(ctx: Context, classes: dict[str, str | None], item_id: str) -> str | None:
    """The class of the software item ``item_id`` (None: no software item has that ID)."""
    if item_id not in classes:
        target = ctx.model.get(item_id)
        if target is None or target.kind != "software-item":
            classes[item_id] = None
        else:
            classes[item_id] = ctx.item_class(target)
    return classes[item_id]


def _items_of(risk: RiskInfo) -> Iterator[tuple[str, ControlInfo | None]]:
    """The risk's software item, then those its controls are allocated to or coded in (with
    the control)."""
    seen: set[str] = set()
    own = risk.item.get("item")
    if isinstance(own, str):
        seen.add(own)
        yield own, None
    for control in risk.controls:
        allocated = control.item.get("item")
        found = [allocated] if isinstance(allocated, str) else []
        for item_id in [*found, *sorted(control.code_items)]:
            if item_id not in seen:
                seen.add(item_id)
                yield item_id, control


# @implements SRS-163
@rule(
    "MT188",
    "soup-cause-unnamed",
    Severity.ERROR,
    "A risk caused by a SOUP failure does not name the SOUP item.",
    needs=_NEEDS,
)
def soup_cause_unnamed(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT188"]
    for risk in _analysis(ctx).risks:
        if risk.item.get("cause") != "soup" or risk.item.ids("soup"):
            continue
        yield code(
            f"risk {risk.id} is caused by a SOUP failure but names no SOUP item",
            expected="'soup: [ID]' naming the SOUP entry whose failure causes it "
            "(IEC 62304 7.1.2 c)",
            hint="add the SOUP item's ID in 'soup'",
            **ctx.at(risk.item, "cause"),
        )


# @implements SRS-163
@rule(
    "MT189",
    "risk-chain-broken",
    Severity.ERROR,
    "A link of a risk's chain (hazardous situation, software item, cause) is missing.",
    needs=_NEEDS,
)
def risk_chain_broken(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT189"]
    for risk in _analysis(ctx).risks:
        if _first_links_hold(risk):
            continue  # most risks: no chain to build
        for link in chain_of(risk)[:3]:  # control: MT181; verification: MT102; result: MT182/103
            if link.ok:
                continue
            name = ctx.field_name(risk.item, link.field or "")
            yield code(
                f"risk {risk.id} has {link.missing}: the chain hazardous situation → software "
                f"item → cause → control → verification → result breaks at its {link.name}",
                expected=f"'{name}' on {risk.id} (IEC 62304 7.1)",
                hint=f"write the {link.name} of {risk.id}",
                **ctx.at(risk.item),
            )


#: The fields of the links of a risk's chain that MT189 reports: each holds when the field has
#: text (:func:`medtrace.risk.chain_of`; a test keeps the two in step).
CHAIN_FIELDS = ("situation", "item", "cause")


def _first_links_hold(risk: RiskInfo) -> bool:
    return all(map(risk.text, CHAIN_FIELDS))


# @implements SRS-163
@rule(
    "MT190",
    "harm-severity-inconsistent",
    Severity.WARNING,
    "The same harm is rated at different severities in two risks.",
    needs=_NEEDS,
)
def harm_severity_inconsistent(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT190"]
    analysis = _analysis(ctx)
    first: dict[str, RiskInfo] = {}
    for risk in analysis.risks:
        harm = risk.text("harm")
        if harm is None or risk.initial.severity is None:
            continue
        key = " ".join(harm.casefold().rstrip(".").split())
        other = first.setdefault(key, risk)
        if other.initial.severity == risk.initial.severity:
            continue
        yield code(
            f"risk {risk.id} rates the harm '{harm}' "
            f"{_names(analysis, 'severity', risk.initial.severity)}, but {other.id} rates it "
            f"{_names(analysis, 'severity', other.initial.severity)}",
            expected="one severity per harm (ISO 14971 5.5)",
            hint="rate the harm the same in both risks, or name the two harms apart",
            **ctx.at(risk.item, "severity"),
        )


# @implements SRS-161
@rule(
    "MT191",
    "software-probability-unjustified",
    Severity.WARNING,
    "A software-caused risk is estimated without P1 × P2, or with P1 below 1 without a reason.",
    needs=_NEEDS,
)
def software_probability(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT191"]
    analysis = _analysis(ctx)
    top = len(analysis.spec.p1) - 1
    for risk in analysis.risks:
        if risk.item.get("cause") not in ("defect", "specification"):
            continue
        if risk.text("p1_rationale") or risk.initial.severity is None:
            continue
        if not risk.initial.split and risk.initial.probability is not None:
            yield code(
                f"risk {risk.id} is caused by software ({risk.item.get('cause')}) but its "
                "probability is not estimated as P1 × P2",
                expected="'p1' (the software failure, taken as the top level) and 'p2' (that "
                "it leads to harm), or a 'p1_rationale' (IEC/TR 80002-1)",
                hint="the probability of a software failure cannot be estimated; write P1 "
                f"and P2, or say in 'p1_rationale' why {risk.id} is estimated otherwise",
                **ctx.at(risk.item, "probability"),
            )
        elif risk.initial.split and risk.initial.p1 != top:
            yield code(
                f"risk {risk.id} takes P1 of a software failure as "
                f"{_names(analysis, 'p1', risk.initial.p1)}, below the top level",
                expected=f"P1 = {analysis.spec.p1[top]} for a software failure, unless justified",
                hint="write in 'p1_rationale' what makes the failure less likely (an external "
                "measure, a hardware check)",
                **ctx.at(risk.item, "p1"),
            )


# @implements SRS-164
@rule(
    "MT192",
    "control-common-mode",
    Severity.ERROR,
    "A risk control is implemented in the same software item as the cause it controls.",
    needs=_NEEDS,
)
def control_common_mode(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT192"]
    for risk in _analysis(ctx).risks:
        own = risk.item.get("item")
        if not isinstance(own, str) or risk.text("common_mode_rationale"):
            continue
        if risk.item.get("cause") not in ("defect", "specification"):
            continue  # a SOUP, hardware or use failure is not in the item's own code
        for control in risk.controls:
            # an inherent design measure is the item's own correct design: no independence asked
            if own not in control.code_items or control.control_type == "inherent-design":
                continue
            yield code(
                f"risk control {control.id} of {risk.id} is implemented in {own}, the software "
                "item whose failure causes the risk: one defect can defeat both",
                expected="the control in another software item or unit (IEC 62304 5.3.5), or "
                "a 'common_mode_rationale'",
                hint=f"move the code of {control.id} out of {own}, or say in "
                f"'common_mode_rationale' of {risk.id} why they are independent",
                **ctx.at(risk.item, "item"),
            )


# @implements SRS-163
@rule(
    "MT193",
    "introduced-by-not-control",
    Severity.WARNING,
    "A risk says a requirement introduced it, but that requirement controls no risk.",
    needs=_NEEDS,
)
def introduced_by_not_control(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT193"]
    for risk in _analysis(ctx).risks:
        for ref in risk.item.ids("introduced_by"):
            source = ctx.model.get(ref)
            if source is None or source.ids("controls"):
                continue
            yield code(
                f"risk {risk.id} is introduced by {ref}, which controls no risk",
                expected="'introduced_by' naming the risk control measure that introduced it "
                "(ISO 14971 7.5)",
                hint=f"name the control that introduced {risk.id}, or remove 'introduced_by'",
                **ctx.at(risk.item, "introduced_by"),
            )


# @implements SRS-162
@rule(
    "MT195",
    "control-type-missing",
    Severity.WARNING,
    "A risk control measure does not say whether it is inherent design, protective or "
    "information for safety.",
    needs=_NEEDS,
)
def control_type_missing(ctx: Context) -> Iterator[Diagnostic]:
    code = CODES["MT195"]
    for control in _controls(ctx):
        if control.control_type or "control_type" in control.item.invalid:
            continue
        name = ctx.field_name(control.item, "control_type")
        yield code(
            f"risk control {control.id} (of {_risk_ids(ctx, control.id)}) has no {name}",
            expected=f"'{name}': inherent-design, protective or information (ISO 14971 7.1: "
            "the options in that order of priority)",
            hint="say which kind of risk control measure it is",
            **ctx.at(control.item, "controls"),
        )
