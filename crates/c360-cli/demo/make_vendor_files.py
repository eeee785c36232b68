#!/usr/bin/env python3
"""Turns demo.jsonl into the files the demo's source systems would export.

    python3 make_vendor_files.py     # writes sources/ and ../src/commands/demo/files.rs

`c360 demo` syncs these files through the connector families, the way a real
installation reads its vendors' exports; `demo.jsonl` stays the ground truth
(and `c360 ingest demo.jsonl` still loads it directly). One folder per source:

- `sources/billing/` (kind `stripe`): the Stripe Dashboard's customers,
  invoices and subscriptions CSV exports, and the charges as a saved API list
  page (`GET /v1/charges?expand[]=data.refunds`), whose embedded refunds keep
  their `re_…` ids and dates (the Dashboard's payments CSV has no refund date).
- `sources/newsletter/` (kind `mailchimp`): the audience export unzipped (one
  CSV per member status: subscribed, unsubscribed, cleaned) and the account
  export's granular activity, one CSV per campaign under
  `granular_activity/opens/` and `granular_activity/clicks/`.
- `sources/crm-sheet/` (kind `spreadsheet`): the hand-kept list as Excel in a
  Turkish locale saves it: `;`-separated, windows-1254, a title row above the
  header, CRLF. Rows whose names or addresses are Persian or Chinese cannot be
  written in windows-1254, so they live in `international.xlsx`.
- `sources/support/` (kind `zendesk`): `GET /api/v2/users.json` and
  `GET /api/v2/tickets.json` list pages, CSAT ratings on the tickets.
- `sources/nps-survey/` (kind `survey`): the NPS answers (in demo.jsonl they
  are `support` activities) as a Delighted response export, the respondents
  keyed by e-mail, so they link to the support users by address.

What the vendor formats cannot carry is lost on purpose, as it would be in
real exports: Stripe keeps one e-mail per customer (the latest; the others
go to the description) and no update time;
Zendesk users name their organization by id; Zendesk ratings are good/bad
(4-5 stars good, 1-3 bad); Delighted keys people by e-mail, so three answers
from one shared mailbox are one respondent.

Ids the connectors derive stay those of demo.jsonl where the vendor has them:
Stripe customer, invoice and refund ids, Zendesk user and ticket ids, CRM
numbers, Mailchimp subscriber hashes (MD5 of the lower-cased address; the
jsonl's older `mc_…` ids become hashes too). Output is deterministic: no
clock, no randomness; zip entries carry a fixed timestamp.

Python 3.11, standard library only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
JSONL = HERE / "demo.jsonl"
OUT = HERE / "sources"
RUST_MODULE = HERE.parent / "src" / "commands" / "demo" / "files.rs"

# The Mailchimp audience's id, part of its export file names.
AUDIENCE_ID = "7c3e1a9f24"
# Zip entries get a fixed timestamp: regenerating gives the same bytes.
ZIP_STAMP = (2026, 10, 1, 0, 0, 0)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def load() -> tuple[dict, dict]:
    """Records and activities of demo.jsonl, by source, in file order."""
    records: dict[str, list] = defaultdict(list)
    activities: dict[str, list] = defaultdict(list)
    for line in JSONL.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        item = json.loads(line)
        (records if item["type"] == "record" else activities)[item["source"]].append(item)
    return records, activities


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def unix(text: str) -> int:
    return int(parse_time(text).timestamp())


def spaced(text: str) -> str:
    """`2024-03-05T10:11:12Z` as exports write UTC times: `2024-03-05 10:11:12`."""
    return text.replace("T", " ").rstrip("Z") if text else ""


def digest(text: str, length: int, alphabet: str = "0123456789abcdefghijklmnopqrstuvwxyz") -> str:
    """A stable pseudo-random id part derived from `text`."""
    number = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")
    out = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        out.append(alphabet[index])
    return "".join(out)


STRIPE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def major(amount_minor: int) -> str:
    """Minor units as the Dashboard writes amounts (every demo currency has 2 decimals)."""
    sign = "-" if amount_minor < 0 else ""
    whole, cents = divmod(abs(amount_minor), 100)
    return f"{sign}{whole}.{cents:02d}"


def csv_text(header: list[str], rows: list[list], delimiter: str = ",", line_end: str = "\n",
             title: list[list] | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    for row in title or []:
        writer.writerow(row)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue()


written: list[Path] = []


def write(relative: str, data: str | bytes, encoding: str = "utf-8") -> None:
    path = OUT / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode(encoding) if isinstance(data, str) else data
    path.write_bytes(payload)
    written.append(path)


def json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------
# billing → Stripe
# --------------------------------------------------------------------------

REFUND_REASONS = {"Refund: duplicate charge": ("duplicate", None),
                  "Partial refund: downgrade": ("requested_by_customer", "downgrade")}


def billing(records: list, activities: list) -> None:
    by_kind: dict[str, list] = defaultdict(list)
    for activity in activities:
        by_kind[activity["kind"]].append(activity)
    customers = {record["external_id"]: record for record in records}
    first_seen: dict[str, str] = {}
    for activity in activities:
        owner = activity["record_external_id"]
        if owner not in first_seen or activity["occurred_at"] < first_seen[owner]:
            first_seen[owner] = activity["occurred_at"]

    def name_of(record: dict) -> str:
        return record.get("full_name") or " ".join(
            part for part in (record.get("given_name"), record.get("family_name")) if part)

    # Customers export. Stripe keeps one e-mail and no update time; `Created`
    # is the customer's first billing event (or its last change, if none).
    header = ["id", "Description", "Email", "Name", "Created (UTC)", "Delinquent", "Currency",
              "Phone", "Business Name", "Tax Exempt", "Preferred Locales", "Address Line1",
              "Address Line2", "Address City", "Address State", "Address Country", "Address Zip",
              "crm_row (metadata)", "vat_id (metadata)"]
    rows = []
    for record in records:
        address = (record.get("addresses") or [{}])[0]
        attributes = record.get("attributes", {})
        crm = [ref["external_id"] for ref in record.get("cross_references", [])
               if ref["source"] == "crm-sheet"]
        created = first_seen.get(record["external_id"], record.get("updated_at", ""))
        # Stripe keeps one e-mail: the customer's latest; a team notes the
        # others in the description.
        emails = record.get("emails") or [""]
        description = f"Also: {', '.join(emails[:-1])}" if len(emails) > 1 else ""
        rows.append([
            record["external_id"], description, emails[-1], name_of(record),
            spaced(created), "false", attributes.get("currency", ""),
            (record.get("phones") or [""])[0], record.get("company", ""),
            attributes.get("tax_exempt", ""), attributes.get("preferred_locales", ""),
            address.get("line1", ""), address.get("line2", ""), address.get("city", ""),
            address.get("region", ""), address.get("country", ""), address.get("postal_code", ""),
            ",".join(crm), attributes.get("vat_id", ""),
        ])
    write("billing/customers.csv", csv_text(header, rows))

    # Invoices export: every paid invoice of demo.jsonl.
    header = ["id", "Amount Due", "Amount Paid", "Amount Remaining", "Billing", "Closed",
              "Currency", "Customer", "Customer Name", "Customer Email", "Date (UTC)",
              "Due Date (UTC)", "Number", "Paid", "Status", "Subscription", "Subtotal", "Tax",
              "Total", "Description"]
    rows = []
    for invoice in by_kind["invoice_paid"]:
        customer = customers[invoice["record_external_id"]]
        amount = major(invoice["amount"]["amount_minor"])
        rows.append([
            invoice["external_id"], amount, amount, "0.00", "charge_automatically", "true",
            invoice["amount"]["currency"].lower(), customer["external_id"], name_of(customer),
            (customer.get("emails") or [""])[0], spaced(invoice["occurred_at"]), "",
            invoice["attributes"].get("number", ""), "true", "paid",
            invoice["attributes"].get("subscription", ""), amount, "0.00", amount,
            invoice.get("summary", "").split(",")[0],
        ])
    write("billing/invoices.csv", csv_text(header, rows))

    # Subscriptions export: one row per subscription, cancelled ones with
    # their cancellation time and reason. Legacy plan ids name the plan.
    cancelled = {activity["attributes"]["subscription"]: activity
                 for activity in by_kind["subscription_cancelled"]}
    header = ["id", "Customer ID", "Customer Description", "Customer Email", "Plan", "Product",
              "Quantity", "Currency", "Interval", "Amount", "Status", "Created (UTC)",
              "Start (UTC)", "Current Period Start (UTC)", "Current Period End (UTC)",
              "Trial Start (UTC)", "Trial End (UTC)", "Canceled At (UTC)",
              "Cancel At Period End", "Ended At (UTC)", "Cancellation Reason"]
    invoices_of: dict[str, list] = defaultdict(list)
    for invoice in by_kind["invoice_paid"]:
        if invoice["attributes"].get("subscription"):
            invoices_of[invoice["attributes"]["subscription"]].append(invoice)
    rows = []
    for started in by_kind["subscription_started"]:
        subscription = started["attributes"]["subscription"]
        customer = customers[started["record_external_id"]]
        plan, interval = started["summary"], started["attributes"]["interval"]
        paid = invoices_of.get(subscription, [])
        amount = major(paid[0]["amount"]["amount_minor"]) if paid else ""
        currency = (paid[0]["amount"]["currency"] if paid
                    else customer["attributes"].get("currency", "")).lower()
        stop = cancelled.get(subscription)
        rows.append([
            subscription, customer["external_id"], "", (customer.get("emails") or [""])[0],
            f"{plan.lower()}-{interval}ly", plan, "1", currency, interval, amount,
            "canceled" if stop else "active", spaced(started["occurred_at"]),
            spaced(started["occurred_at"]), "", "", "", "",
            spaced(stop["occurred_at"]) if stop else "", "false",
            spaced(stop["occurred_at"]) if stop else "",
            stop["attributes"].get("cancellation_reason", "") if stop else "",
        ])
    write("billing/subscriptions.csv", csv_text(header, rows))

    # Charges, as an API list page with the refunds expanded: each paid
    # invoice was paid by one charge (an `order` only with
    # invoice_charges_as_orders); the refunds keep their ids and dates.
    refunds_of: dict[str, list] = defaultdict(list)
    for refund in by_kind["refund"]:
        refunds_of[refund["attributes"]["invoice"]].append(refund)
    charges = []
    for invoice in by_kind["invoice_paid"]:
        charge_id = "ch_" + digest(invoice["external_id"], 24, STRIPE_ALPHABET)
        refunds = []
        for refund in refunds_of.get(invoice["external_id"], []):
            reason, note = REFUND_REASONS.get(refund["summary"], ("requested_by_customer", None))
            refunds.append({
                "id": refund["external_id"], "object": "refund",
                "amount": refund["amount"]["amount_minor"], "charge": charge_id,
                "created": unix(refund["occurred_at"]),
                "currency": refund["amount"]["currency"].lower(),
                "metadata": {"note": note} if note else {}, "reason": reason,
                "status": "succeeded",
            })
        refunded = sum(refund["amount"] for refund in refunds)
        charges.append({
            "id": charge_id, "object": "charge", "amount": invoice["amount"]["amount_minor"],
            "amount_captured": invoice["amount"]["amount_minor"], "amount_refunded": refunded,
            "captured": True, "created": unix(invoice["occurred_at"]),
            "currency": invoice["amount"]["currency"].lower(),
            "customer": invoice["record_external_id"],
            "description": invoice.get("summary", "").split(",")[0],
            "invoice": invoice["external_id"], "livemode": True, "paid": True,
            "payment_intent": "pi_" + digest(invoice["external_id"] + "pi", 24, STRIPE_ALPHABET),
            "refunded": refunded == invoice["amount"]["amount_minor"],
            "refunds": {"object": "list", "data": refunds, "has_more": False,
                        "total_count": len(refunds), "url": f"/v1/charges/{charge_id}/refunds"},
            "status": "succeeded",
        })
    charges.sort(key=lambda charge: -charge["created"])  # the API lists newest first
    write("billing/charges.json", json_text({
        "object": "list", "data": charges, "has_more": False, "url": "/v1/charges"}))


# --------------------------------------------------------------------------
# newsletter → Mailchimp
# --------------------------------------------------------------------------

AUDIENCE_HEADER = ["Email Address", "First Name", "Last Name", "Language"]
SYSTEM_HEADER = ["MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP",
                 "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION",
                 "LAST_CHANGED", "LEID", "EUID", "NOTES", "TAGS"]
STATUS_HEADER = {
    "subscribed": [],
    "unsubscribed": ["UNSUB_TIME", "UNSUB_CAMPAIGN_TITLE", "UNSUB_CAMPAIGN_ID", "UNSUB_REASON",
                     "UNSUB_REASON_OTHER"],
    "cleaned": ["CLEAN_TIME", "CLEAN_CAMPAIGN_TITLE", "CLEAN_CAMPAIGN_ID"],
}


def campaign_file_name(name: str) -> str:
    """The campaign name as a file name part (no `:`/`/` and the like)."""
    return " ".join("".join(c for c in name if c not in ':/\\"?*<>|').split())


def newsletter(records: list, activities: list) -> None:
    email_of = {record["external_id"]: record["emails"][0] for record in records}
    campaigns: dict[str, str] = {}
    for activity in activities:
        summary = activity["summary"]
        campaigns[activity["attributes"]["campaign_id"]] = summary[summary.index("“") + 1:-1]
    # Web ids: Mailchimp numbers campaigns; in order of the first send.
    first_send: dict[str, str] = {}
    for activity in activities:
        campaign = activity["attributes"]["campaign_id"]
        first_send[campaign] = min(first_send.get(campaign, activity["occurred_at"]),
                                   activity["occurred_at"])
    web_ids = {campaign: str(81200 + 7 * index) for index, campaign
               in enumerate(sorted(first_send, key=lambda c: (first_send[c], c)))}

    by_status: dict[str, list] = defaultdict(list)
    for record in records:
        by_status[record["attributes"]["status"]].append(record)
    for status, members in by_status.items():
        extra = STATUS_HEADER[status]
        # Mailchimp puts the status columns between the merge fields and the system columns.
        header = AUDIENCE_HEADER + extra + SYSTEM_HEADER
        rows = []
        for record in members:
            attributes = record["attributes"]
            email = record["emails"][0]
            tags = ",".join(f'"{tag}"' for tag in attributes.get("tags", "").split(",") if tag)
            status_cells: list[str] = []
            if status == "unsubscribed":
                status_cells = [spaced(attributes.get("unsubscribed_at", "")), "", "",
                                "NORMAL", ""]
            elif status == "cleaned":
                status_cells = [spaced(record.get("updated_at", "")), "", ""]
            optin = spaced(attributes.get("timestamp_opt", ""))
            rows.append([
                email, record.get("given_name", ""), record.get("family_name", ""),
                attributes.get("language", ""), *status_cells,
                attributes.get("member_rating", ""), optin, "", optin, "", "", "", "", "", "",
                "", "", spaced(record.get("updated_at", "")),
                str(int(digest(email.lower(), 6, "0123456789")) + 100_000_000),
                digest(email.lower() + "euid", 10), "", tags,
            ])
        write(f"newsletter/{status}_members_export_{AUDIENCE_ID}.csv", csv_text(header, rows))

    # Granular activity: one file per campaign and kind, rows by time.
    per_file: dict[tuple[str, str], list] = defaultdict(list)
    for activity in activities:
        kind = "opens" if activity["kind"] == "email_open" else "clicks"
        per_file[(kind, activity["attributes"]["campaign_id"])].append(activity)
    for (kind, campaign), rows_of in sorted(per_file.items()):
        rows_of.sort(key=lambda a: (a["occurred_at"], a["external_id"]))
        name = f"{web_ids[campaign]}_{campaign_file_name(campaigns[campaign])}.csv"
        if kind == "opens":
            header = ["Timestamp", "IP", "Email"]
            rows = [[spaced(a["occurred_at"]), "", email_of[a["record_external_id"]]]
                    for a in rows_of]
        else:
            header = ["Timestamp", "IP", "Email", "Url"]
            rows = [[spaced(a["occurred_at"]), "", email_of[a["record_external_id"]],
                     a["attributes"]["url"]] for a in rows_of]
        write(f"newsletter/granular_activity/{kind}/{name}", csv_text(header, rows))


# --------------------------------------------------------------------------
# crm-sheet → a hand-kept list (windows-1254 CSV + XLSX)
# --------------------------------------------------------------------------

CRM_HEADER = ["Müşteri No", "Ad Soyad", "E-posta", "Telefon", "Adres", "Adres 2", "Şehir",
              "Bölge", "Posta Kodu", "Ülke", "Şirket", "Doğum Tarihi", "Güncelleme Tarihi",
              "Sorumlu", "Segment", "Notlar"]


def crm_cells(record: dict) -> list[str]:
    address = (record.get("addresses") or [{}])[0]
    attributes = record.get("attributes", {})
    birth = record.get("birth_date", "")
    updated = record.get("updated_at", "")
    return [
        record["external_id"], record.get("full_name", ""), "; ".join(record.get("emails", [])),
        " / ".join(record.get("phones", [])), address.get("line1", ""), address.get("line2", ""),
        address.get("city", ""), address.get("region", ""), address.get("postal_code", ""),
        address.get("country", ""), record.get("company", ""),
        # Turkish Excel writes dates day first with dots.
        datetime.strptime(birth, "%Y-%m-%d").strftime("%d.%m.%Y") if birth else "",
        parse_time(updated).strftime("%d.%m.%Y %H:%M:%S") if updated else "",
        attributes.get("owner", ""), attributes.get("segment", ""), attributes.get("notes", ""),
    ]


def fits_windows_1254(cells: list[str]) -> bool:
    try:
        "".join(cells).encode("cp1254")
    except UnicodeEncodeError:
        return False
    return True


def crm_sheet(records: list) -> None:
    local, international = [], []
    for record in records:
        cells = crm_cells(record)
        (local if fits_windows_1254(cells) else international).append((record, cells))
    title = [["Müşteri Listesi — Satış Ekibi"] + [""] * (len(CRM_HEADER) - 1),
             [""] * len(CRM_HEADER)]
    text = csv_text(CRM_HEADER, [cells for _, cells in local], delimiter=";", line_end="\r\n",
                    title=title)
    write("crm-sheet/musteri_listesi.csv", text, encoding="cp1254")
    rows = [(1, ["Uluslararası Müşteriler"]), (2, CRM_HEADER)]
    for number, (record, cells) in enumerate(international, start=3):
        birth = record.get("birth_date", "")
        updated = record.get("updated_at", "")
        typed: list = list(cells)
        # Dates typed into Excel are stored as serial numbers with a date style.
        typed[11] = ("date", excel_serial(birth + "T00:00:00Z"), 1) if birth else None
        typed[12] = ("date", excel_serial(updated), 2) if updated else None
        rows.append((number, [cell if cell != "" else None for cell in typed]))
    write("crm-sheet/international.xlsx", xlsx_bytes("Müşteriler", rows))


def excel_serial(moment: str) -> str:
    """Days since 1899-12-30 (Excel's epoch), seconds as a fraction."""
    delta = parse_time(moment) - datetime(1899, 12, 30, tzinfo=timezone.utc)
    seconds = delta.days * 86400 + delta.seconds
    days, rest = divmod(seconds, 86400)
    return f"{days}" if rest == 0 else f"{days + rest / 86400:.10f}"


def col_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xlsx_cell(ref: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    _, serial, style = value
    return f'<c r="{ref}" s="{style}"><v>{serial}</v></c>'


def xlsx_bytes(sheet_name: str, rows: list) -> bytes:
    sheet = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
             "<sheetData>"]
    for number, cells in rows:
        xml = "".join(xlsx_cell(f"{col_letter(i)}{number}", v) for i, v in enumerate(cells))
        sheet.append(f'<row r="{number}">{xml}</row>')
    sheet.append("</sheetData></worksheet>")
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>")
    workbook = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets>'
                "</workbook>")
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>")
    # Style 1: dd.mm.yyyy (a birth date); style 2: dd.mm.yyyy hh:mm:ss.
    styles = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/>'
              '<numFmt numFmtId="165" formatCode="dd.mm.yyyy hh:mm:ss"/></numFmts>'
              '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
              '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
              '<borders count="1"><border/></borders>'
              '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
              '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
              '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
              '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
              "</styleSheet>")
    package_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in [("[Content_Types].xml", content_types), ("_rels/.rels", package_rels),
                           ("xl/workbook.xml", workbook),
                           ("xl/_rels/workbook.xml.rels", workbook_rels),
                           ("xl/styles.xml", styles),
                           ("xl/worksheets/sheet1.xml", "".join(sheet))]:
            info = zipfile.ZipInfo(name, ZIP_STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


# --------------------------------------------------------------------------
# support → Zendesk
# --------------------------------------------------------------------------

TICKET_STATES = ["open", "pending", "new"]


def organization_id(name: str) -> int:
    return 360_000_000_000 + int(digest(name, 6, "0123456789"))


def support(records: list, activities: list) -> list:
    """Writes users and tickets; returns the NPS answers for the survey."""
    users = []
    for record in records:
        attributes = record.get("attributes", {})
        organization = attributes.get("organization")
        user = {
            "id": int(record["external_id"]),
            "url": f"https://demo.zendesk.com/api/v2/users/{record['external_id']}.json",
            "name": record.get("full_name", ""),
            "email": (record.get("emails") or [None])[0],
            "phone": (record.get("phones") or [None])[0],
            "role": attributes.get("role", "end-user"),
            "organization_id": organization_id(organization) if organization else None,
            "external_id": None,
            "locale": attributes.get("locale"),
            "time_zone": attributes.get("time_zone"),
            "tags": [tag for tag in attributes.get("tags", "").split(",") if tag],
            "active": True, "verified": True, "suspended": False,
        }
        if record.get("updated_at"):
            user["updated_at"] = record["updated_at"]
        users.append(user)
    write("support/users.json", json_text({
        "users": users, "next_page": None, "previous_page": None, "count": len(users)}))

    tickets: dict[str, dict] = {}
    nps = []
    for activity in activities:
        if activity["kind"] == "nps_response":
            nps.append(activity)
            continue
        tickets.setdefault(activity["attributes"]["ticket_id"], {})[activity["kind"]] = activity
    out = []
    # The API lists tickets by id.
    for ticket_id, events in sorted(tickets.items(), key=lambda item: int(item[0])):
        opened = events["ticket_opened"]
        solved, csat = events.get("ticket_solved"), events.get("csat_rating")
        requester = int(opened["record_external_id"])
        if solved:
            status = "closed" if csat else "solved"
        else:
            status = TICKET_STATES[int(ticket_id) % len(TICKET_STATES)]
        rating = None
        if csat:
            # Zendesk asks good or bad: 4-5 stars are good, the rest bad.
            rating = {"id": 360_100_000 + int(ticket_id),
                      "score": "good" if csat["score"] >= 4 else "bad",
                      "comment": csat.get("summary", ""),
                      "created_at": csat["occurred_at"], "updated_at": csat["occurred_at"]}
        elif solved:
            rating = {"score": "offered"}
        out.append({
            "id": int(ticket_id),
            "url": f"https://demo.zendesk.com/api/v2/tickets/{ticket_id}.json",
            "subject": opened["summary"], "raw_subject": opened["summary"],
            "status": status, "priority": opened["attributes"].get("priority"), "type": None,
            "requester_id": requester, "submitter_id": requester,
            "via": {"channel": opened["attributes"].get("channel", "web")},
            "tags": [], "created_at": opened["occurred_at"],
            # The API keeps no solve time of its own: a solved ticket last
            # changed when it was solved.
            "updated_at": (solved or opened)["occurred_at"],
            "satisfaction_rating": rating,
        })
    write("support/tickets.json", json_text({
        "tickets": out, "next_page": None, "previous_page": None, "count": len(out)}))
    return nps


# --------------------------------------------------------------------------
# nps-survey → Delighted
# --------------------------------------------------------------------------

def survey(support_records: list, nps: list) -> None:
    users = {record["external_id"]: record for record in support_records}
    header = ["Response ID", "Email", "Name", "Score", "Comment", "Created At (UTC)",
              "Updated At (UTC)", "Permalink", "Tags", "Notes"]
    answers = sorted(nps, key=lambda a: (a["occurred_at"], a["external_id"]))
    # Delighted keeps one person per e-mail address, whose name is the one
    # last sent: every answer from a shared mailbox shows that name.
    latest_name = {}
    for answer in answers:
        user = users[answer["record_external_id"]]
        latest_name[user["emails"][0].lower()] = user.get("full_name", "")
    rows = []
    for answer in answers:
        user = users[answer["record_external_id"]]
        response_id = answer["external_id"].removeprefix("nps-")
        rows.append([
            response_id, user["emails"][0], latest_name[user["emails"][0].lower()],
            str(answer["score"]),
            answer.get("summary", ""), spaced(answer["occurred_at"]),
            spaced(answer["occurred_at"]),
            f"https://app.delighted.com/r/{digest(response_id, 20, STRIPE_ALPHABET)}",
            answer["attributes"].get("survey", ""), "",
        ])
    write("nps-survey/delighted_responses.csv", csv_text(header, rows))


# --------------------------------------------------------------------------
# The Rust module that embeds the files
# --------------------------------------------------------------------------

def rust_module() -> None:
    lines = [
        "//! The demo's vendor files (`crates/c360-cli/demo/sources/`), embedded in",
        "//! the binary. Generated by `crates/c360-cli/demo/make_vendor_files.py`:",
        "//! edit that, not this file.",
        "",
        "/// Each file's path below the demo folder, and its bytes.",
        "pub const FILES: &[(&str, &[u8])] = &[",
    ]
    for path in sorted(written):
        relative = path.relative_to(OUT).as_posix()
        literal = json.dumps("../../../demo/sources/" + relative, ensure_ascii=False)
        include = f"        include_bytes!({literal}),"
        # As rustfmt lays it out: a call longer than 100 columns is wrapped.
        if len(include) > 100:
            include = f"        include_bytes!(\n            {literal}\n        ),"
        lines += [
            "    (",
            f"        {json.dumps(relative, ensure_ascii=False)},",
            include,
            "    ),",
        ]
    lines.append("];")
    RUST_MODULE.parent.mkdir(parents=True, exist_ok=True)
    RUST_MODULE.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    records, activities = load()
    if OUT.exists():
        for old in sorted(OUT.rglob("*"), reverse=True):
            old.unlink() if old.is_file() else old.rmdir()
    billing(records["billing"], activities["billing"])
    newsletter(records["newsletter"], activities["newsletter"])
    crm_sheet(records["crm-sheet"])
    nps = support(records["support"], activities["support"])
    survey(records["support"], nps)
    rust_module()
    total = sum(path.stat().st_size for path in written)
    print(f"wrote {len(written)} files ({total} bytes) under {OUT} and {RUST_MODULE.name}")
    for path in sorted(written):
        print(f"  {path.relative_to(OUT)}")


if __name__ == "__main__":
    main()
