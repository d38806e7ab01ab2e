"""Quarterly meetings: planning, signing up with a pitch, attendees, calendars."""

from __future__ import annotations

from chalice.app import Blueprint

from chalicelib.api import views
from chalicelib.api.framework import Call, endpoint
from chalicelib.api.lazy import models
from chalicelib.api.routes.jobs import http_deadline
from chalicelib.domain.errors import NotFound
from chalicelib.jobs import run_now_path
from chalicelib.services.meetings import MeetingView, NewMeeting

bp = Blueprint(__name__)
CALENDAR = "text/calendar; charset=utf-8"


def _out(view: MeetingView) -> models.MeetingOut:
    return views.meeting(view.meeting, view.mine, view.organiser_name, view.can_manage)


def _answer(call: Call, meeting_id: str) -> models.MeetingOut:
    return _out(call.services.meetings.view(meeting_id, call.me.member_id, call.me.is_admin))


@endpoint(
    bp,
    "/meetings",
    "POST",
    access="admin",
    body="MeetingIn",
    response="MeetingOut",
    status=201,
    summary="Plan (publish) a meeting; members who want invitations are mailed by a job",
    errors_=(400,),
)
def create_meeting(call: Call) -> models.MeetingOut:
    body = call.body_as(models.MeetingIn)
    form = NewMeeting(**body.model_dump())
    meeting = call.services.meetings.create(form, call.me.member_id)
    return _answer(call, meeting.id)


@endpoint(
    bp,
    "/meetings",
    "GET",
    access="member",
    query="MeetingsQuery",
    response="MeetingList",
    summary="Upcoming meetings (soonest first) or past ones (latest first), with my status",
)
def list_meetings(call: Call) -> models.MeetingList:
    q = call.query_as(models.MeetingsQuery)
    found, next_cursor = call.services.meetings.browse(
        q.when, call.me.member_id, call.me.is_admin, q.limit, q.cursor
    )
    return models.MeetingList(items=[_out(v) for v in found], next=next_cursor)


@endpoint(
    bp,
    "/meetings/coverage",
    "GET",
    access="admin",
    response="MeetingCoverageOut",
    summary="Meetings this quarter and next; whether the next quarter still needs one",
)
def meeting_coverage(call: Call) -> models.MeetingCoverageOut:
    c = call.services.meetings.coverage()
    return models.MeetingCoverageOut(
        current=models.QuarterMeetingsOut(
            quarter=str(c.current.quarter), meetings=c.current.meetings
        ),
        next=models.QuarterMeetingsOut(quarter=str(c.next.quarter), meetings=c.next.meetings),
        current_without_meeting=not c.current.covered,
        next_needs_meeting=c.next_needs_meeting,
        warn_from=c.warn_from,
    )


@endpoint(
    bp,
    "/meetings/{meeting_id}",
    "GET",
    access="member",
    response="MeetingOut",
    summary="One meeting with its counts and my status",
    errors_=(404,),
)
def get_meeting(call: Call) -> models.MeetingOut:
    return _answer(call, call.params["meeting_id"])


@endpoint(
    bp,
    "/meetings/{meeting_id}",
    "PATCH",
    access="member",
    body="MeetingPatch",
    response="MeetingOut",
    summary="Change a planned meeting (admins, its organiser); those signed up are told",
    errors_=(404, 409),
)
def edit_meeting(call: Call) -> models.MeetingOut:
    changes = call.body_as(models.MeetingPatch).changes()
    meeting_id = call.params["meeting_id"]
    call.services.meetings.edit(meeting_id, changes, call.me.member_id, call.me.is_admin)
    return _answer(call, meeting_id)


@endpoint(
    bp,
    "/meetings/{meeting_id}/cancel",
    "POST",
    access="member",
    response="MeetingOut",
    summary="Cancel a planned meeting (admins, its organiser); those signed up are told",
    errors_=(404, 409),
)
def cancel_meeting(call: Call) -> models.MeetingOut:
    meeting_id = call.params["meeting_id"]
    call.services.meetings.cancel(meeting_id, call.me.member_id, call.me.is_admin)
    return _answer(call, meeting_id)


@endpoint(
    bp,
    "/meetings/{meeting_id}/registration",
    "POST",
    access="member",
    body="RegistrationIn",
    response="RegistrationOut",
    status=201,
    summary="Sign up (with a pitch if available): a seat, or the waiting list when full",
    errors_=(404, 409),
)
def register(call: Call) -> models.RegistrationOut:
    pitch = call.body_as(models.RegistrationIn).pitch or ""
    me = call.services.membership.member(call.me.member_id)
    return views.sign_up(call.services.meetings.register(call.params["meeting_id"], me, pitch))


