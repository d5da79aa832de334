"""Small files in every scanned language: a comment naming SRS-1 before a function, a string
holding SRS-2 inside it (never a mention), and a trailing comment naming RISK-1 in its body."""

from __future__ import annotations

#: language → (file name, content, qualified name of the function)
SAMPLES: dict[str, tuple[str, str, str]] = {
    "python": (
        "limit.py",
        '# SRS-1: limit pressure\ndef limit(p):\n    s = "SRS-2"\n    return p  # RISK-1\n',
        "limit",
    ),
    "c": (
        "limit.c",
        '// SRS-1: limit pressure\nint limit(int p) {\n    const char *s = "SRS-2";\n'
        "    return p; /* RISK-1 */\n}\n",
        "limit",
    ),
    "cpp": (
        "limit.cpp",
        '/* Implements requirement SRS-1 */\nint limit(int p) {\n    auto s = "SRS-2";\n'
        "    return p; // RISK-1\n}\n",
        "limit",
    ),
    "javascript": (
        "limit.js",
        "// SRS-1: limit pressure\nfunction limit(p) {\n  const s = 'SRS-2';\n"
        "  return p; // RISK-1\n}\n",
        "limit",
    ),
    "typescript": (
        "limit.ts",
        "/** SRS-1: limit pressure */\nexport function limit(p: number): number {\n"
        '  const s: string = "SRS-2";\n  return p; // RISK-1\n}\n',
        "limit",
    ),
    "java": (
        "Limit.java",
        "class Limit {\n    // SRS-1: limit pressure\n    int limit(int p) {\n"
        '        String s = "SRS-2";\n        return p; // RISK-1\n    }\n}\n',
        "Limit.limit",
    ),
    "go": (
        "limit.go",
        'package limit\n\n// SRS-1: limit pressure\nfunc limit(p int) int {\n\ts := "SRS-2"\n'
        "\t_ = s\n\treturn p // RISK-1\n}\n",
        "limit",
    ),
    "rust": (
        "limit.rs",
        '/// SRS-1: limit pressure\nfn limit(p: i32) -> i32 {\n    let s = "SRS-2";\n'
        "    p // RISK-1\n}\n",
        "limit",
    ),
    "csharp": (
        "Limit.cs",
        "class Limit {\n    /// <summary>SRS-1: limit pressure</summary>\n"
        '    int Cap(int p) {\n        var s = "SRS-2";\n        return p; // RISK-1\n    }\n}\n',
        "Limit.Cap",
    ),
    "kotlin": (
        "Limit.kt",
        '// SRS-1: limit pressure\nfun limit(p: Int): Int {\n    val s = "SRS-2"\n'
        "    return p // RISK-1\n}\n",
        "limit",
    ),
    "swift": (
        "Limit.swift",
        '// SRS-1: limit pressure\nfunc limit(p: Int) -> Int {\n    let s = "SRS-2"\n'
        "    return p // RISK-1\n}\n",
        "limit",
    ),
}
