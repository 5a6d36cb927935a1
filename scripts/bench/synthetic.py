"""Generate synthetic election articles in the dump format, for scale benchmarks.

The articles go through the real pipeline, so the graph they make has the model of the corpus.
Figures are generated to be consistent (seats sum to the total, majority = floor(seats/2)+1, shares
sum to under 100, a party's previous seats are what it won in the country's previous generated
election), so the SHACL gate passes and the cross-article rule finds nothing to say.

Articles come in the layout families of the real corpus (`../shared/corpus/README.md`), chosen per
country with `--layouts` (comma-separated, in turn):

- `seed`: the seed's keys (PartyN, LeaderN, PercentageN, SeatsN, Last ElectionN);
- `parliamentary`: the fuller layout (Type, ImageN, Leaders SeatN, Popular VoteN, "49.34%",
  SwingN, Seat ChangeN, Last ElectionN as "51.79%, 35 seats", Previous/Next Year);
- `presidential`: NomineeN, PartyN, Running MateN, Popular VoteN, PercentageN, no seats; every
  other election of a country has two rounds ("(first round), ... (second round)");
- `irregular`: the seed's keys with skipped row numbers, a date range ("22–24 October 2020") and
  keys no reader knows (Map, Flag Year, Outgoing Members, PartyN Link).

The default is `seed`, the family the infobox reader of this checkout builds; the other
families need the corpus reader (issue 10, part 1).

Usage: python -m election_kg.bench.synthetic OUT_DIR --elections N [--parties P] [--seed S]
       [--layouts seed,parliamentary,presidential,irregular]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

LAYOUTS = ("seed", "parliamentary", "presidential", "irregular")
DEFAULT_LAYOUTS = ("seed",)
MONTHS = ("March", "April", "May", "June", "October")
SYLLABLES = [
    "ar",
    "bel",
    "cor",
    "dan",
    "el",
    "fal",
    "gor",
    "hes",
    "ist",
    "jor",
    "kal",
    "lum",
    "mor",
    "nar",
    "ost",
    "pel",
    "quar",
    "ros",
    "sel",
    "tor",
    "ul",
    "var",
    "wen",
    "xan",
    "yor",
    "zel",
]
WORDS = [
    "National",
    "Democratic",
    "Popular",
    "Liberal",
    "Socialist",
    "Green",
    "Republican",
    "Progressive",
    "Union",
    "Movement",
    "Front",
    "Alliance",
    "Rally",
    "Party",
    "Renewal",
    "Hope",
    "Justice",
    "Labour",
    "Freedom",
    "Unity",
]


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _shares(rng: random.Random, parties: int) -> list[float]:
    shares = [rng.random() + 0.05 for _ in range(parties)]
    scale = rng.uniform(85, 99) / sum(shares)
    return [round(x * scale, 2) for x in shares]


def _header(country: str, year: int, kind: str, layout: str, rng: random.Random) -> list[str]:
    title = f"{year} {country} {kind} election"
    lines = [f"= {title} =", "", "Infobox", f"- Country: {country}"]
    if layout in ("parliamentary", "presidential"):
        lines += [
            f"- Type: {'presidential' if kind == 'presidential' else 'parliamentary'}",
            f"- Previous Election: {year - 5} {country} {kind} election",
            f"- Previous Year: {year - 5}",
            f"- Next Election: {year + 5} {country} {kind} election",
            f"- Next Year: {year + 5}",
        ]
    else:
        lines += [f"- Previous Election: {year - 5}", f"- Next Election: {year + 5}"]
    if layout == "irregular":
        lines += [
            f"- Election Name: {country} {kind} election, {year}",
            f"- Map: {country} {year} map.svg",
            f"- Flag Year: {year - 40}",
        ]
    return lines


def article(
    country: str,
    year: int,
    parties: int,
    rng: random.Random,
    party_names: list[str],
    leaders: list[str],
    before: list[int] | None,
    layout: str = "seed",
    round_no: int = 0,
) -> tuple[str, list[int]]:
    """One article and the seats each party won; `before` is what they won at the previous
    election, if generated."""
    if layout == "presidential":
        return _presidential(country, year, min(parties, 6), rng, party_names, leaders, round_no)
    seats = rng.randint(parties * 3, parties * 12)
    shares = _shares(rng, parties)
    won = [int(seats * s / sum(shares)) for s in shares]
    won[0] += seats - sum(won)
    previous = before if before is not None else [rng.randint(0, max(1, w * 2)) for w in won]
    month = rng.choice(MONTHS)
    lines = _header(country, year, "parliamentary", layout, rng)
    lines += [
        f"- Seats For Election: All {seats} seats in the {country} Assembly",
        f"- Majority Seats: {seats // 2 + 1}",
    ]
    if layout == "irregular":
        day = rng.randint(1, 26)
        lines += [f"- Election Date: {day}–{day + 2} {month} {year}"]
    else:
        lines += [f"- Election Date: {rng.randint(1, 28)} {month} {year}"]
    turnout = rng.uniform(30, 90)
    change = rng.uniform(0, 10)
    if layout == "parliamentary":
        lines += [f"- Turnout: {turnout:.1f}% {change:.1f}pp"]
    else:
        arrow = "▲" if rng.random() < 0.5 else "▼"
        lines += [f"- Turnout: {turnout:.2f}% ({arrow} {change:.2f}pp)"]
    votes_total = rng.randint(200_000, 9_000_000)
    row = 0
    for n in range(parties):
        row += 2 if layout == "irregular" and n % 5 == 4 else 1  # skipped row numbers
        share = f"{shares[n]:.2f}"
        if layout == "parliamentary":
            lines += [f"- Image{row}: {party_names[n]} logo.svg"]
            if n < len(leaders):
                lines += [f"- Leader{row}: {leaders[n]}", f"- Leaders Seat{row}: {country} {n + 1}"]
            lines += [
                f"- Party{row}: {party_names[n]}",
                f"- Last Election{row}: {rng.uniform(1, 40):.2f}%, {previous[n]} seats",
                f"- Seats{row}: {won[n]}",
                f"- Seat Change{row}: {abs(won[n] - previous[n])}",
                f"- Popular Vote{row}: {int(votes_total * shares[n] / 100):,}",
                f"- Percentage{row}: {share}%",
                f"- Swing{row}: {rng.uniform(0, 5):.2f}pp",
            ]
            continue
        lines += [f"- Party{row}: {party_names[n]}"]
        if layout == "irregular":
            lines += [f"- Party{row} Link: no"]
        if n < len(leaders):
            lines += [f"- Leader{row}: {leaders[n]}"]
        lines += [
            f"- Percentage{row}: {share}",
            f"- Seats{row}: {won[n]}",
            f"- Last Election{row}: {previous[n]}",
        ]
    if layout == "irregular":
        lines += [
            f"- Outgoing Members: List of members of the {country} Assembly, {year - 5}–{year}"
        ]
    lines += [
        "",
        f"Parliamentary elections were held in {country} in {month} {year}. "
        f"Turnout was {turnout:.1f}%.",
        "",
        "==Results==",
        f"The {party_names[0]} won {won[0]} of the {seats} seats.",
        "",
    ]
    return "\n".join(lines), won


def _presidential(
    country: str,
    year: int,
    candidates: int,
    rng: random.Random,
    party_names: list[str],
    leaders: list[str],
    round_no: int,
) -> tuple[str, list[int]]:
    shares = _shares(rng, candidates)
    two_rounds = round_no % 2 == 1
    month = rng.choice(MONTHS)
    day = rng.randint(1, 10)
    lines = _header(country, year, "presidential", "presidential", rng)
    if two_rounds:
        lines += [
            f"- Election Date: {day} {month} {year} (first round), {day + 14} {month} {year} (second round)",
            f"- Turnout: {rng.uniform(40, 80):.2f}% (first round) {rng.uniform(0, 9):.2f}pp , "
            f"{rng.uniform(40, 80):.2f}% (second round) {rng.uniform(0, 9):.2f}pp",
        ]
    else:
        lines += [
            f"- Election Date: {day} {month} {year}",
            f"- Turnout: {rng.uniform(40, 80):.2f}% {rng.uniform(0, 9):.2f}pp",
        ]
    votes_total = rng.randint(1_000_000, 30_000_000)
    names = leaders + [f"{party_names[k].split()[0]} Candidate {k}" for k in range(candidates)]
    for n in range(candidates):
        row = n + 1
        lines += [f"- Image{row}: {names[n]}.jpg", f"- Nominee{row}: {names[n]}"]
        if n != candidates - 1:  # the last nominee has no party
            lines += [f"- Party{row}: {party_names[n]}"]
        lines += [
            f"- Running Mate{row}: {names[(n + 1) % len(names)]} Junior",
            f"- Popular Vote{row}: {int(votes_total * shares[n] / 100):,}",
            f"- Percentage{row}: {shares[n]:.2f}%",
        ]
    lines += [
        "- Title: President",
        f"- Before Election: {names[0]}",
        f"- After Election: {names[0]}",
        "",
        f"Presidential elections were held in {country} in {month} {year}.",
        "",
    ]
    return "\n".join(lines), []


def generate(
    out: Path,
    elections: int,
    parties: int = 24,
    seed: int = 7,
    layouts: tuple[str, ...] = DEFAULT_LAYOUTS,
) -> list[Path]:
    """Write `elections` articles (countries x years) into `out`; parties and leaders recur across
    years; each country's articles are of one layout family, the families in turn."""
    unknown = set(layouts) - set(LAYOUTS)
    if unknown or not layouts:
        raise ValueError(f"unknown layouts {sorted(unknown)}; choose from {', '.join(LAYOUTS)}")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    per_country = 5
    paths: list[Path] = []
    won: list[int] | None = None
    countries: dict[str, int] = {}
    for index in range(elections):
        country_no, year_no = divmod(index, per_country)
        layout = layouts[country_no % len(layouts)]
        country_rng = random.Random(f"{seed}-{country_no}")
        country = f"{_name(country_rng, 3)}ia"
        while countries.setdefault(country, country_no) != country_no:  # one name, one country
            country = f"{_name(country_rng, 3)}ia"
        party_names = [
            f"{country_rng.choice(WORDS)} {country_rng.choice(WORDS)} of {country} {k + 1}"
            for k in range(parties)
        ]
        leaders = [f"{_name(country_rng, 2)} {_name(country_rng, 3)}" for _ in range(parties // 3)]
        year = 1990 + 5 * year_no
        text, won = article(
            country,
            year,
            parties,
            rng,
            party_names,
            leaders,
            won if year_no and won else None,
            layout,
            year_no,
        )
        kind = "presidential" if layout == "presidential" else "parliamentary"
        path = out / f"{year}_{country}_{kind}_election.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--elections", type=int, required=True)
    parser.add_argument("--parties", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--layouts",
        default=",".join(DEFAULT_LAYOUTS),
        help=f"comma-separated layout families, in turn per country: {', '.join(LAYOUTS)}",
    )
    args = parser.parse_args()
    paths = generate(
        args.out, args.elections, args.parties, args.seed, tuple(args.layouts.split(","))
    )
    print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