@endpoint(
    bp,
    "/meetings/{meeting_id}/registration",
    "DELETE",
    access="member",
    response="MeetingOut",
    summary="Unregister: the seat goes to the first on the waiting list, who is mailed",
    errors_=(404, 409),
)
def unregister(call: Call) -> models.MeetingOut:
    meeting_id = call.params["meeting_id"]
    call.services.meetings.unregister(meeting_id, call.me.member_id)
    return _answer(call, meeting_id)


@endpoint(
    bp,
    "/meetings/{meeting_id}/attendees",
    "GET",
    access="member",
    response="AttendeeList",
    summary="Registered members and the waiting list in order, with pitches (admin, organiser)",
    errors_=(404,),
)
def attendees(call: Call) -> models.AttendeeList:
    found = call.services.meetings.attendees(
        call.params["meeting_id"], call.me.member_id, call.me.is_admin
    )
    return models.AttendeeList(items=[views.attendee(a) for a in found])


@endpoint(
    bp,
    "/meetings/{meeting_id}/attendance",
    "POST",
    access="admin",
    body="AttendanceIn",
    response="AttendeeList",
    summary="After the meeting: who came (replaces earlier marks); the meeting becomes held",
    errors_=(404, 409),
)
def mark_attendance(call: Call) -> models.AttendeeList:
    member_ids = call.body_as(models.AttendanceIn).member_ids
    found = call.services.meetings.mark_attendance(call.params["meeting_id"], member_ids)
    return models.AttendeeList(items=[views.attendee(a) for a in found])


@endpoint(
    bp,
    "/meetings/{meeting_id}/event.ics",
    "GET",
    access="member",
    response="FileAnswer",
    file_media_type="text/calendar",
    summary="The meeting as an iCalendar file",
    errors_=(404,),
)
def meeting_event(call: Call) -> models.FileAnswer:
    meeting_id = call.params["meeting_id"]
    language = call.services.membership.member(call.me.member_id).language
    body = call.services.calendar.event(meeting_id, language)
    return models.FileAnswer(body=body, media_type=CALENDAR, filename=f"meeting-{meeting_id}.ics")


def _feed_link(call: Call, token: str) -> models.CalendarLinkOut:
    base = (call.services.config.api_url or call.base_url).rstrip("/")
    url = f"{base}/calendar/{token}"
    return models.CalendarLinkOut(url=url, webcal_url="webcal://" + url.partition("://")[2])


@endpoint(
    bp,
    "/members/me/calendar",
    "GET",
    access="member",
    response="CalendarLinkOut",
    summary="The private URL of a calendar feed of my meetings",
)
def my_calendar(call: Call) -> models.CalendarLinkOut:
    return _feed_link(call, call.services.calendar.feed_token(call.me.member_id))


@endpoint(
    bp,
    "/members/me/calendar/reset",
    "POST",
    access="member",
    response="CalendarLinkOut",
    summary="A new feed URL; the old one stops working",
)
def reset_my_calendar(call: Call) -> models.CalendarLinkOut:
    return _feed_link(call, call.services.calendar.reset_feed(call.me.member_id))


@endpoint(
    bp,
    "/calendar/{token}",
    "GET",
    access="public",
    response="FileAnswer",
    file_media_type="text/calendar",
    summary="A member's calendar feed (whoever has the private URL)",
    errors_=(404,),
)
def calendar_feed(call: Call) -> models.FileAnswer:
    member_id = call.services.calendar.member_of(call.params["token"])
    if member_id is None:
        raise NotFound("calendar_not_found")
    body = call.services.calendar.feed(member_id)
    return models.FileAnswer(
        body=body, media_type=CALENDAR, filename="co-operations.ics", disposition="inline"
    )


# The meeting jobs, run by hand by an admin (the same services as the schedules) ------------


@endpoint(
    bp,
    run_now_path("meeting_news"),
    "POST",
    access="admin",
    response="MeetingMailReportOut",
    summary="Mail pending invitations and change or cancellation notices now",
)
def send_meeting_news(call: Call) -> models.MeetingMailReportOut:
    report = call.services.meeting_mail.send_news(out_of_time=http_deadline())
    return models.MeetingMailReportOut.model_validate(report.__dict__)


@endpoint(
    bp,
    run_now_path("meeting_reminders"),
    "POST",
    access="admin",
    response="MeetingMailReportOut",
    summary="Remind the registered of meetings in the next two days now (once each)",
)
def send_meeting_reminders(call: Call) -> models.MeetingMailReportOut:
    report = call.services.meeting_mail.send_reminders(out_of_time=http_deadline())
    return models.MeetingMailReportOut.model_validate(report.__dict__)


@endpoint(
    bp,
    run_now_path("meeting_warning"),
    "POST",
    access="admin",
    response="BoardWarningReportOut",
    summary="Warn the board (once a quarter) if the next quarter has no meeting by mid-quarter",
)
def warn_board(call: Call) -> models.BoardWarningReportOut:
    return models.BoardWarningReportOut.model_validate(
        call.services.meeting_mail.warn_board().__dict__
    )
