"""Cleaning: raw text / HTML -> Article (metadata out of the text, paragraphs kept, markup gone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import EmptyInputError
from claimgraph.ingest import article_from_html, article_from_text, content_hash
from claimgraph.ingest.clean import article_id, outlet_of
from claimgraph.records import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SHARED = Path(__file__).parents[1].parent / "shared"
SEED = SHARED / "eval" / "articles" / "seed-000.txt"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def paragraphs(article: Article) -> list[str]:
    return [article.text[start:end] for start, end in article.paragraphs]


def assert_consistent(article: Article) -> None:
    """Paragraph ranges tile the text exactly, separated by blank lines."""
    assert "\n\n".join(paragraphs(article)) == article.text
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs(article))
    assert article.id == article_id(article.content_hash) == content_hash(article.text)[:16]


# -- the seed article ----------------------------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason="../shared/eval is not present")
def test_seed_article_is_cleaned() -> None:
    article = article_from_text(SEED.read_text(encoding="utf-8"), path=str(SEED))
    assert article.title == "U.K. Says China Supplying Russia With 'Lethal Aid'"
    assert article.published == "2024-05-22"
    assert article.url == (
        "https://www.themoscowtimes.com/2024/05/22/uk-says-china-supplying-russia-with-lethal-aid-a85195"
    )
    assert article.outlet == "themoscowtimes.com"
    assert "<u>" not in article.text and "</u>" not in article.text and "**" not in article.text
    assert "Ryumin" not in article.text  # the photo caption line and its credit
    assert "Updated to add" not in article.text and "Related article" not in article.text
    assert "Original url" not in article.text and "themoscowtimes.com" not in article.text
    assert "broke out more than two years ago" in article.text
    assert paragraphs(article)[0] == article.title  # the headline carries an attribution
    assert "May 22, 2024" not in article.text
    assert_consistent(article)


# -- markdown-ish text ---------------------------------------------------------------------


def test_wrapped_text_fixture() -> None:
    article = article_from_text(read("wrapped.txt"), path="wrapped.txt")
    assert article.title == "Ministry Says Grain Convoy Was Turned Back at Border"
    assert article.published == "2024-03-06"
    assert article.url == (
        "https://www.valley-press.example/2024/03/06/ministry-says-grain-convoy-was-turned-back-at-border-a1234"
    )
    assert article.outlet == "valley-press.example"
    assert article.path == "wrapped.txt"
    texts = paragraphs(article)
    assert texts[0] == article.title
    assert texts[1].startswith("The agriculture ministry of Norland said on Wednesday")
    assert texts[1].endswith('a decision it called "unlawful and unprecedented."')
    assert "Anneli Varga told a briefing in the capital, holding up" in texts[2]
    # inline bold keeps its word; a blank line inside a sentence is healed
    assert texts[3].endswith("and that the drivers were told so in writing.")
    assert texts[4] == "Officials in the neighbouring province declined to comment."
    assert len(texts) == 5
    for gone in (
        "Lindqvist",
        "Lorries waiting",
        "Updated to add",
        "Harvest Forecast",
        "<u>",
        "**",
        "Original",
    ):
        assert gone not in article.text
    assert_consistent(article)


def test_markdown_fixture() -> None:
    article = article_from_text(read("report.md"), path="report.md")
    assert article.title == "Observatory Reports Record Dust Storm Over Plateau"
    assert article.published == "2023-06-22"
    assert article.author == "Colm Aherne"
    assert article.url is None and article.outlet is None
    texts = paragraphs(article)
    assert texts[0] == article.title  # "# " removed
    assert texts[1] == (
        "Scientists at the Kestrel Ridge Observatory said the storm was the largest they had "
        "recorded, citing satellite images taken on Monday."
    )
    assert "Photo" not in article.text and "dust.jpg" not in article.text and "](" not in article.text
    assert_consistent(article)


@pytest.mark.parametrize(
    "dateline",
    [
        "May 22, 2024",
        "22 May 2024",
        "2024-05-22",
        "Wednesday, May 22, 2024",
        "Published: 22 May 2024 10:15 GMT",
        "Wed, May 22nd, 2024",
        "22.05.2024",
    ],
)
def test_dateline_formats(dateline: str) -> None:
    article = article_from_text(
        f"Officials Say Bridge Is Safe\n\n{dateline}\n\nThe council said so on Monday."
    )
    assert article.published == "2024-05-22"
    assert paragraphs(article) == ["Officials Say Bridge Is Safe", "The council said so on Monday."]


def test_date_in_a_sentence_is_not_a_dateline() -> None:
    raw = "Talks Resume\n\nThe envoy said on May 22, 2024 that talks would resume within a week."
    article = article_from_text(raw)
    assert article.published is None
    assert "May 22, 2024" in article.text


def test_whitespace_line_endings_and_invisible_characters() -> None:
    raw = "Port\u200b Closes\r\n\r\nThe  mayor\u00a0said\tthe \ufeffport “will close” on\r\nFriday.\r\n"
    article = article_from_text(raw)
    assert article.text == "Port Closes\n\nThe mayor said the port “will close” on Friday."
    assert article.title == "Port Closes"


def test_paragraphs_are_not_joined_across_finished_sentences_or_capitals() -> None:
    raw = "Heading Line\n\nFirst paragraph ends here.\n\nsecond starts lowercase.\n\nNo stop here\n\nCapital follows."
    texts = paragraphs(article_from_text(raw))
    assert texts == [
        "Heading Line",
        "First paragraph ends here.",
        "second starts lowercase.",
        "No stop here",
        "Capital follows.",
    ]


def test_headline_is_never_merged_into_the_first_paragraph() -> None:
    texts = paragraphs(
        article_from_text("Minister Says Talks Failed\n\nofficials in the capital said otherwise.")
    )
    assert texts == ["Minister Says Talks Failed", "officials in the capital said otherwise."]


def test_a_first_line_that_is_a_sentence_is_not_a_title() -> None:
    raw = "The union said on Thursday that the plans would leave three stations without any staff.\n\nMore."
    assert article_from_text(raw).title is None


def test_inline_html_and_entities() -> None:
    raw = 'A Title\n\nThe <a href="/x">agency</a> said AT&T &amp; <b>partners</b> agreed.<br/>'
    assert paragraphs(article_from_text(raw))[1] == "The agency said AT&T & partners agreed."


def test_inline_bold_at_sentence_end_is_kept() -> None:
    raw = "A Title\n\nThe minister described the situation as **very serious**."
    assert paragraphs(article_from_text(raw))[1] == "The minister described the situation as very serious."


def test_front_matter_supplies_metadata() -> None:
    raw = "---\ntitle: Front Matter Title\ndate: 2022-01-03\nurl: https://m.example.org/a\n---\nBody text said this."
    article = article_from_text(raw)
    assert (article.title, article.published, article.url) == (
        "Front Matter Title",
        "2022-01-03",
        "https://m.example.org/a",
    )
    assert paragraphs(article) == ["Front Matter Title", "Body text said this."]


def test_nothing_left_after_cleaning_is_empty_input() -> None:
    with pytest.raises(EmptyInputError, match="empty.txt"):
        article_from_text("\n\n**Photo: Somebody**\n\n", path="empty.txt")
    with pytest.raises(EmptyInputError):
        article_from_text("   \n\u200b\n")


# -- hashing and outlets -------------------------------------------------------------------


def test_content_hash_ignores_whitespace_and_case() -> None:
    assert content_hash("The Agency  said\n\nso.") == content_hash("the agency said so.")
    assert content_hash("The agency said so.") != content_hash("The agency said no.")


def test_same_story_from_two_places_gets_the_same_id() -> None:
    a = article_from_text("Title\n\nThe agency said so.", path="a.txt")
    b = article_from_text("Title\r\n\r\nThe agency  said so.\r\n", url="https://example.org/b")
    assert a.id == b.id and len(a.id) == 16


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.themoscowtimes.com/2024/05/22/x", "themoscowtimes.com"),
        ("http://news.example.co.uk:8080/a", "news.example.co.uk"),
        (None, None),
    ],
)
def test_outlet_from_url(url: str | None, outlet: str | None) -> None:
    assert outlet_of(url) == outlet


def test_explicit_outlet_wins() -> None:
    article = article_from_text("T\n\nSaid.", url="https://www.example.org/x", outlet="Example News")
    assert article.outlet == "Example News"


# -- HTML ----------------------------------------------------------------------------------


def test_html_page_fixture() -> None:
    article = article_from_html(read("page.html"), url="http://127.0.0.1:9/page.html", path="page.html")
    assert article.title == "Harbour Authority Says Dredging Caused Fish Deaths"
    assert article.published == "2023-11-14"
    assert article.author == "Mara Ellison"
    assert article.outlet == "The Coastline Courier"
    assert article.url == "https://news.coastline-courier.example/2023/11/14/harbour-dredging-fish"
    texts = paragraphs(article)
    assert texts[0] == article.title
    assert texts[1].startswith("The Port Wendel harbour authority said on Tuesday")
    assert "had stirred up silt" in texts[1]  # hard wraps inside <p> become spaces
    assert any("about the silt plumes for months" in t for t in texts)
    for boilerplate in (
        "cookies",
        "Subscribe",
        "Dead fish along",
        "Idris Fenwick",
        "marina fees",
        "Copyright",
        "Privacy",
        "tracker",
    ):
        assert boilerplate not in article.text
    assert_consistent(article)


def test_malformed_html_falls_back_gracefully() -> None:
    html = "<html><body><div><p>The mayor said the bridge would reopen.<p>Engineers disagreed</div"
    article = article_from_html(html)
    assert "The mayor said the bridge would reopen." in article.text
    assert "Engineers disagreed" in article.text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<html></html>",
        "<html><head><title>Only A Title</title></head><body></body></html>",
        "<<<>>>",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    ],
)
def test_html_without_article_text_is_empty_input(html: str) -> None:
    with pytest.raises(EmptyInputError):
        article_from_html(html, path="page.html")
