"""Charts compare the groups, most common answer first, with every label in full and every
figure written beside its bar; hidden figures stay hidden, even in the order of the bars."""

import re

from reporting.breakdowns import Breakdown, Figure, Row
from reporting.templatetags.charts import bar_chart, breakdown_chart

LONG = "Not knowing anyone who works in digital or tech, so not knowing where to start"


def _breakdown(*rows):
    return Breakdown(
        columns=[("f", "Female"), ("m", "Male")],
        group_sizes=[Figure(20), Figure(10)],
        respondents=Figure(30),
        rows=[
            Row(key=label, label=label, total=total, cells=cells) for label, total, cells in rows
        ],
    )


def _texts(svg: str) -> list[str]:
    return [
        "".join(re.findall(r">([^<]*)</tspan>", t)) for t in re.findall(r"<text.*?</text>", svg)
    ]


def test_answers_are_drawn_most_given_first_with_a_bar_for_each_group():
    svg = breakdown_chart(
        _breakdown(
            ("Cost", Figure(6, 20.0), [Figure(4, 20.0), Figure(2, 20.0)]),
            ("Confidence", Figure(15, 50.0), [Figure(12, 60.0), Figure(3, 30.0)]),
        )
    )
    texts = _texts(svg)

    assert texts.index("Confidence") < texts.index("Cost")
    confidence = texts[texts.index("Confidence") : texts.index("Cost")]
    assert confidence == [
        "Confidence",
        "All respondents", "15 (50.0%)",
        "Female", "12 (60.0%)",
        "Male", "3 (30.0%)",
    ]  # fmt: skip
    # Each group's bar is its own share: 60% of women is longer than 30% of men.
    widths = [float(w) for w in re.findall(r'<rect[^>]*width="([\d.]+)"', svg)]
    assert widths[:3] == [150.0, 180.0, 90.0]


def test_labels_are_wrapped_in_full_never_cut_short():
    svg = bar_chart([(LONG, 3, 10.0, False)])

    assert "…" not in svg
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert " ".join(lines[:-1]) == LONG
    assert len(lines) > 2


def test_hidden_figures_keep_their_words_and_give_nothing_away_by_their_order():
    svg = breakdown_chart(
        _breakdown(
            (
                "Alpha",
                Figure(2, suppressed=True),
                [Figure(1, suppressed=True), Figure(1, suppressed=True)],
            ),
            (
                "Beta",
                Figure(4, suppressed=True),
                [Figure(3, suppressed=True), Figure(1, suppressed=True)],
            ),
            (
                "Gamma",
                Figure(9, 30.0),
                [Figure(6, 30.0), Figure(3, 30.0)],
            ),
        ),
        threshold=5,
    )
    texts = _texts(svg)

    # The shown answer first; the suppressed ones after it in their own order, not by size.
    assert [t for t in texts if t in {"Alpha", "Beta", "Gamma"}] == ["Gamma", "Alpha", "Beta"]
    assert texts.count("fewer than 5") == 6
    assert "4" not in texts
    assert "2" not in texts
