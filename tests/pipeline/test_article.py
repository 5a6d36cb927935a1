from pathlib import Path

from election_kg.pipeline.article import parse_article, read_article
from tests.support.project import ROOT

SEED = ROOT / "data" / "sources" / "2007_Algerian_parliamentary_election.txt"


def test_seed_title_infobox_and_sentences():
    article = read_article(SEED)
    assert article.title == "2007 Algerian parliamentary election"
    assert len(article.infobox) == 116
    assert article.infobox[0].key == "Country" and article.infobox[0].value == "Algeria"
    assert [s.section for s in article.sentences].count("Results") == 1
    assert len(article.sentences) == 14


def test_every_span_is_the_text_at_its_offsets():
    article = read_article(SEED)
    spans = (
        [article.title_span]
        + [e.span for e in article.infobox]
        + [s.span for s in article.sentences]
    )
    for span in spans:
        assert article.text[span.start : span.end] == span.text
        assert article.text.count("\n", 0, span.start) + 1 == span.line


def test_abbreviations_do_not_end_sentences():
    article = parse_article(
        "= T =\n\nThey live in the Sahara (i.e. Southern Algeria) and vote. Then e.g. Others vote.\n",
        Path("x.txt"),
    )
    assert [s.span.text for s in article.sentences] == [
        "They live in the Sahara (i.e. Southern Algeria) and vote.",
        "Then e.g. Others vote.",
    ]
