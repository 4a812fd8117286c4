"""The customer import: created, updated, bad rows reported by line, passwords hashed."""
import io

from sqlalchemy import func, select

from ivr.customers import import_customers
from ivr.models import Customer, WebAccount
from ivr.passwords import activation_password_matches

HEADER = "customer_number,name,email,phone,web_number,domain,activation_password\n"


def run(session, rows: str):
    report = import_customers(session, io.StringIO(HEADER + rows))
    session.commit()
    return report


def test_import_creates_customers_and_web_accounts(session):
    report = run(session, "10001,Erika Mustermann,erika@example.de,02381 123456,web123,example.de,geheim\n"
                          "10001,Erika Mustermann,erika@example.de,02381 123456,WEB124,Müller-Bäcker.de,\n")
    assert (report.created, report.updated, report.errors) == (2, 0, [])
    customer = session.scalar(select(Customer))
    assert customer.phone == "+492381123456"
    accounts = {a.web_number: a for a in session.scalars(select(WebAccount))}
    assert set(accounts) == {"web123", "web124"}
    assert accounts["web123"].keypad_signature == "3926753*33"
    assert accounts["web124"].domain == "müller-bäcker.de"
    assert accounts["web124"].status == "pending"


def test_passwords_are_stored_only_as_hashes_of_their_keypad_form(session):
    run(session, "10001,Erika,,,web123,example.de,Geheim7\n")
    account = session.scalar(select(WebAccount))
    assert "Geheim7" not in account.activation_password_hash
    assert account.activation_password_hash.startswith("$argon2")
    assert activation_password_matches(account.activation_password_hash, "4343467")
    assert not activation_password_matches(account.activation_password_hash, "4343468")


def test_reimport_updates_instead_of_duplicating(session):
    run(session, "10001,Erika,,,web123,example.de,geheim\n")
    old_hash = session.scalar(select(WebAccount.activation_password_hash))
    report = run(session, "10001,Erika Neu,neu@example.de,,web123,beispiel.de,\n")
    assert (report.created, report.updated) == (0, 1)
    assert session.scalar(select(func.count(Customer.id))) == 1
    assert session.scalar(select(func.count(WebAccount.id))) == 1
    session.expire_all()
    account = session.scalar(select(WebAccount))
    assert (account.customer.name, account.domain) == ("Erika Neu", "beispiel.de")
    assert account.activation_password_hash == old_hash  # an empty password keeps the old one


def test_bad_rows_are_reported_with_line_and_reason_and_good_rows_kept(session):
    report = run(session,
                 "10001,Erika,,,web123,example.de,geheim\n"
                 "ABC,Max,,,web200,max.de,x\n"
                 "10003,,,,web300,leer.de,x\n"
                 "10004,Otto,,,123,otto.de,x\n"
                 "10005,Ida,,,web500,kein domain,x\n"
                 "10006,Udo,udo-at-example,,web600,udo.de,x\n"
                 "10007,Eva,,,web123,eva.de,x\n"
                 "10008,Kai,,,web800,kai.de,pass!wort\n"
                 "10009,Lea,,,web900,lea.de,x\n")
    assert (report.created, report.updated) == (2, 0)
    lines = dict(report.errors)
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9]
    assert "customer_number" in lines[3]
    assert "name" in lines[4]
    assert "web_number" in lines[5]
    assert "domain" in lines[6]
    assert "email" in lines[7]
    assert "belongs to customer 10001" in lines[8]
    assert "keypad" in lines[9]
    assert set(session.scalars(select(Customer.customer_number))) == {"10001", "10009"}


def test_missing_columns_are_reported(session):
    report = import_customers(session, io.StringIO("customer_number,name\n1,x\n"))
    assert report.errors == [(1, "missing columns: email, phone, web_number, domain, activation_password")]
