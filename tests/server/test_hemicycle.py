"""The parliament chart is a pure function: seats in, SVG out."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from election_kg.server.render.hemicycle import Group, seats_layout, svg

NS = {"svg": "http://www.w3.org/2000/svg"}
SEED = [
    Group("National Liberation Front", 136, "#1f5fa8"),
    Group("National Rally for Democracy", 62, "#c0392b"),
    Group("Movement of Society for Peace", 51, "#2e8b57"),
    Group("Independents", 33, "#8a8f98"),
    Group("Others", 107, "#d4820f"),
]


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def test_every_seat_is_drawn_once_in_its_partys_group():
    root = parse(svg(SEED, title="Seats"))
    groups = root.findall("svg:g", NS)
    assert [g.get("data-party") for g in groups] == [g.label for g in SEED]
    assert [len(g.findall("svg:circle", NS)) for g in groups] == [g.seats for g in SEED]
    assert len(root.findall(".//svg:circle", NS)) == 389


def test_seats_do_not_overlap_and_stay_inside_the_drawing():
    root = parse(svg(SEED, title="Seats"))
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    circles = [
        (float(c.get("cx")), float(c.get("cy")), float(c.get("r")))
        for c in root.iter("{http://www.w3.org/2000/svg}circle")
    ]
    for x, y, r in circles:
        assert r <= x <= width - r and r <= y <= height - r
    closest = min(math.dist(a[:2], b[:2]) for i, a in enumerate(circles) for b in circles[i + 1 :])
    assert closest >= 2 * circles[0][2]


def test_parties_fill_wedges_left_to_right():
    seats, _ = seats_layout(389)
    angles = [s.angle for s in seats]
    assert angles == sorted(angles, reverse=True)
    assert angles[0] == math.pi and angles[-1] == 0


def test_it_is_accessible_and_escapes_names():
    text = svg([Group('<script>"&', 3, "#123456"), Group("Nobody", 0, "#000000")], title="A & B")
    root = parse(text)
    assert root.get("role") == "img"
    assert root.find("svg:title", NS).text == "A & B"
    assert "<script>" not in text
    groups = root.findall("svg:g", NS)
    assert (
        len(groups) == 1 and groups[0].get("data-party") == '<script>"&'
    )  # zero-seat groups are left out
    assert groups[0].find("svg:title", NS).text == '<script>"&: 3 seats'


def test_no_seats_gives_an_empty_chart():
    assert parse(svg([], title="Nothing")).findall(".//svg:circle", NS) == []


@given(st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=12))
def test_any_seat_counts_are_all_drawn(counts):
    groups = [Group(f"P{i}", n, "#333333") for i, n in enumerate(counts)]
    root = parse(svg(groups, title="t"))
    assert len(root.findall(".//svg:circle", NS)) == sum(counts)
    for group in root.findall("svg:g", NS):
        assert len(group.findall("svg:circle", NS)) == int(group.get("data-seats"))
