"""The one definition of verification statuses (:mod:`medtrace.tracing.status`)."""

from __future__ import annotations

import pytest

from medtrace.model import Item
from medtrace.results.model import Outcome, TestResult
from medtrace.tracing import ItemTrace, Status, TestRef
from medtrace.tracing.status import requirement_status, risk_status, worst

pytestmark = pytest.mark.verifies("SRS-170")


def result(outcome: Outcome) -> TestResult:
    return TestResult(
        "suite", "tests.test_x", "t", None, None, outcome, "", None, (), "r.xml", 1, None
    )


def made_test(name: str, *outcomes: Outcome) -> TestRef:
    ref = TestRef(f"tests/test_x.py::{name}", name, "tests/test_x.py", 1, "python")
    ref.results.extend(result(o) for o in outcomes)
    return ref


def case(case_id: str, outcome: str | None) -> Item:
    fields = {"result": outcome} if outcome else {}
    return Item(case_id, "test-case", fields=fields)


def entry(*tests: TestRef, cases: tuple[Item, ...] = (), **fields: object) -> ItemTrace:
    e = ItemTrace(Item("SRS-1", "software-requirement", fields=dict(fields)))
    e.tests.extend(tests)
    e.manual.extend(cases)
    return e


def status(e: ItemTrace) -> tuple[Status, list[str]]:
    return requirement_status(e)


def test_every_test_passing_is_verified() -> None:
    assert status(entry(made_test("a", Outcome.PASSED), made_test("b", Outcome.PASSED))) == (
        Status.VERIFIED,
        [],
    )


def test_one_test_without_a_result_is_partial_and_names_it() -> None:
    got = status(entry(made_test("a", Outcome.PASSED), made_test("b")))
    assert got == (Status.PARTIAL, ["no result for tests/test_x.py:1 b"])


def test_a_test_only_skipped_has_not_run() -> None:
    got = status(entry(made_test("a", Outcome.PASSED), made_test("b", Outcome.SKIPPED)))
    assert got[0] is Status.PARTIAL


def test_a_manual_pass_never_masks_a_missing_automated_result() -> None:
    got = status(entry(made_test("a"), cases=(case("TC-1", "pass"),)))
    assert got == (Status.PARTIAL, ["no result for tests/test_x.py:1 a"])


def test_a_manual_case_not_run_keeps_it_partial() -> None:
    got = status(entry(made_test("a", Outcome.PASSED), cases=(case("TC-1", None),)))
    assert got == (Status.PARTIAL, ["TC-1 not run (not-run)"])


def test_nothing_passed_is_not_run() -> None:
    assert status(entry(made_test("a"), cases=(case("TC-1", "blocked"),)))[0] is Status.NOT_RUN


def test_any_failure_is_failing() -> None:
    assert status(entry(made_test("a", Outcome.PASSED, Outcome.FAILED)))[0] is Status.FAILING
    assert status(entry(made_test("a", Outcome.PASSED), cases=(case("T", "fail"),)))[0] is (
        Status.FAILING
    )


def test_stale_results_or_manual_records_make_it_stale() -> None:
    e = entry(made_test("a", Outcome.PASSED), cases=(case("TC-1", "pass"),))
    e.manual_stale["TC-1"] = "run on version 0.9"
    assert status(e) == (Status.STALE, ["TC-1: run on version 0.9"])
    e = entry(made_test("a", Outcome.PASSED))
    e.results_stale.append("the files of build/x.xml's run changed")
    assert status(e) == (Status.STALE, ["the files of build/x.xml's run changed"])


def test_not_by_test_is_not_required_and_else_untested() -> None:
    assert status(entry(verification="analysis"))[0] is Status.NOT_REQUIRED
    assert status(entry())[0] is Status.UNTESTED


@pytest.mark.verifies("SRS-171")
def test_a_risk_takes_the_worst_status_of_its_controls() -> None:
    risk = ItemTrace(Item("RISK-1", "risk"))
    good = entry(made_test("a", Outcome.PASSED))
    good.status = Status.VERIFIED
    partial = ItemTrace(Item("SRS-2", "software-requirement"))
    partial.status, partial.missing = Status.PARTIAL, ["no result for t"]
    assert risk_status(risk, [good, partial]) == (Status.PARTIAL, ["SRS-2: no result for t"])
    assert risk_status(risk, [good]) == (Status.VERIFIED, [])


@pytest.mark.verifies("SRS-171")
def test_a_risk_without_controls_has_its_own_status() -> None:
    risk = ItemTrace(Item("RISK-1", "risk"))
    assert risk_status(risk, []) == (Status.UNTESTED, [])


def test_worst_ranks_failing_first() -> None:
    assert worst([Status.VERIFIED, Status.STALE, Status.FAILING]) is Status.FAILING
    assert worst([]) is None
