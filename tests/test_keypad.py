"""The keypad signature of a domain or password (DESIGN §6)."""
import pytest

from ivr.keypad import NotTypeable, keypad_signature


@pytest.mark.parametrize("text, keys", [
    ("example.de", "3926753*33"),
    ("abc.def", "222*333"),
    ("ghi-jkl.mno", "4441555*666"),
    ("pqrs.tuv.wxyz", "7777*888*9999"),
    ("web2024.de", "9322024*33"),
    ("my-shop.eu", "6917467*38"),
    ("Example.DE", "3926753*33"),
    ("müller.de", "685537*33"),
    ("xn--mller-kva.de", "685537*33"),
    ("Größe.at", "476773*28"),
    ("café.fr", "2233*37"),
    ("xn--caf-dma.fr", "2233*37"),
])
def test_signature_types_one_key_per_character(text, keys):
    assert keypad_signature(text) == keys


@pytest.mark.parametrize("text", ["a_b.de", "pass!wort", "a b", "xn--zz--.de"])
def test_characters_without_a_key_are_refused(text):
    with pytest.raises(NotTypeable):
        keypad_signature(text)
