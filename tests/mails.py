"""Real-world-shaped raw messages, written out as mail programs send them."""
from __future__ import annotations

import base64

PDF_BYTES = b"%PDF-1.4\n% a small attachment\n"
PNG_BYTES = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def crlf(text: str) -> bytes:
    return text.lstrip("\n").replace("\n", "\r\n").encode("utf-8")


# Outlook-style: ISO-8859-1, encoded words in From and Subject, quoted-printable body.
UMLAUT_OUTAGE = crlf("""
Return-Path: <juergen.mueller@example.de>
From: =?iso-8859-1?Q?J=FCrgen_M=FCller?= <Juergen.Mueller@example.de>
To: support@candan.eu
Subject: =?iso-8859-1?Q?St=F6rung=3A_Webseite_nicht_erreichbar?=
Date: Tue, 24 Nov 2026 08:15:00 +0100
Message-ID: <AM0PR01MB1234.outage@example.de>
MIME-Version: 1.0
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

Guten Morgen,

seit heute fr=FCh ist meine Webseite nicht erreichbar, der Browser zeigt nur=
 "500 Internal Server Error".
Kundennummer 10001

Mit freundlichen Gr=FC=DFen
J=FCrgen M=FCller
""")

# Thunderbird-style: UTF-8 quoted-printable with soft line breaks, "KdNr:".
QUOTED_PRINTABLE = crlf("""
From: Erika Mustermann <erika@example.de>
To: support@candan.eu
Subject: =?UTF-8?B?RnJhZ2UgenUgbWVpbmVtIFBvc3RmYWNoIMOkbmRlcm4=?=
Message-ID: <5f2c1a.qp@example.de>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8; format=flowed
Content-Transfer-Encoding: quoted-printable

Hallo,

wie kann ich das Passwort meines Postfachs =C3=A4ndern? Ich finde die Einst=
ellung im Kundeninterface nicht.

KdNr: 10001

Viele Gr=C3=BC=C3=9Fe
""")

# A web-mailer sending HTML only.
HTML_ONLY = crlf("""
From: "Max Power" <max@example.org>
To: support@candan.eu
Subject: Domain transfer
Message-ID: <html-only-1@mailer.example.org>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

""") + base64.encodebytes(
    "<html><head><style>p { color: red }</style><title>x</title></head><body>"
    "<p>Hello,</p><p>please move my domain example.org to my account.<br>"
    "My customer number 10001.</p><ul><li>Gr&uuml;&szlig;e</li></ul></body></html>".encode()
).replace(b"\n", b"\r\n")

ATTACHMENTS = crlf("""
From: Erika Mustermann <erika@example.de>
To: support@candan.eu
Subject: Rechnung fehlt
Message-ID: <attach-1@example.de>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XYZ"

--XYZ
Content-Type: multipart/alternative; boundary="ALT"

--ALT
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Kundennummer: 10001. Anbei die Rechnung und ein Bildschirmfoto.
--ALT
Content-Type: text/html; charset=utf-8

<p>Kundennummer: 10001. Anbei die Rechnung und ein Bildschirmfoto.</p>
--ALT--

--XYZ
Content-Type: application/pdf; name="Rechnung.pdf"
Content-Disposition: attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf
Content-Transfer-Encoding: base64

""") + base64.encodebytes(PDF_BYTES).replace(b"\n", b"\r\n") + crlf("""
--XYZ
Content-Type: image/png
Content-Disposition: inline; filename="screenshot.png"
Content-Transfer-Encoding: base64

""") + base64.encodebytes(PNG_BYTES).replace(b"\n", b"\r\n") + crlf("""
--XYZ--
""")

BOUNCE = crlf("""
Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: support@candan.eu
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Message-ID: <bounce-1@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net. Your message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Final-Recipient: rfc822; nobody@example.net
Action: failed
Status: 5.1.1
--B--
""")

OUT_OF_OFFICE = crlf("""
From: Hans Schmidt <hans@example.com>
To: support@candan.eu
Subject: =?utf-8?Q?Abwesenheitsnotiz=3A_Ihre_Anfrage?=
Auto-Submitted: auto-replied
X-Autoreply: yes
Message-ID: <ooo-1@example.com>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Ich bin bis zum 30.11. nicht im Büro.
""")

MAILING_LIST = crlf("""
From: Hosting News <news@lists.example.org>
To: hosting-news@lists.example.org
Subject: [hosting-news] PHP 8.4 released
List-Id: Hosting News <hosting-news.lists.example.org>
List-Unsubscribe: <mailto:hosting-news-leave@lists.example.org>
Precedence: list
Message-ID: <list-1@lists.example.org>
Content-Type: text/plain; charset=us-ascii

PHP 8.4 is out.
""")

OWN_ADDRESS = crlf("""
From: Kundensupport <support@candan.eu>
To: support@candan.eu
Subject: Test
Message-ID: <own-1@candan.eu>
Content-Type: text/plain; charset=us-ascii

Test of our own address.
""")


def plain(sender: str, subject: str, body: str, message_id: str, extra: str = "") -> bytes:
    """A simple UTF-8 text mail."""
    head = (f"From: {sender}\nTo: support@candan.eu\nSubject: {subject}\n"
            f"Message-ID: {message_id}\n{extra}MIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n")
    return head.replace("\n", "\r\n").encode() + body.replace("\n", "\r\n").encode()
