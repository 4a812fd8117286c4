"""The customer number and web number as customers write them."""
import pytest

from ivr.identify import CUSTOMER_NUMBER_IN_TEXT, WEB_NUMBER_IN_TEXT


@pytest.mark.parametrize("text", [
    "Kundennummer 10001", "Kundennummer: 10001", "Kunden-Nr. 10001", "KdNr: 10001",
    "Kd.-Nr. 10001", "kdnr 10001", "customer number 10001", "Customer No. 10001",
    "Betreff: Hilfe (Kundennummer:10001)"])
def test_customer_numbers_are_found_as_written(text):
    assert CUSTOMER_NUMBER_IN_TEXT.search(text).group(1) == "10001"


@pytest.mark.parametrize("text", ["Rechnung 10001", "Webnummer web10001", "Telefon 10001"])
def test_other_numbers_are_not_customer_numbers(text):
    assert CUSTOMER_NUMBER_IN_TEXT.search(text) is None


def test_web_numbers_are_found():
    assert WEB_NUMBER_IN_TEXT.search("mein Account Web123 geht nicht").group(1) == "123"
    assert WEB_NUMBER_IN_TEXT.search("website123") is None
