"""The server-side bar charts: every figure in the SVG's text, bars in proportion, labels escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from election_kg.server.render.charts import Bar, horizontal, vertical

SVG = "{http://www.w3.org/2000/svg}"


def _widths(svg: str) -> list[float]:
    return [float(r.get("width")) for r in ET.fromstring(svg).iter(SVG + "rect")]


def _heights(svg: str) -> list[float]:
    return [float(r.get("height")) for r in ET.fromstring(svg).iter(SVG + "rect")]


def test_horizontal_bars_are_in_proportion_and_say_their_values():
    bars = [
        Bar("Abdelmadjid Tebboune", Decimal(4945116), "4,945,116"),
        Bar("Abdelkader Bengrina", Decimal(1477735), "1,477,735"),
    ]
    svg = horizontal(bars, "Votes by contestant")
    widths = _widths(svg)
    assert abs(widths[1] / widths[0] - 1477735 / 4945116) < 0.01
    root = ET.fromstring(svg)
    assert root.find(SVG + "title").text == "Votes by contestant"
    assert "Abdelmadjid Tebboune: 4,945,116" in root.find(SVG + "desc").text
    assert "4,945,116" in svg and "1,477,735" in svg


def test_vertical_bars_follow_the_order_given():
    bars = [Bar("2002", Decimal(199), "199"), Bar("2007", Decimal(136), "136")]
    heights = _heights(vertical(bars, "Seats won by the National Liberation Front"))
    assert heights[0] > heights[1] and abs(heights[1] / heights[0] - 136 / 199) < 0.01


def test_labels_are_escaped_and_links_kept():
    svg = horizontal([Bar("<script>x</script>", Decimal(1), "1", "/page/party/a?b=1&c=2")], "t")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert re.search(r'href="/page/party/a\?b=1&amp;c=2"', svg)
    ET.fromstring(svg)  # well-formed


def test_no_bars_no_chart():
    assert horizontal([], "t") == "" and vertical([], "t") == ""
