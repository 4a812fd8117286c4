import re
import string
from decimal import Decimal
from pathlib import Path

import pytest

import prompts


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(prompts.catalog()))
def test_every_prompt_exists_in_every_language_with_the_same_placeholders(key):
    texts = prompts.catalog()[key]
    assert set(texts) == set(prompts.LANGUAGES), f"{key} lacks {set(prompts.LANGUAGES) - set(texts)}"
    assert all(texts[language].strip() for language in prompts.LANGUAGES)
    assert len({frozenset(placeholders(texts[language])) for language in prompts.LANGUAGES}) == 1


def test_a_missing_key_is_an_error_naming_it():
    with pytest.raises(prompts.MissingPrompt, match="no.such"):
        prompts.text("no.such", "de")


@pytest.mark.parametrize("amount, language, spoken", [
    ("0.45", "de", "45 Cent"), ("0.90", "de", "90 Cent"), ("1.49", "de", "1 Euro 49"),
    ("3.00", "de", "3 Euro"), ("0.45", "en", "45 cents"), ("2.99", "en", "2 euros 99"),
    ("1.05", "de", "1 Euro 05"),
])
def test_prices_are_spoken_in_euros_and_cents(amount, language, spoken):
    assert prompts.spoken_price(Decimal(amount), language) == spoken


def test_flows_only_use_keys_of_the_catalog():
    flows = Path(__file__).resolve().parent.parent / "callflows"
    sources = " ".join(path.read_text(encoding="utf-8") for path in flows.glob("*.py"))
    assert "Line(" in sources
    used = set(re.findall(r'Line\(f?"([a-z_]+\.[a-z_{}.]+)"', sources))
    for key in used:
        if "{" in key:  # a family of keys, e.g. notices.{kind}
            continue
        assert key in prompts.catalog(), key
