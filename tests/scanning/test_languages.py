"""Every language: a tag before a function, inside a function, in a class method, at file
level, and tag-like text in a string literal that must not be found (``SRS-99``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from medtrace.scanning import LANGUAGES

from .helpers import Scanned, Write, line_of, owners

pytestmark = pytest.mark.verifies("SRS-19")


@dataclass(frozen=True)
class Case:
    path: str
    text: str
    expected: dict[str, str | None]


CASES = {
    "python": Case(
        "src/pump.py",
        '''# @implements SRS-4

import os

MESSAGE = "@implements SRS-99"


# @implements SRS-1
def clamp(units: int) -> int:
    # @implements SRS-2
    return min(units, 10)


class Pump:
    def rate(self) -> int:
        """@implements SRS-3"""
        return len("@verifies SRS-99")
''',
        {"SRS-1": "clamp", "SRS-2": "clamp", "SRS-3": "Pump.rate", "SRS-4": None},
    ),
    "c": Case(
        "src/pump.c",
        """// @implements SRS-4
#include <stdint.h>

static const char *banner = "@implements SRS-99";

/* @implements SRS-1 */
int clamp(int units)
{
    // @implements SRS-2
    return units > 10 ? 10 : units;
}

/** @implements SRS-3 */
struct pump {
    int rate;
};
""",
        {"SRS-1": "clamp", "SRS-2": "clamp", "SRS-3": "pump", "SRS-4": None},
    ),
    "cpp": Case(
        "src/pump.cpp",
        """// @implements SRS-4
#include <string>

namespace pump {
const char *banner = "@implements SRS-99";

/// @implements SRS-1
int clamp(int units) {
  // @implements SRS-2
  return units;
}

class Pump {
 public:
  int rate() const {
    // @implements SRS-3
    return 1;
  }
};
}  // namespace pump
""",
        {"SRS-1": "clamp", "SRS-2": "clamp", "SRS-3": "Pump.rate", "SRS-4": None},
    ),
    "java": Case(
        "src/Pump.java",
        """// @implements SRS-4
package pump;

public class Pump {
  private static final String BANNER = "@implements SRS-99";

  /** @implements SRS-1 */
  public static int clamp(int units) {
    // @implements SRS-2
    return Math.min(units, 10);
  }

  public int rate() {
    /* @implements SRS-3 */
    return 1;
  }
}
""",
        {"SRS-1": "Pump.clamp", "SRS-2": "Pump.clamp", "SRS-3": "Pump.rate", "SRS-4": None},
    ),
    "kotlin": Case(
        "src/Pump.kt",
        """// @implements SRS-4
package pump

val banner = "@implements SRS-99"

/** @implements SRS-1 */
fun clamp(units: Int): Int {
    // @implements SRS-2
    return minOf(units, 10)
}

class Pump {
    fun rate(): Int {
        // @implements SRS-3
        return 1
    }
}
""",
        {"SRS-1": "clamp", "SRS-2": "clamp", "SRS-3": "Pump.rate", "SRS-4": None},
    ),
    "csharp": Case(
        "src/Pump.cs",
        """// @implements SRS-4
using System;

namespace Pumps
{
    public class Pump
    {
        private const string Banner = "@implements SRS-99";

        /// <summary>@implements SRS-1</summary>
        public static int Clamp(int units)
        {
            // @implements SRS-2
            return Math.Min(units, 10);
        }

        public int Rate()
        {
            // @implements SRS-3
            return 1;
        }
    }
}
""",
        {"SRS-1": "Pump.Clamp", "SRS-2": "Pump.Clamp", "SRS-3": "Pump.Rate", "SRS-4": None},
    ),
    "go": Case(
        "src/pump.go",
        """// @implements SRS-4
package pump

const banner = "@implements SRS-99"

// Clamp limits a dose.
// @implements SRS-1
func Clamp(units int) int {
	// @implements SRS-2
	if units > 10 {
		return 10
	}
	return units
}

type Pump struct{}

func (p *Pump) Rate() int {
	// @implements SRS-3
	return 1
}
""",
        {"SRS-1": "Clamp", "SRS-2": "Clamp", "SRS-3": "Pump.Rate", "SRS-4": None},
    ),
    "rust": Case(
        "src/pump.rs",
        """// @implements SRS-4
use std::cmp::min;

