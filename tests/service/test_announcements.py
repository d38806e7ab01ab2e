"""New opportunities are mailed to members whose disciplines match and who asked for it."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.mail.message import OutgoingMail
from chalicelib.services.opportunities import NewOpportunity
from tests.conftest import World

DATA = ("data-engineering",)


def post(world: World, referrer: str, disciplines: tuple[str, ...] = DATA) -> str:
    form = NewOpportunity(
        "Grid study", "Six months", disciplines, "energy", "Arnhem", None, None, False
    )
    return world.services.opportunities.post(form, referrer, is_admin=False).id


def test_only_matching_members_who_asked_for_it_are_mailed_once(world: World) -> None:
    referrer = world.member("Patrick", "patrick@example.nl", disciplines=list(DATA))
    world.member("Mieke", "mieke@example.nl", disciplines=["data-engineering", "ux-design"])
    quiet = world.member("Daan", "daan@example.nl", disciplines=list(DATA))
    world.member("Sanne", "sanne@example.nl", disciplines=["ux-design"])
    world.services.membership.update_profile(quiet, {"notify_opportunities": False})
    opportunity_id = post(world, referrer)

    first = world.services.announcements.run()
    again = world.services.announcements.run()

    assert (first.opportunities, first.mailed, first.failed) == (1, 1, 0)
    assert (again.opportunities, again.mailed) == (0, 0)
    [mail] = world.sent_mail()
    assert mail.to == "mieke@example.nl"
    assert "Grid study" in mail.text and "Arnhem" in mail.text
    # Audit: "Meld je in de app" pointed at nothing; the mail links the opportunity's page.
    link = f"{world.services.config.web_url}/#/opportunities/{opportunity_id}"
    assert link in mail.text
    assert f'href="{link}"' in mail.html


def test_a_failed_send_is_retried_and_others_are_not_mailed_twice(world: World) -> None:
    referrer = world.member("Patrick", "patrick@example.nl")
    world.member("Mieke", "mieke@example.nl", disciplines=list(DATA))
    world.member("Daan", "daan@example.nl", disciplines=list(DATA))
    post(world, referrer)
    service, outbox = world.services.announcements, world.services.outbox
    real = outbox.mailer

    class FailsForDaan:
        def send(self, mail: OutgoingMail) -> str:
            if mail.to.startswith("daan"):
                raise RuntimeError("SES throttled")
            return real.send(mail)

    outbox.mailer = FailsForDaan()
    first = service.run()
    outbox.mailer = real
    second = service.run()
    world.clock.advance(timedelta(minutes=5))
    retried = outbox.deliver()

    assert (first.mailed, first.failed, second.opportunities) == (2, 1, 0)
    assert (retried.sent, retried.failed) == (1, 0)
    assert sorted(m.to for m in world.sent_mail()) == ["daan@example.nl", "mieke@example.nl"]
    assert outbox.deliver().sent == 0


def test_an_opportunity_closed_before_the_job_is_not_announced(world: World) -> None:
    referrer = world.member("Patrick", "patrick@example.nl")
    world.member("Mieke", "mieke@example.nl", disciplines=list(DATA))
    opportunity_id = post(world, referrer)
    world.services.opportunities.close(opportunity_id, "withdrawn", referrer, is_admin=False)

    report = world.services.announcements.run()

    assert (report.opportunities, report.mailed) == (1, 0)
    assert world.sent_mail() == []
