"""Generate synthetic election articles in the dump format, for scale benchmarks.

The articles go through the real pipeline, so the graph they make has exactly the model of the
seed (infobox rows, leaders, previous/next elections, provenance). Figures are generated to be
consistent (seats sum to the total, majority = floor(seats/2)+1, shares sum to under 100, a
party's previous seats are what it won in the country's previous generated election), so the
SHACL gate passes. Each article yields roughly 2,300 triples.

Usage: python -m election_kg.bench.synthetic OUT_DIR --elections N [--parties P] [--seed S]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

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


def article(
    country: str,
    year: int,
    parties: int,
    rng: random.Random,
    party_names: list[str],
    leaders: list[str],
    before: list[int] | None,
) -> tuple[str, list[int]]:
    """One article and the seats each party won; `before` is what they won at the previous election, if generated."""
    seats = rng.randint(parties * 3, parties * 12)
    shares = [rng.random() + 0.05 for _ in range(parties)]
    scale = rng.uniform(85, 99) / sum(shares)
    won = [int(seats * s / sum(shares)) for s in shares]
    won[0] += seats - sum(won)
    previous = before if before is not None else [rng.randint(0, max(1, w * 2)) for w in won]
    lines = [
        f"= {year} {country} parliamentary election =",
        "",
        "Infobox",
        f"- Country: {country}",
        f"- Previous Election: {year - 5}",
        f"- Next Election: {year + 5}",
        f"- Seats For Election: All {seats} seats in the {country} Assembly",
        f"- Majority Seats: {seats // 2 + 1}",
        f"- Election Date: {rng.randint(1, 28)} May {year}",
        f"- Turnout: {rng.uniform(30, 90):.2f}% ({'▲' if rng.random() < 0.5 else '▼'} {rng.uniform(0, 10):.2f}pp)",
    ]
    for n in range(parties):
        lines += [f"- Party{n + 1}: {party_names[n]}"]
        if n < len(leaders):
            lines += [f"- Leader{n + 1}: {leaders[n]}"]
        lines += [
            f"- Percentage{n + 1}: {shares[n] * scale:.2f}",
            f"- Seats{n + 1}: {won[n]}",
            f"- Last Election{n + 1}: {previous[n]}",
        ]
    lines += ["", f"Parliamentary elections were held in {country} in May {year}.", ""]
    return "\n".join(lines), won


def generate(out: Path, elections: int, parties: int = 24, seed: int = 7) -> list[Path]:
    """Write `elections` articles (countries x years) into `out`; parties and leaders recur across years."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    per_country = 5
    paths: list[Path] = []
    won: list[int] | None = None
    for index in range(elections):
        country_no, year_no = divmod(index, per_country)
        country_rng = random.Random(f"{seed}-{country_no}")
        country = f"{_name(country_rng, 3)}ia"
        party_names = [
            f"{country_rng.choice(WORDS)} {country_rng.choice(WORDS)} of {country} {k + 1}"
            for k in range(parties)
        ]
        leaders = [f"{_name(country_rng, 2)} {_name(country_rng, 3)}" for _ in range(parties // 3)]
        year = 1990 + 5 * year_no
        text, won = article(
            country, year, parties, rng, party_names, leaders, won if year_no else None
        )
        path = out / f"{year}_{country}_parliamentary_election.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--elections", type=int, required=True)
    parser.add_argument("--parties", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paths = generate(args.out, args.elections, args.parties, args.seed)
    print(f"wrote {len(paths)} articles to {args.out}")


if __name__ == "__main__":
    main()
