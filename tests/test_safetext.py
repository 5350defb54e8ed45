"""Text made safe to show: escapes and controls visible and inert, bidi controls closed."""

from __future__ import annotations

import pytest

from align.safetext import clean

RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, ١٢٣ and 123", "plain text, ١٢٣ and 123"),
        ("a\x1b]0;owned\x07b", "a␛b"),  # a window title
        ("a\x1b]8;;https://x.y\x1b\\link\x1b]8;;\x1b\\", "a␛link␛"),  # a hyperlink
        ("a\x1b[2J\x1b[31mred\x1b[0m", "a␛␛red␛"),  # clear screen, colours
        ("\x9b31mx", "␛x"),  # the one-byte CSI
        ("a\x1bcb", "a␛b"),  # reset
        ("a\x1b]0;no end\nnext", "a␛0;no end\nnext"),  # a string never ended takes nothing
        ("nul\x00 bell\x07 del\x7f", "nul␀ bell␇ del␡"),
        ("c1\x85 \x9e", "c1� �"),
        ("page\fbreak\vhere", "page break here"),
        ("tab\tline\ncr\r", "tab\tline\ncr\r"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("\u200fmarks\u200e stay\u061c", "\u200fmarks\u200e stay\u061c"),
        (f"open {RLO}override", f"open {RLO}override{PDF}"),
        (f"{PDF}stray{PDI} closers", "stray closers"),
        (f"{RLI}a{RLO}b{PDI}c", f"{RLI}a{RLO}b{PDF}{PDI}c"),
        (f"{RLO}{RLI}x", f"{RLO}{RLI}x{PDI}{PDF}"),
    ],
)
def test_clean(text, shown):
    assert clean(text) == shown
    assert clean(shown) == shown
