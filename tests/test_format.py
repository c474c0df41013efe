"""Literal text for markdown: every payload comes out as the characters it is made of."""

from __future__ import annotations

import pytest

from pages._format import WORD_JOINER, literal, percent
from tests.pages import plain


@pytest.mark.parametrize(
    "text",
    [
        "![b](http://beacon.test/x.png)", "[click](javascript:alert(1))", "**bold** _it_",
        "$x^2$", ":red[red] :material/home:", "<a href='x'>a</a>", "# heading", "- item",
        "`code`", "a | b", "~strike~", "Zoë O'Neill-Smith (CID)",
    ],
)
def test_every_markdown_character_is_escaped_and_shown_back(text: str) -> None:
    escaped = literal(text)
    assert plain(escaped) == text
    assert not any(
        char in "*_[]()$:<>#`|~!" and (i == 0 or escaped[i - 1] != "\\")
        for i, char in enumerate(escaped)
    )


def test_automatic_links_are_broken_invisibly() -> None:
    escaped = literal("http://x.test www.y.test ann@force.example")
    assert escaped.count(WORD_JOINER) == 3
    assert "http" + WORD_JOINER in escaped and "@" + WORD_JOINER in escaped


def test_lines_become_one() -> None:
    assert literal("a\n# b") == "a \\# b"


def test_percent() -> None:
    assert (percent(0.5), percent(None), percent(float("nan"))) == ("50.0%", "n/a", "n/a")