const BANNER: &str = "@implements SRS-99";

/// @implements SRS-1
pub fn clamp(units: i32) -> i32 {
    // @implements SRS-2
    min(units, 10)
}

pub struct Pump;

impl Pump {
    pub fn rate(&self) -> i32 {
        // @implements SRS-3
        1
    }
}
""",
        {"SRS-1": "clamp", "SRS-2": "clamp", "SRS-3": "Pump.rate", "SRS-4": None},
    ),
    "swift": Case(
        "src/Pump.swift",
        """// @implements SRS-4
import Foundation

let banner = "@implements SRS-99"

/// @implements SRS-1
func clamp(_ units: Int) -> Int {
    // @implements SRS-2
    return min(units, 10)
}

class Pump {
    func rate() -> Int {
        // @implements SRS-3
        return 1
    }
}
""",
        {"SRS-1": "clamp", "SRS-2": "clamp", "SRS-3": "Pump.rate", "SRS-4": None},
    ),
    "javascript": Case(
        "src/pump.js",
        """// @implements SRS-4
import { min } from "./math.js";

const banner = "@implements SRS-99";
const other = `@implements SRS-99 ${banner}`;

/** @implements SRS-1 */
export function clamp(units) {
  // @implements SRS-2
  return min(units, 10);
}

export class Pump {
  rate() {
    // @implements SRS-3
    return /@implements SRS-99/.test(banner) ? 1 : 0;
  }
}
""",
        {"SRS-1": "clamp", "SRS-2": "clamp", "SRS-3": "Pump.rate", "SRS-4": None},
    ),
    "typescript": Case(
        "src/pump.ts",
        """// @implements SRS-4
import { min } from "./math";

const banner: string = "@implements SRS-99";

/** @implements SRS-1 */
export function clamp(units: number): number {
  // @implements SRS-2
  return min(units, 10);
}

export class Pump<T> implements Rated {
  private readonly label = `@implements SRS-99`;

  public rate(): number {
    // @implements SRS-3
    return 1;
  }
}
""",
        {"SRS-1": "clamp", "SRS-2": "clamp", "SRS-3": "Pump.rate", "SRS-4": None},
    ),
    "tsx": Case(
        "src/Pump.tsx",
        """// @implements SRS-4
import React from "react";

/** @implements SRS-1 */
export function Dose({ units }: { units: number }) {
  // @implements SRS-2
  return <p title="@implements SRS-99">{units}</p>;
}

export class Pump extends React.Component {
  render() {
    // @implements SRS-3
    return <div>{"@implements SRS-99"}</div>;
  }
}
""",
        {"SRS-1": "Dose", "SRS-2": "Dose", "SRS-3": "Pump.render", "SRS-4": None},
    ),
    "qml": Case(
        "src/Pump.qml",
        """// @implements SRS-4
import QtQuick 2.15

/* @implements SRS-1 */
Item {
    id: pump
    property string label: "@implements SRS-99"
    function dose(units) {
        // @implements SRS-2
        return units * 2
    }
    Rectangle {
        // @implements SRS-3
        function render() { return "@implements SRS-99" }
    }
}
""",
        {"SRS-1": "pump", "SRS-2": "pump.dose", "SRS-3": "pump.Rectangle.render", "SRS-4": None},
    ),
}


def test_every_language_has_a_case() -> None:
    assert set(CASES) == set(LANGUAGES)


@pytest.mark.parametrize("language", sorted(CASES))
def test_tags_belong_to_their_symbols(language: str, write: Write, scanned: Scanned) -> None:
    case = CASES[language]
    write(case.path, case.text)
    result = scanned()
    assert owners(result) == case.expected
    assert not result.diagnostics
    for tag in result.tags:
        assert tag.language == language
        assert tag.path == case.path
        assert tag.line == line_of(case.text, tag.ids[0])


@pytest.mark.parametrize("language", sorted(CASES))
def test_the_symbol_line_is_the_line_of_its_name(
    language: str, write: Write, scanned: Scanned
) -> None:
    case = CASES[language]
    write(case.path, case.text)
    for tag in scanned().tags:
        if tag.symbol is not None:
            name = re.split(r"[.]", tag.symbol)[-1]
            assert tag.symbol_line is not None
            assert name in case.text.splitlines()[tag.symbol_line - 1]
