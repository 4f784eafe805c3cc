"""ClaimReview export: schema.org fields fact-checkers publish, validated against the JSON Schema
kept beside the exporter (export/claimreview.schema.json)."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest
from test_web_store import PAYLOAD_CLAIM, PAYLOAD_ENTITY, demo_store, main_claim, payload_result

from claimgraph.errors import ConfigError
from claimgraph.export import exporter, formats
from claimgraph.export.claimreview import claim_review, schema
from claimgraph.store import Repository


@pytest.fixture
def payload_repo() -> Repository:
    repo = Repository.open("sqlite://")
    repo.add(payload_result())
    return repo


def test_claim_review_has_the_published_fields(payload_repo: Repository) -> None:
    review = claim_review(payload_repo, "payload-claim", base_url="https://cg.example/")
    jsonschema.Draft202012Validator(schema()).validate(review)
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == PAYLOAD_CLAIM
    assert review["url"] == "https://cg.example/claims/payload-claim"
    item = review["itemReviewed"]
    assert item["@type"] == "Claim" and item["author"] == {"@type": "Person", "name": PAYLOAD_ENTITY,
                                                             "jobTitle": "<i>role</i>"}
    assert item["firstAppearance"] == item["appearance"][0]
    work = item["appearance"][0]
    assert work["publisher"] == {"@type": "Organization", "name": "<b>Evil</b> Outlet"}
    assert work["datePublished"] == "2025-03-14" and work["url"].startswith("urn:claimgraph:article:")
    assert review["reviewRating"]["alternateName"].startswith("Contested: 1 statements for, 1 against")


def test_unknown_claim_is_a_config_error(payload_repo: Repository) -> None:
    with pytest.raises(ConfigError):
        claim_review(payload_repo, "nope")


def test_exporter_writes_one_valid_review_per_claim() -> None:
    assert "claimreview" in formats()
    repo = Repository.open(demo_store()["url"])
    try:
        out = io.StringIO()
        n = exporter("claimreview")(repo, out)
        reviews = [json.loads(line) for line in out.getvalue().splitlines()]
        assert n == len(reviews) == repo.counts()["claims"]
        validator = jsonschema.Draft202012Validator(schema())
        for review in reviews:
            validator.validate(review)
        main = next(r for r in reviews if r["url"].endswith(f"/claims/{main_claim()}"))
        assert len(main["itemReviewed"]["appearance"]) == 4  # told by four outlets
        dates = [w["datePublished"] for w in main["itemReviewed"]["appearance"]]
        assert dates == sorted(dates) and main["itemReviewed"]["datePublished"] == dates[0]
    finally:
        repo.close()
