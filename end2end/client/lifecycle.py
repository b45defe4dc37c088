"""The sandbox lifecycle, driven only through a client generated from /openapi.json.

scripts/api-client.sh generates the `hd_client` package with openapi-python-client, then runs
this against the release server. Every call goes through a generated function and every answer
is parsed into a generated model, with `raise_on_unexpected_status`: a status or a shape the
document does not describe fails the run.

    python lifecycle.py BASE_URL
"""

import datetime
import io
import random
import sys
import time

import httpx
from PIL import Image

from hd_client import AuthenticatedClient, Client
from hd_client.api.bookings import post_bookings, post_bookings_checkin
from hd_client.api.developer import post_developer_signup
from hd_client.api.events import get_events
from hd_client.api.files import post_files_presign
from hd_client.api.quotes import post_quotes_accept, post_tasks_quote_requests
from hd_client.api.sandbox import post_test_helpers_billing_attach_card, post_test_helpers_talent
from hd_client.api.talent import post_talent_quote
from hd_client.api.tasks import get_tasks_by_id, post_tasks
from hd_client.api.work_orders import get_work_orders_qa, post_work_orders_accept, post_work_orders_deliverables
from hd_client.models import (
    AcceptWork,
    AttachCardRequest,
    BudgetInput,
    CheckinRequest,
    CreateBookingRequest,
    CreateTaskRequest,
    CreateTaskRequestTaskSpec,
    Currency,
    DeliverableInput,
    DeliverableKind,
    LocationInput,
    LocationMode,
    PresignRequest,
    PresignRequestContentType,
    QuoteRequestInput,
    RegisterDeliverables,
    SandboxTalentRequest,
    ScheduleInput,
    SignupRequest,
    SubmitQuoteRequest,
    TaskDeliverableInput,
    TaskType,
    TestCardKind,
)

SHOP = (43.2595, -79.8753)


def ok(response, status):
    """The parsed body of an answer that had `status`; otherwise the run fails, saying what came."""
    if response.status_code != status:
        raise SystemExit(f"expected {status}, got {response.status_code}: {response.content[:500]!r}")
    return response.parsed


def product_photo(seed):
    """A 2000×1600 JPEG: a textured product in the middle of a white background."""
    rng = random.Random(seed)
    image = Image.new("RGB", (2000, 1600), (255, 255, 255))
    inner = Image.frombytes("RGB", (1000, 800), bytes(rng.randrange(256) for _ in range(1000 * 800 * 3)))
    image.paste(inner, (500, 400))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def main(base_url):
    public = Client(base_url=base_url, raise_on_unexpected_status=True)
    signed_up = ok(
        post_developer_signup.sync_detailed(client=public, body=SignupRequest(name="Generated Client", email="client@example.com")),
        201,
    )
    agent = AuthenticatedClient(base_url=base_url, token=signed_up.api_key, raise_on_unexpected_status=True)

    created = ok(
        post_test_helpers_talent.sync_detailed(
            client=agent,
            body=SandboxTalentRequest(name="Ana Client", home_lat=43.25, home_lng=-79.87, skills=["photography"]),
        ),
        201,
    )
    talent = AuthenticatedClient(base_url=base_url, token=created.token, raise_on_unexpected_status=True)
    ok(post_test_helpers_billing_attach_card.sync_detailed(client=agent, body=AttachCardRequest(card=TestCardKind.OK)), 201)

    start = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=10)).replace(
        hour=16, minute=0, second=0, microsecond=0
    )
    task = ok(
        post_tasks.sync_detailed(
            client=agent,
            body=CreateTaskRequest(
                task_type=TaskType.PRODUCT_PHOTO_ECOMM,
                title="Generated client shoot",
                location=LocationInput(mode=LocationMode.ONSITE, address="12 Hess St N, Hamilton ON", lat=SHOP[0], lng=SHOP[1]),
                schedule=ScheduleInput(start_at=start, duration_hours=3),
                budget=BudgetInput(currency=Currency.CAD, max_total=300),
                deliverables=[TaskDeliverableInput(kind=DeliverableKind.PHOTO, count=3, format_="jpeg")],
                task_spec=CreateTaskRequestTaskSpec.from_dict({"product_count": 1, "background": "white", "angles": ["front"]}),
            ),
        ),
        201,
    )
    print(f"task {task.id}: {task.status}")

    invited = ok(
        post_tasks_quote_requests.sync_detailed(task.id, client=agent, body=QuoteRequestInput(talent_ids=[created.talent.id])),
        201,
    )
    assert [i.talent_id for i in invited.invited] == [created.talent.id], invited
    quote = ok(
        post_talent_quote.sync_detailed(
            created.talent.id, client=talent, body=SubmitQuoteRequest(task_id=task.id, amount=250, message="Happy to shoot this.")
        ),
        201,
    )
    ok(post_quotes_accept.sync_detailed(quote.id, client=agent), 200)
    booking = ok(post_bookings.sync_detailed(client=agent, body=CreateBookingRequest(quote_id=quote.id)), 201)
    print(f"booking {booking.id}: {booking.status}, {booking.escrow_held} {booking.currency} held")
    assert booking.escrow_held == 250, booking

    checked_in = ok(
        post_bookings_checkin.sync_detailed(
            booking.id, client=talent, body=CheckinRequest(lat=SHOP[0], lng=SHOP[1], accuracy_m=5, at=start)
        ),
        200,
    )
    assert checked_in.checkin.verified, checked_in.checkin

    work_order = booking.work_order_id
    file_ids = []
    for seed in (1, 2, 3):
        photo = product_photo(seed)
        upload = ok(
            post_files_presign.sync_detailed(
                client=talent,
                body=PresignRequest(
                    filename=f"shot{seed}.jpg",
                    content_type=PresignRequestContentType.IMAGEJPEG,
                    size_bytes=len(photo),
                    work_order_id=work_order,
                ),
            ),
            201,
        )
        # The presigned URL is a capability: plain HTTP, no client, no key.
        put = httpx.request(upload.method, upload.upload_url, headers=upload.headers.to_dict(), content=photo)
        assert put.status_code == 200, put.text
        file_ids.append(upload.file_id)
    ok(
        post_work_orders_deliverables.sync_detailed(
            work_order, client=talent, body=RegisterDeliverables(deliverables=[DeliverableInput(kind=DeliverableKind.PHOTO, file_ids=file_ids)])
        ),
        201,
    )

    # The server's QA worker evaluates the delivery.
    deadline = time.monotonic() + 60
    while True:
        report = get_work_orders_qa.sync_detailed(work_order, client=agent)
        if report.status_code == 200:
            report = report.parsed
            break
        if time.monotonic() > deadline:
            raise SystemExit(f"QA did not report within 60 s: {report.status_code} {report.content[:300]!r}")
        time.sleep(0.2)
    print(f"QA: {report.status} ({', '.join(f'{c.name} {c.passed}' for c in report.checks)})")
    assert str(report.status) == "passed", report

    accepted = ok(post_work_orders_accept.sync_detailed(work_order, client=agent, body=AcceptWork()), 200)
    s = accepted.settlement
    print(f"settled: captured {s.captured}, talent {s.talent_payout}, fee {s.platform_fee}, refunded {s.refunded} {s.currency}")
    # Exact in cents: the talent's 85 % and the 15 % fee make up what was captured.
    assert (s.captured_cents, s.talent_payout_cents, s.platform_fee_cents, s.refunded_cents) == (25000, 21250, 3750, 0), s

    final = ok(get_tasks_by_id.sync_detailed(task.id, client=agent), 200)
    assert str(final.status) == "accepted", final.status
    events = ok(get_events.sync_detailed(client=agent, limit=100), 200)
    kinds = [str(e.type_) for e in events.data]
    print(f"events: {', '.join(kinds)}")
    for kind in ("task.created", "quote.received", "booking.confirmed", "booking.checkin_recorded",
                 "deliverable.registered", "qa.completed", "work_order.accepted"):
        assert kind in kinds, (kind, kinds)
    print("the generated client drove the whole sandbox lifecycle")


if __name__ == "__main__":
    main(sys.argv[1])
